#pragma once

// The emulated machine's event log: what the VSS service writes when a fault happens, and
// how the Event Log API answers a query of it. One model, served in-process (SimBackend's
// EventLog) and by the wevtapi.dll test double (wevtapi/), so that both answer exactly
// what Windows' EvtQuery would for shadowctl's queries, and refuse any other.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hresult.h"
#include "state.h"

namespace shadowctl::emulator {

// ERROR_EVT_INVALID_QUERY and ERROR_EVT_CHANNEL_NOT_FOUND (winerror.h), as EvtQuery sets them.
inline constexpr std::uint32_t kErrorEvtInvalidQuery = 15001;
inline constexpr std::uint32_t kErrorEvtChannelNotFound = 15007;

// The XPath subset the double serves: the form core::event_query writes, which Windows'
// "Event Selection" XPath 1.0 subset accepts too
// (https://learn.microsoft.com/windows/win32/wes/consuming-events#xpath-10-limitations):
//   *[System[Provider[@Name='A' or @Name='B'] and TimeCreated[@SystemTime>='T'] and EventID=N]]
// with each of the three tests optional but at least one present, in any order.
struct EventSelection {
  std::vector<std::string> providers;  // empty: any
  std::optional<std::int64_t> since_us;
  std::optional<std::uint32_t> id;
};
// nullopt: a query outside the subset (EvtQuery fails with ERROR_EVT_INVALID_QUERY).
std::optional<EventSelection> parse_event_selection(std::string_view xpath);

// EvtQuery on a channel: the matching events, oldest first. Returns 0, or the Win32 error
// EvtQuery sets (a channel other than Application and System, a query outside the subset).
std::uint32_t select_events(const MachineState& m, std::string_view channel,
                            std::string_view xpath, std::vector<RecordedEvent>& out);

// EvtRender with EvtRenderEventXml: the event as Windows renders a classic event.
std::string render_event_xml(const RecordedEvent& e, const std::string& computer);
// EvtFormatMessage with EvtFormatMessageEvent: the message the emulated publisher (VSS)
// registers for the event, its %N filled in; "" when there is none (EvtFormatMessage fails
// with ERROR_EVT_MESSAGE_NOT_FOUND).
std::string format_event_message(const RecordedEvent& e);

// Appends an event to the machine's log, numbering it.
void write_event(MachineState& m, RecordedEvent e);

// The events the service writes when a call fails in it (Service::call, for a scenario's
// fault): which one depends on the code and the call, each as the event pages document.
std::vector<RecordedEvent> events_for_failed_call(const std::string& method, core::HResult hr);
// A writer rejected the event of a phase (event 8229).
RecordedEvent writer_rejected_event(const Writer& writer, core::HResult hr,
                                    const std::string& phase);

}  // namespace shadowctl::emulator
