// explain's input: every text a user can type for a code, parsed, diagnosed and shown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/diagnosis.h"
#include "core/event_catalogue.h"
#include "report/shapes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // A bare decimal below 65536 is a Win32 code, and so a plain decimal to the HRESULT parser.
  if (const auto win32 = core::parse_win32_code(text))
    if (*win32 > 0xFFFF || core::parse_error_code(text) != core::HResult{*win32}) std::abort();
  if (const auto hr = core::parse_error_code(text)) {
    const core::Diagnosis d = core::diagnose(*hr, text, text);
    if (d.name.empty() || d.meaning.empty() || d.remedy.empty()) std::abort();
    // The document must always be writable, whatever the text in it.
    (void)report::diagnosis_json(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (size >= 4) {
    std::uint32_t id = 0;
    for (int i = 0; i < 4; ++i) id = (id << 8) | data[i];
    for (const auto* e : core::find_events(id, text.substr(4)))
      if (e->id != id) std::abort();
  }
  return 0;
}
