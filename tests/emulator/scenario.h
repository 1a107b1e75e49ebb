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
  bool per_object = false;  // nth counts the calls of one backup components object
  std::string of = {};  // IVssAsync::Wait/QueryStatus/Cancel: only on this operation's IVssAsync
  bool die = false;     // the process ends at this call, as if killed (no unwinding, no report)
  // Another process runs this command to its end at this call, which then goes on: the
  // machine changing under the requester (a copy deleted, a volume dismounted).
  std::vector<std::string> run = {};
};

// A shadow copy DeleteSnapshots fails on, part-way through a set.
struct DeleteFault {
  std::string shadow_id;
  core::HResult hr = 0;
};

// How an async operation (PrepareForBackup, DoSnapshotSet, BackupComplete,
// GatherWriterStatus, GatherWriterMetadata) misbehaves.
struct AsyncFault {
  // completes_at_cancel: pending to every Wait and QueryStatus, then completed just before
  // the Cancel that comes, which answers VSS_S_ASYNC_FINISHED (the deadline race, exactly).
  enum class Kind { late, hang, fail, completes_at_cancel };
  std::string method;
  Kind kind = Kind::late;
  int delay_ms = 0;        // late, fail: finishes this long after it started
  core::HResult hr = 0;    // fail: the operation's final status
  int nth = 0;
  bool per_object = false;
};

// A writer put in a state, with a failure code, when a phase completes; or missing (its
// service stopped: it neither describes itself nor reports a status).
struct WriterFault {
  std::string writer;  // writer name, e.g. "SqlServerWriter"
  int state = 0;       // VSS_WRITER_STATE
  core::HResult failure = 0;
  std::string phase;  // GatherWriterMetadata, PrepareForBackup, DoSnapshotSet or BackupComplete
  int nth = 0;        // the Nth completion of that phase; 0: every one
  bool per_object = false;
  bool missing = false;
};

// Which call a fault's `when` counts: of the process, or of one object.
struct CallCount {
  int in_process = 0;
  int in_object = 0;
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
  void add(DeleteFault fault) { deletes_.push_back(std::move(fault)); }

  // The fault for this call (1-based counts) of method, if any; `of` names the operation
  // whose IVssAsync is called, for the IVssAsync methods.
  std::optional<Fault> fault_for(const std::string& method, CallCount call,
                                 const std::string& of = {}) const;
  std::optional<AsyncFault> async_fault_for(const std::string& method, CallCount call) const;
  // The writer faults for this completion of phase (1-based counts).
  std::vector<WriterFault> writer_faults_at(const std::string& phase, CallCount call) const;
  // The failure DeleteSnapshots meets at this shadow copy, if any.
  std::optional<core::HResult> delete_fault_for(const std::string& shadow_id) const;

 private:
  std::vector<Fault> faults_;
  std::vector<AsyncFault> async_;
  std::vector<WriterFault> writers_;
  std::vector<DeleteFault> deletes_;
};

// VSS_WRITER_STATE by name (VSS_WS_FAILED_AT_FREEZE) or number; nullopt when neither.
std::optional<int> parse_writer_state(const std::string& text);

}  // namespace shadowctl::emulator
