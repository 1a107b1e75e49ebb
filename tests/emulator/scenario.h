#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::emulator {

// One injected fault: `method` returns `hr` on its Nth call (nth > 0) or on every call.
struct Fault {
  std::string method;
  core::HResult hr = 0;
  int nth = 0;  // 0: every call; 1: the first; N: the Nth
};

// How an async operation (PrepareForBackup, DoSnapshotSet, BackupComplete,
// GatherWriterStatus, GatherWriterMetadata) misbehaves.
struct AsyncFault {
  enum class Kind { late, hang, fail };
  std::string method;
  Kind kind = Kind::late;
  int delay_ms = 0;        // late: finishes this long after it started
  core::HResult hr = 0;    // fail: the operation's final status
  int nth = 0;
};

// A writer put in a state, with a failure code, when a phase completes.
struct WriterFault {
  std::string writer;  // writer name, e.g. "SqlServerWriter"
  int state = 0;       // VSS_WRITER_STATE
  core::HResult failure = 0;
  std::string phase;   // PrepareForBackup, DoSnapshotSet or BackupComplete
  int nth = 0;         // the Nth completion of that phase in the process; 0: every one
};

// The faults named by the file in SHADOWCTL_EMULATOR_SCENARIO (docs/emulator.md).
class Scenario {
 public:
  // Parses scenario JSON; throws std::runtime_error naming what is wrong.
  static Scenario parse(const std::string& json_text);
  // Reads the file; an empty path gives the empty scenario.
  static Scenario load(const std::string& path);

  void add(Fault fault) { faults_.push_back(std::move(fault)); }
  void add(AsyncFault fault) { async_.push_back(std::move(fault)); }
  void add(WriterFault fault) { writers_.push_back(std::move(fault)); }

  // The fault for the `call`-th call (1-based) of method, if any.
  std::optional<core::HResult> fault_for(const std::string& method, int call) const;
  std::optional<AsyncFault> async_fault_for(const std::string& method, int call) const;
  // The writer faults for the call-th completion of phase (1-based).
  std::vector<WriterFault> writer_faults_at(const std::string& phase, int call) const;

 private:
  std::vector<Fault> faults_;
  std::vector<AsyncFault> async_;
  std::vector<WriterFault> writers_;
};

// VSS_WRITER_STATE by name (VSS_WS_FAILED_AT_FREEZE) or number; nullopt when neither.
std::optional<int> parse_writer_state(const std::string& text);

}  // namespace shadowctl::emulator
