// The event log's text: event XML as EvtRender writes it (what shadowctl parses), the XPath
// subset the emulator's log serves, and event times. Parsing never fails but by refusing;
// what the emulator renders, shadowctl reads back exactly, whatever the insertion strings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/event_log.h"
#include "event_log.h"
#include "report/shapes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl;
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (const auto e = core::parse_event_xml(text)) {
    if (e->source.empty() || e->id > 0xFFFF) std::abort();
    (void)report::logged_event_json(*e).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
    std::ostringstream human;
    report::render_logged_events(human, report::Style(false), {*e}, "  ");
  }

  if (const auto us = core::parse_event_time(text); us && *us >= 0) {
    // Written back at millisecond precision, it reads back as the same millisecond.
    const auto again = core::parse_event_time(core::event_time_text(*us));
    if (!again || *again != *us / 1000 * 1000) std::abort();
  }

  if (const auto selection = emulator::parse_event_selection(text))
    if (selection->id && *selection->id > 0xFFFF) std::abort();

  // Any insertion string survives the emulator's rendering and shadowctl's parsing.
  const emulator::RecordedEvent recorded{"Application", "VSS", 8193, 2, 1'796'626'422'123'456,
                                         {text, "x"}, 1};
  const auto back = core::parse_event_xml(emulator::render_event_xml(recorded, text));
  if (!back || back->data.size() != 2 || back->data[0] != text || back->computer != text ||
      back->time_unix_us != recorded.time_us)
    std::abort();
  return 0;
}
