#pragma once

// The Windows events shadowctl reads beside a failure, in `events` and in `check --deep`:
// which sources, the query for them, and the event as the Event Log API renders it. Pure
// text in and out, so the query, the parsing and the decoding are tested off Windows, and
// the emulator's event log answers the very query the Windows build sends.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::core {

// One source read, and the log it writes to. VSS and SPP (the shadow copy services) write to
// Application, volsnap (the volume shadow copy driver) to System; SQLWRITER and ESENT are the
// writers' own sources most often beside a VSS failure (SQL Server's VSS writer; the
// database engine under Active Directory's and Exchange's writers).
struct EventSource {
  std::string_view log;
  std::string_view provider;
};
inline constexpr auto kEventSources = std::to_array<EventSource>({
    {"Application", "VSS"},
    {"Application", "SPP"},
    {"Application", "SQLWRITER"},
    {"Application", "ESENT"},
    {"System", "volsnap"},
});
// The logs kEventSources names, each once, in order.
inline constexpr auto kEventLogs = std::to_array<std::string_view>({"Application", "System"});

// At most this many events are read from each log in one query: the newest, when more match.
inline constexpr std::size_t kMostEventsPerLog = 200;

// What a query asks for.
struct EventFilter {
  std::int64_t since_unix_us = 0;    // events written at or after this instant
  std::optional<std::uint32_t> id;  // only this event ID
};

// The XPath query for `log`'s sources (EvtQuery with EvtQueryChannelPath):
//   *[System[Provider[@Name='VSS' or @Name='SPP'] and TimeCreated[@SystemTime>='...Z']]]
// with " and EventID=N" inside System[...] when an ID is asked for. "" for a log
// kEventSources does not name.
std::string event_query(std::string_view log, const EventFilter& filter);

// An instant as the event XML writes it: "2026-12-07T06:47:00.000Z" (UTC, milliseconds).
std::string event_time_text(std::int64_t unix_us);
// "2026-12-07T06:47:00.1234567Z" (any number of fraction digits, or none) back to an
// instant; nullopt when it is not that form.
std::optional<std::int64_t> parse_event_time(std::string_view text);

// One event, as read from the event XML (EvtRender, EvtRenderEventXml) and, where the
// publisher is registered, its message (EvtFormatMessage).
struct LoggedEvent {
  std::string log;        // System/Channel
  std::string source;     // System/Provider/@Name
  std::uint32_t id = 0;   // System/EventID (without its qualifiers)
  int level = 0;          // System/Level: 1 critical, 2 error, 3 warning, 4 information
  std::int64_t time_unix_us = 0;  // System/TimeCreated/@SystemTime
  std::string computer;   // System/Computer
  std::vector<std::string> data;  // EventData/Data, in order (a classic event's %1, %2, ...)
  std::string message;    // the formatted message, or "" when the publisher has none here
};

// Parses one event's XML; nullopt when it has no System/Provider or no EventID.
std::optional<LoggedEvent> parse_event_xml(std::string_view xml);

// "Critical", "Error", "Warning", "Information", "Verbose", or "Level N".
std::string event_level_name(int level);

// The HRESULTs an event carries ("0x8004230F" in its data or message: the form VSS writes
// "hr = 0x..." in), each once, in the order they appear. Only failure codes (the high bit
// set): an event's other hex numbers (flags, sizes) are not errors.
std::vector<HResult> event_hresults(const LoggedEvent& event);

}  // namespace shadowctl::core
