#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model.h"
#include "session/system.h"

namespace shadowctl::emulator {

// The environment facts a test sets; the defaults are a healthy elevated admin on x64.
struct MachineFacts {
  session::ArchitectureFacts architecture{"x64", "x64"};
  session::TokenFacts token{0, true, true, false};
  session::PrivilegeFacts privilege{0, true, false, true};
  session::ServiceFacts service{0, session::ServiceStart::manual, false};
  core::HResult com = 0;
  session::LibraryFacts library{0, "C:\\windows\\system32\\vssapi.dll"};
  std::string machine_name = "SIM-HOST";
  core::HResult write_error = 0;  // what write_file_atomically answers, when set
  std::string letters_in_use = "C";  // besides the letters the machine's volumes and exposures hold
  std::map<std::string, session::FolderFacts> folders;  // by path; any other is missing
  std::vector<std::u16string> environment{u"Path=C:\\Windows\\System32",
                                          u"PATHEXT=.COM;.EXE;.BAT;.CMD"};
  std::vector<std::u16string> program_files{u"C:\\Windows\\System32\\robocopy.exe",
                                            u"C:\\Windows\\System32\\cmd.exe"};
  // What the file calls (list_folder and restore's) answer at a path as the product names
  // it (a device path, a destination): ERROR_FILE_NOT_FOUND for a file that vanished after it was
  // listed, E_ACCESSDENIED, ERROR_SHARING_VIOLATION...
  std::map<std::string, core::HResult> file_faults;
  // What every Task Scheduler call answers when set (the service stopped, access denied).
  core::HResult task_scheduler_error = 0;
  // What every event log query answers when set (Wine's wevtapi, which serves no query).
  core::HResult event_log_error = 0;
  // The bytes the destination takes before ERROR_DISK_FULL, every file written counted.
  std::uint64_t free_bytes = std::numeric_limits<std::uint64_t>::max();
  // What a started program does: gets the request, returns how it ended. Unset: exit 0.
  std::function<session::ProcessResult(const session::ProcessRequest&)> program;
  // Stands in for every folder listing when set (the benchmarks' trees of 100,000 entries,
  // past what the emulator freezes): the path as the product names it, the entries to give.
  std::function<core::HResult(const std::string&, std::vector<core::FileEntry>&)> listings;
};

// The in-process machine: the session layer's two interfaces, the environment from facts a
// test sets and VSS from the emulator model, so the product's own session code runs
// against the same rules the emulator DLL serves under Wine.
// Every async phase finishes at once: for what a run does, not its pace (the emulator's
// default is 20 ms a phase, several a create).
Scenario async_at_once();

// The default machine with `count` persistent shadow copies, half on each volume, with ids
// that are the same from run to run: for benchmarks and the instruction-count guard.
MachineState machine_with_shadows(int count);

class SimBackend final : public session::Environment, public session::VssApi {
 public:
  explicit SimBackend(Scenario scenario = {}, MachineFacts facts = {},
                      MachineState initial = default_machine());

  MachineFacts& facts() { return facts_; }
  Journal& journal() { return journal_; }
  Service& service() { return service_; }
  session::System system() { return {*this, *this}; }

