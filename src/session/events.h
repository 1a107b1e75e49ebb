#pragma once

// Reading the VSS, volsnap and writer events from the Application and System logs: for
// `events`, for `check --deep`, and beside a failed run's error.

#include <chrono>
#include <string>
#include <vector>

#include "core/diagnosis.h"
#include "core/event_log.h"
#include "session/environment.h"

namespace shadowctl::session {

// What the logs held for one filter, or why they could not be read.
struct EventReading {
  std::vector<core::LoggedEvent> events;  // every log's, oldest first
  // Why a log could not be read, one sentence a log ("" when every log was read): Wine's
  // wevtapi.dll, which serves no query, says so here and nothing fails.
  std::string unread;
  core::HResult error = 0;  // the first log's failure
  bool any_read = false;    // at least one log answered
};

// How long a failed run waits for the event log before it reports without its events: the
// bound the log adds to a failing run (docs/commands/events.md gives what it costs).
inline constexpr std::chrono::milliseconds kEventsBesideFailureBound{5000};

// Reads every log of core::kEventSources for the filter, giving up after `bound` (the read
// goes on in the background and its result is dropped; `unread` then says so).
EventReading read_events(EventLog& log, const core::EventFilter& filter,
                         std::chrono::milliseconds bound);

// Whether a failed run's error is about VSS, so that the events beside it may explain it:
// a VSS code, the VSS service or a writer, a deadline or the machine's limits.
bool is_vss_failure(const core::Diagnosis& d);

// Adds to a failed run's error the events written since `run_started_unix_us` (from the
// start of its minute), or why they could not be read.
void add_events(core::Diagnosis& d, EventLog& log, std::int64_t run_started_unix_us);

}  // namespace shadowctl::session
