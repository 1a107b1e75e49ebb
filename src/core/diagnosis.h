#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error_catalogue.h"
#include "core/event_log.h"
#include "core/failure.h"

namespace shadowctl::core {

// Everything a user is told about an HRESULT: the catalogue entry, refined by the phase
// that returned it, or a decoding of the value when the catalogue does not know it.
struct Diagnosis {
  HResult hr = 0;
  std::string name;
  std::string meaning;
  std::string remedy;
  std::string phase;
  std::string detail;  // what exactly failed (core::Failure::detail); empty for a bare code
  std::string undone;  // what the failed run's cleanup did (core::Failure::undone)
  std::string writer, volume;  // what the failure is about, where it applies
  ExitStatus exit = ExitStatus::failure;
  bool retryable = false;
  bool known = false;  // false: decoded, not from the catalogue
  // A failed run's cleanup that failed too, and what it left: from core::Failure.
  std::vector<CleanupFailure> cleanup_failures = {};
  std::vector<LeftBehind> left_behind = {};
  // The VSS, volsnap and writer events written since the run started (session::add_events),
  // or why they could not be read; neither when they were not asked for (--no-events, an
  // error that is not VSS's).
  std::optional<std::vector<LoggedEvent>> events = {};
  std::string events_unread = {};
};

// Describes hr as returned during phase. system_message is the OS's text for the code
// (FormatMessage on Windows), used when the catalogue has no entry; may be empty.
Diagnosis diagnose(HResult hr, std::string_view phase = {},
                   std::string_view system_message = {});

// A run's failure as it is reported: the code diagnosed in its phase, with what exactly
// failed, what the cleanup did and left, what it is about, and its own remedy if it has one.
Diagnosis diagnose_failure(const Failure& f, std::string_view system_message = {});

// Parses what a user types for a code: 0x8004230F, 2147754767, -2147212529, or a symbolic
// name in any case. nullopt when it is none of these.
std::optional<HResult> parse_error_code(std::string_view text);

// A bare decimal below 65536 ("5", "1314"): what admins copy from a Win32 error message,
// read as a Win32 error code rather than an HRESULT. nullopt for anything else.
std::optional<std::uint32_t> parse_win32_code(std::string_view text);

}  // namespace shadowctl::core