  session::ArchitectureFacts architecture() override { return facts_.architecture; }
  session::TokenFacts token() override { return facts_.token; }
  session::PrivilegeFacts enable_backup_privilege() override {
    privilege_enabled_ = facts_.privilege.enabled;
    return facts_.privilege;
  }
  bool restore_backup_privilege() override {
    const bool ours = privilege_enabled_ && !facts_.privilege.was_enabled;
    if (ours) privilege_enabled_ = false;
    return ours;
  }
  // Whether SeBackupPrivilege was enabled at each path the user named and at each
  // CreateVssBackupComponents, in order, for tests of when it is held.
  const std::vector<std::pair<std::string, bool>>& privilege_at() const { return privilege_at_; }
  session::ServiceFacts vss_service() override { return facts_.service; }
  std::string system_message(core::HResult) override { return {}; }
  std::string machine_name() override { return facts_.machine_name; }
  core::HResult local_volumes(std::vector<core::Volume>& out) override;
  // Files are kept in memory, by path, for tests to read.
  core::HResult write_file_atomically(const std::string& path, const std::string& bytes) override {
    privilege_at_.emplace_back(path, privilege_enabled_);
    if (facts_.write_error) return facts_.write_error;
    files_[path] = bytes;
    return 0;
  }
  const std::map<std::string, std::string>& files() const { return files_; }
  bool drive_letter_in_use(char letter) override;
  std::uint64_t volume_capacity(const std::string& volume) override;
  // Its capacity less what its files take (Volume::used_space) and the shadow storage
  // stored on it.
  std::uint64_t volume_free_space(const std::string& volume) override;
  std::vector<std::u16string> environment_variables() override { return facts_.environment; }
  bool is_file(const std::u16string& path) override;
  std::u16string full_path(const std::u16string& path) override { return path; }
  std::u16string system_folder() override { return u"C:\\Windows\\System32"; }
  // Runs facts().program, and keeps every request for tests to read.
  session::ProcessResult run_process(const session::ProcessRequest& request) override {
    processes_.push_back(request);
    return facts_.program ? facts_.program(request) : session::ProcessResult{};
  }
  const std::vector<session::ProcessRequest>& processes() const { return processes_; }
  std::u16string this_program() override { return u"C:\\Program Files\\shadowctl\\shadowctl.exe"; }
  // The Task Scheduler's folder of shadowctl's tasks, in memory: registration refuses a name
  // taken (ERROR_ALREADY_EXISTS) unless replacing, deletion one missing
  // (ERROR_FILE_NOT_FOUND), as ITaskFolder does. Tests read and set tasks() directly (a
  // task's last run, a scheduler that fails).
  core::HResult register_task(const std::string& name, const std::string& xml,
                              bool replace) override;
  core::HResult list_tasks(std::vector<core::ScheduledTask>& out) override;
  core::HResult delete_task(const std::string& name) override;
  std::map<std::string, core::ScheduledTask>& tasks() { return tasks_; }
  // The machine's event log (event_log.h), through the XPath subset wevtapi.dll's double
  // serves, rendered as EvtRender and EvtFormatMessage render it.
  core::HResult query_events(const std::string& log, const std::string& xpath, std::size_t most,
                             std::vector<session::RenderedEvent>& out) override;
  session::FolderFacts examine_folder(const std::string& path) override;
  // A shadow copy's device path lists its frozen tree (docs/emulator.md, "Contents"); a copy
  // without contents is E_NOTIMPL, any other path ERROR_PATH_NOT_FOUND.
  core::HResult list_folder(const std::string& path, std::vector<core::FileEntry>& out) override;
  // Restore's calls on the same files: reads from frozen trees, writes below content roots
  // (a temporary file beside the destination, renamed there once whole), with the faults
  // and free space of the facts. A write into a frozen tree is E_ACCESSDENIED.
  core::HResult open_to_read(const std::string& path,
                             std::unique_ptr<session::FileReader>& out) override;
  core::HResult create_file(const std::string& destination,
                            std::unique_ptr<session::FileWriter>& out) override;
  core::HResult make_folder(const std::string& path) override;
  core::HResult set_folder_facts(const std::string& path, const core::FileEntry& entry) override;
  core::HResult rename_file(const std::string& from, const std::string& to) override;
  // What a temporary file's name holds, for tests that look for one left behind.
  static constexpr const char* kPartialMark = ".shadowctl-partial-";

  core::HResult initialize_com() override { return facts_.com; }
  session::LibraryFacts load_vssapi() override { return facts_.library; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>& out) override;
  core::HResult query_providers(std::vector<core::Provider>& out) override;
  core::HResult query_storage(const std::string& volume,
                              std::vector<core::StorageAssociation>& out) override;
  core::HResult add_storage(const std::string& for_volume, const std::string& on_volume,
                            std::int64_t maximum) override {
    return service_.add_diff_area(for_volume, on_volume, maximum);
  }
  core::HResult change_storage_maximum(const std::string& for_volume, const std::string& on_volume,
                                       std::int64_t maximum) override {
    return service_.change_diff_area_maximum(for_volume, on_volume, maximum);
  }
  core::HResult is_volume_snapshotted(const std::string& volume, bool& snapshotted) override;

 private:
  MachineFacts facts_;
  Journal journal_;
  Service service_;
  std::map<std::string, std::string> files_;
  std::vector<session::ProcessRequest> processes_;
  std::map<std::string, core::ScheduledTask> tasks_;
  // Where a Windows path's files are on this machine: below a frozen tree (in_copy) or a
  // volume's content root, each name matched whatever its case; hr says why there is none.
  std::filesystem::path real_path(const std::string& path, core::HResult& hr,
                                  bool* in_copy = nullptr);
  // The same for a write: E_ACCESSDENIED inside a frozen tree.
  std::filesystem::path writable_path(const std::string& path, core::HResult& hr);
  static core::FileEntry entry_of(const std::filesystem::path& path, std::error_code& error);
  // The fault the facts set at a path, after noting whether the privilege was enabled there.
  core::HResult file_fault(const std::string& path);
  unsigned next_partial_ = 0;
  // The folder as the facts hold it; examine_folder is the product's look, this VSS's.
  session::FolderFacts folder_facts(const std::string& path);
  // As the token has it: enabled from the start when the token came with it enabled.
  bool privilege_enabled_ = facts_.privilege.was_enabled;
  std::vector<std::pair<std::string, bool>> privilege_at_;
};

}  // namespace shadowctl::emulator
