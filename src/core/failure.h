#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::core {

// A cleanup call that failed after the run had already failed ("AbortBackup",
// "DeleteSnapshots"), with its own HRESULT.
struct CleanupFailure {
  std::string call;
  HResult hr = 0;
};

// A snapshot set that a failed run could not remove, and the shadow copies of it that are
// still there: what the user must delete by hand.
struct LeftBehind {
  std::string set_id;
  std::vector<std::string> shadow_ids;
};

// What went wrong: the HRESULT and the phase (usually the VSS call) that returned it, and,
// when cleaning up failed too, what that cleanup could not undo.
struct Failure {
  HResult hr = 0;
  std::string phase;
  std::string detail;  // what exactly was wrong, e.g. the argument that was rejected
  std::vector<CleanupFailure> cleanup_failures = {};
  std::vector<LeftBehind> left_behind = {};
  // What to do, when it depends on what failed and not on the HRESULT alone (a volume not
  // found points at `list volumes`, a writer at `list writers`); empty: the catalogue's.
  std::string remedy = {};
  // What the failed run's cleanup did ("AbortBackup called; no shadow copy was created").
  std::string undone = {};
  // The writer or volume the failure is about, where there is one: a script need not parse
  // the detail to know which.
  std::string writer = {};
  std::string volume = {};
};

// Something a run that succeeded wants known: a code a script can test, the message for
// people, what it is about (a writer, a path, a shadow copy id, a check), and the HRESULT
// behind it when there is one.
struct Warning {
  std::string code;     // snake_case, stable: "not_kept", "writer_failed_after_backup", ...
  std::string message;  // one line, for people
  std::string about = {};
  HResult hr = 0;  // 0: none
};

// The exact command that removes a set left behind.
std::string delete_command_for(const LeftBehind& left);

// Thrown where a failure cannot be returned; the CLI's top-level handler reports it.
class Error : public std::runtime_error {
 public:
  explicit Error(Failure f);
  const Failure& failure() const { return failure_; }

 private:
  Failure failure_;
};

}  // namespace shadowctl::core
