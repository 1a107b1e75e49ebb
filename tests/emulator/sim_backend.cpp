#include "sim_backend.h"

#include "event_log.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/vss.h"
#include "lookup.h"

namespace shadowctl::emulator {
namespace {

// Keeps the requester that started it alive, as an IVssAsync holds its backup object.
class SimAsync final : public session::AsyncOperation {
 public:
  SimAsync(std::shared_ptr<Async> a, std::shared_ptr<Requester> owner)
      : async_(std::move(a)), owner_(std::move(owner)) {}
  core::HResult wait(std::chrono::milliseconds limit) override {
    const auto ms = static_cast<std::uint32_t>(
        std::min<std::chrono::milliseconds::rep>(limit.count(), 0xFFFFFFFEu));
    const core::HResult waited = async_->wait(ms);
    if (core::failed(waited)) return waited;
    core::HResult status = 0;
    const core::HResult queried = async_->query_status(&status);
    return core::failed(queried) ? queried : status;
  }
  core::HResult cancel() override { return async_->cancel(); }

 private:
  std::shared_ptr<Async> async_;
  std::shared_ptr<Requester> owner_;
};

// Starts an async call of the model and hands its operation out as the session's.
template <typename Start>
core::HResult start(Start&& call, std::shared_ptr<Requester> owner, session::Async& out) {
  std::shared_ptr<Async> a;
  const core::HResult hr = call(&a);
  if (core::succeeded(hr) && a) out = std::make_unique<SimAsync>(std::move(a), std::move(owner));
  return hr;
}

core::ShadowCopy to_core(const Shadow& s) {
  core::ShadowCopy c;
  c.id = s.id;
  c.set_id = s.set_id;
  c.shadows_in_set = s.shadows_in_set;
  c.device_path = s.device_path;
  c.original_volume = s.original_volume;
  c.originating_machine = s.originating_machine;
  c.service_machine = s.service_machine;
  c.exposed_name = s.exposed_name;
  c.exposed_path = s.exposed_path;
  c.provider_id = s.provider_id;
  c.attributes = s.attributes;
  c.created_unix_us = s.created_us;
  c.state = s.state;
  return c;
}

class SimBackupComponents final : public session::BackupComponents {
 public:
  explicit SimBackupComponents(std::unique_ptr<Requester> r) : r_(std::move(r)) {}
  // Release: the requester goes when the last async operation it started goes too.

  core::HResult initialize_for_backup() override { return r_->initialize_for_backup({}); }
  core::HResult set_context(long c) override { return r_->set_context(c); }
  core::HResult set_backup_state(bool select, bool bootable, int type, bool partial) override {
    return r_->set_backup_state(select, bootable, type, partial);
  }
  core::HResult gather_writer_metadata(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->gather_writer_metadata(a); }, r_, out);
  }
  core::HResult writer_metadata(std::vector<core::WriterMetadata>& out) override {
    std::vector<Writer> writers;
    const core::HResult hr = r_->writer_metadata(&writers);
    out.clear();
    for (const auto& w : writers) {
      core::WriterMetadata m{w.id, w.instance_id, w.name, {}};
      for (const auto& c : w.components) {
        core::WriterComponent component{c.logical_path, c.name,
                                        c.type == 1 ? "database" : "filegroup", c.selectable, {}};
        // As the Windows code reads them: its files, then a database's log files.
        for (const auto* files : {&c.files, &c.log_files})
          for (const auto& f : *files) component.files.push_back({f.path, f.filespec, f.recursive});
        for (const auto& d : c.dependencies)
          component.dependencies.push_back({d.writer_id, d.logical_path, d.component_name});
        m.components.push_back(std::move(component));
      }
      out.push_back(std::move(m));
    }
    return hr;
  }
  core::HResult free_writer_metadata() override { return r_->free_writer_metadata(); }
  core::HResult save_as_xml(std::string& xml) override { return r_->save_as_xml(&xml); }
  core::HResult enable_writer_classes(const std::vector<std::string>& ids) override {
    return r_->enable_writer_classes(ids);
  }
  core::HResult disable_writer_classes(const std::vector<std::string>& ids) override {
    return r_->disable_writer_classes(ids);
  }
  core::HResult add_component(const session::ComponentRef& c) override {
    return r_->add_component({c.instance_id, c.writer_id, c.type, c.logical_path, c.name, false});
  }
  core::HResult set_backup_succeeded(const session::ComponentRef& c, bool succeeded) override {
    return r_->set_backup_succeeded({c.instance_id, c.writer_id, c.type, c.logical_path, c.name, false},
                                    succeeded);
  }
  core::HResult start_snapshot_set(std::string& set_id) override {
    return r_->start_snapshot_set(&set_id);
  }
  core::HResult is_volume_supported(const std::string& volume, const std::string& provider,
                                    bool& supported) override {
    return r_->is_volume_supported(volume, provider, &supported);
  }
  core::HResult add_to_snapshot_set(const std::string& volume, const std::string& provider,
                                    std::string& shadow_id) override {
    return r_->add_to_snapshot_set(volume, provider, &shadow_id);
  }
  core::HResult prepare_for_backup(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->prepare_for_backup(a); }, r_, out);
  }
  core::HResult gather_writer_status(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->gather_writer_status(a); }, r_, out);
  }
  core::HResult writer_status(std::vector<core::WriterStatus>& out) override {
    std::vector<Writer> writers;
    const core::HResult hr = r_->writer_status(&writers);
    out.clear();
    for (const auto& w : writers) out.push_back({w.id, w.instance_id, w.name, w.state, w.failure});
    return hr;
  }
  core::HResult free_writer_status() override { return r_->free_writer_status(); }
  core::HResult do_snapshot_set(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->do_snapshot_set(a); }, r_, out);
  }
  core::HResult snapshot_properties(const std::string& id, core::ShadowCopy& out) override {
    Shadow s;
    const core::HResult hr = r_->get_snapshot_properties(id, &s);
    if (core::succeeded(hr)) out = to_core(s);
    return hr;
  }
  core::HResult backup_complete(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->backup_complete(a); }, r_, out);
  }
  core::HResult abort_backup() override { return r_->abort_backup(); }
  core::HResult query_snapshots(std::vector<core::ShadowCopy>& out) override {
    std::vector<Shadow> shadows;
    const core::HResult hr = r_->query(&shadows);
    out.clear();
    out.reserve(shadows.size());
    for (const auto& s : shadows) out.push_back(to_core(s));
    return hr;
  }
  core::HResult delete_snapshots(const std::string& id, bool whole_set,
                                 session::DeleteResult& out) override {
    out = {};
    std::string not_deleted;
    const core::HResult hr = r_->delete_snapshots(id, whole_set, &out.deleted, &not_deleted);
    if (core::failed(hr)) out.failed_id = not_deleted.empty() ? id : not_deleted;
    return hr;
  }
  core::HResult expose_snapshot(const std::string& id, bool remotely, const std::string& expose,
                                std::string& exposed) override {
    return r_->expose_snapshot(id, remotely, expose, &exposed);
  }
  core::HResult unexpose_snapshot(const std::string& id) override {
    return r_->unexpose_snapshot(id);
  }

 private:
  std::shared_ptr<Requester> r_;
};

}  // namespace

SimBackend::SimBackend(Scenario scenario, MachineFacts facts, MachineState initial)
    : facts_(std::move(facts)), service_(std::move(scenario), journal_, {}, std::move(initial)) {
  // VSS sees the same folders the product examines.
  service_.set_folder_probe([this](const std::string& path) {
    const session::FolderFacts f = folder_facts(path);
    if (f.error) return FolderState::missing;
    if (!f.directory || f.reparse_point) return FolderState::not_a_folder;
    return f.empty ? FolderState::empty_folder : FolderState::not_empty;
  });
}

core::HResult SimBackend::create_backup_components(
    std::unique_ptr<session::BackupComponents>& out) {
  privilege_at_.emplace_back("CreateVssBackupComponents", privilege_enabled_);
  std::unique_ptr<Requester> requester;
  const core::HResult hr = service_.create_backup_components(requester);
  if (core::succeeded(hr)) out = std::make_unique<SimBackupComponents>(std::move(requester));
  return hr;
}

core::HResult SimBackend::local_volumes(std::vector<core::Volume>& out) {
  out.clear();
  const auto machine = service_.store().snapshot();  // held: a range-for would drop it
  for (const auto& v : machine->volumes)
    out.push_back({v.name, v.mount_points, v.file_system, v.label});
  return core::hr::s_ok;
}

core::HResult SimBackend::query_events(const std::string& log, const std::string& xpath,
                                       std::size_t most,
                                       std::vector<session::RenderedEvent>& out) {
  out.clear();
  if (facts_.event_log_error) return facts_.event_log_error;
  const auto machine = service_.store().snapshot();
  std::vector<RecordedEvent> found;
  if (const std::uint32_t error = select_events(*machine, log, xpath, found))
    return core::hresult_from_win32(error);
  const std::size_t first = found.size() > most ? found.size() - most : 0;
  for (std::size_t i = first; i < found.size(); ++i)
    out.push_back({render_event_xml(found[i], facts_.machine_name),
                   format_event_message(found[i])});
  return 0;
}

std::uint64_t SimBackend::volume_capacity(const std::string& volume) {
  const auto machine = service_.store().snapshot();
  for (const auto& v : machine->volumes)
    if (v.name == volume) return v.capacity;
  return 0;
}

std::uint64_t SimBackend::volume_free_space(const std::string& volume) {
  const auto machine = service_.store().snapshot();
  for (const auto& v : machine->volumes) {
    if (v.name != volume) continue;
    std::uint64_t taken = v.used_space;
    for (const auto& s : machine->storage)
      if (s.on_volume == volume) taken += s.allocated;
    return v.capacity > taken ? v.capacity - taken : 0;
  }
  return 0;
}

bool SimBackend::drive_letter_in_use(char letter) {
  auto is = [&](const std::string& name) {
    return name.size() >= 2 && name[1] == ':' &&
           std::toupper(static_cast<unsigned char>(name[0])) == letter;
  };
  if (facts_.letters_in_use.find(letter) != std::string::npos) return true;
  const auto snapshot = service_.store().snapshot();
  const MachineState& m = *snapshot;
  for (const auto& v : m.volumes)
    if (std::any_of(v.mount_points.begin(), v.mount_points.end(), is)) return true;
  return std::any_of(m.shadows.begin(), m.shadows.end(),
                     [&](const Shadow& s) { return s.exposed_name.size() == 2 && is(s.exposed_name); });
}

bool SimBackend::is_file(const std::u16string& path) {
  const std::string wanted = core::utf8(path);
  privilege_at_.emplace_back(wanted, privilege_enabled_);
  return std::any_of(facts_.program_files.begin(), facts_.program_files.end(), [&](const auto& f) {
    const std::string file = core::utf8(f);
    return file.size() == wanted.size() &&
           std::equal(file.begin(), file.end(), wanted.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

std::filesystem::path SimBackend::real_path(const std::string& path, core::HResult& hr,
                                           bool* in_copy) {
  namespace fs = std::filesystem;
  hr = 0;
  // Where the path's files are: a shadow copy's frozen tree below its device path, or a
  // volume's content root below its mount point (the live volume).
  const MachineState state = service_.store().read();
  fs::path folder;
  std::string rest;
  auto begins = [&](const std::string& prefix) {
    return path.size() >= prefix.size() && lower(path.substr(0, prefix.size())) == lower(prefix) &&
           (path.size() == prefix.size() || prefix.back() == '\\' || path[prefix.size()] == '\\');
  };
  for (const auto& s : state.shadows)
    if (begins(s.device_path)) {
      if (in_copy) *in_copy = true;
      if (s.contents.empty()) {
        hr = core::hr::e_notimpl;
        return {};
      }
      folder = s.contents;
      rest = path.substr(s.device_path.size());
    }
  // The live volume: the one mounted at the longest mount point that begins the path.
  const Volume* live = nullptr;
  std::size_t longest = 0;
  for (const auto& v : state.volumes)
    for (const auto& mount : v.mount_points)
      if (mount.size() > longest && begins(mount)) {
        live = &v;
        longest = mount.size();
      }
  if (folder.empty() && live && !live->content_root.empty()) {
    folder = live->content_root;
    rest = path.substr(longest);
  }
  if (folder.empty()) {
    hr = core::hr::error_path_not_found;
    return {};
  }
  for (std::size_t start = 0; start < rest.size();) {
    const std::size_t end = std::min(rest.find('\\', start), rest.size());
    // Windows finds a name whatever its case, as NTFS does by default; a name not there
    // stays as given (what a new file will be called).
    if (end > start) {
      const std::string part = lower(rest.substr(start, end - start));
      fs::path next = folder / rest.substr(start, end - start);
      std::error_code ignored;
      for (const auto& entry : fs::directory_iterator(folder, ignored))
        if (lower(entry.path().filename().string()) == part) next = entry.path();
      folder = next;
    }
    start = end + 1;
  }
  return folder;
}

core::HResult SimBackend::list_folder(const std::string& path, std::vector<core::FileEntry>& out) {
  namespace fs = std::filesystem;
  if (const core::HResult fault = file_fault(path); core::failed(fault)) return fault;
  if (facts_.listings) return facts_.listings(path, out);
  core::HResult hr = 0;
  const fs::path folder = real_path(path, hr);
  if (hr == core::hr::e_notimpl) return hr;
  std::error_code error;
  if (folder.empty() || !fs::is_directory(fs::symlink_status(folder, error)))
    return core::hr::error_path_not_found;
  for (const auto& entry : fs::directory_iterator(folder, error))
    out.push_back(entry_of(entry.path(), error));
  return error ? core::hr::e_fail : core::HResult{0};
}

core::FileEntry SimBackend::entry_of(const std::filesystem::path& path, std::error_code& error) {
  namespace fs = std::filesystem;
  const auto status = fs::symlink_status(path, error);
  core::FileEntry e;
  e.name = path.filename().string();
  if (fs::is_symlink(status)) e.attributes |= core::file_attr::reparse_point;
  if (fs::is_directory(status)) e.attributes |= core::file_attr::directory;
  if (fs::is_regular_file(status)) {
    e.size = fs::file_size(path, error);
    e.attributes |= core::file_attr::archive;
  }
  if ((status.permissions() & fs::perms::owner_write) == fs::perms::none)
    e.attributes |= core::file_attr::read_only;
  if (!fs::is_symlink(status)) {
    const auto written = std::chrono::file_clock::to_sys(fs::last_write_time(path, error));
    e.written_unix_us = e.created_unix_us =
        std::chrono::duration_cast<std::chrono::microseconds>(written.time_since_epoch()).count();
  }
  return e;
}

namespace {

std::filesystem::file_time_type written_time(std::int64_t unix_us) {
  return std::chrono::file_clock::from_sys(
      std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(unix_us)));
}

class SimReader final : public session::FileReader {
 public:
  explicit SimReader(const std::filesystem::path& path) : in_(path, std::ios::binary) {}
  core::HResult read(char* buffer, std::size_t size, std::size_t& got) override {
    in_.read(buffer, static_cast<std::streamsize>(size));
    got = static_cast<std::size_t>(in_.gcount());
    return in_.bad() ? core::hr::e_fail : core::HResult{0};
  }

 private:
  std::ifstream in_;
};

// Writes a temporary file beside the destination, as the Windows writer does, counting the
// bytes against the machine's free space.
class SimWriter final : public session::FileWriter {
 public:
  SimWriter(std::filesystem::path temporary, std::filesystem::path destination,
            std::uint64_t& free_bytes)
      : temporary_(std::move(temporary)),
        destination_(std::move(destination)),
        out_(temporary_, std::ios::binary),
        free_bytes_(free_bytes) {}
  ~SimWriter() override {
    if (finished_) return;
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
  SimWriter(const SimWriter&) = delete;
  SimWriter& operator=(const SimWriter&) = delete;

  core::HResult write(const char* bytes, std::size_t size) override {
    if (size > free_bytes_) {
      out_.write(bytes, static_cast<std::streamsize>(free_bytes_));  // what fitted, as NTFS
      free_bytes_ = 0;
      return core::hr::error_disk_full;
    }
    free_bytes_ -= size;
    out_.write(bytes, static_cast<std::streamsize>(size));
    return out_ ? core::HResult{0} : core::hr::e_fail;
  }

  core::HResult finish(const core::FileEntry& entry, bool replace) override {
    namespace fs = std::filesystem;
    out_.close();
    if (!out_) return core::hr::e_fail;
    std::error_code error;
    fs::last_write_time(temporary_, written_time(entry.written_unix_us), error);
    if ((entry.attributes & core::file_attr::read_only) != 0)
      fs::permissions(temporary_, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                      fs::perm_options::remove, error);
    if (!replace && fs::exists(fs::symlink_status(destination_, error)))
      return core::hr::error_file_exists;
    fs::rename(temporary_, destination_, error);  // a link there is replaced, not followed
    if (error) return core::hr::e_fail;
    finished_ = true;
    return 0;
  }

 private:
  std::filesystem::path temporary_;
  std::filesystem::path destination_;
  std::ofstream out_;
  std::uint64_t& free_bytes_;
  bool finished_ = false;
};

}  // namespace

core::HResult SimBackend::file_fault(const std::string& path) {
  privilege_at_.emplace_back(path, privilege_enabled_);
  const auto fault = facts_.file_faults.find(path);
  return fault == facts_.file_faults.end() ? core::HResult{0} : fault->second;
}

std::filesystem::path SimBackend::writable_path(const std::string& path, core::HResult& hr) {
  bool in_copy = false;
  auto real = real_path(path, hr, &in_copy);
  if (in_copy) hr = core::hr::e_accessdenied;  // a shadow copy is read-only
  return real;
}

core::HResult SimBackend::open_to_read(const std::string& path,
                                       std::unique_ptr<session::FileReader>& out) {
  namespace fs = std::filesystem;
  if (const core::HResult fault = file_fault(path); core::failed(fault)) return fault;
  core::HResult hr = 0;
  const fs::path file = real_path(path, hr);
  if (core::failed(hr)) return hr;
  std::error_code error;
  const auto status = fs::symlink_status(file, error);
  if (!fs::exists(status)) return core::hr::error_file_not_found;
  if (fs::is_symlink(status)) return core::hr::shadowctl_e_reparse_point;  // never followed
  if (!fs::is_regular_file(status)) return core::hr::e_unexpected;
  out = std::make_unique<SimReader>(file);
  return 0;
}

core::HResult SimBackend::create_file(const std::string& destination,
                                      std::unique_ptr<session::FileWriter>& out) {
  namespace fs = std::filesystem;
  if (const core::HResult fault = file_fault(destination); core::failed(fault)) return fault;
  core::HResult hr = 0;
  const fs::path file = writable_path(destination, hr);
  if (core::failed(hr)) return hr;
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(file.parent_path(), error)))
    return core::hr::error_path_not_found;
  const fs::path temporary = file.string() + kPartialMark + std::to_string(next_partial_++);
  out = std::make_unique<SimWriter>(temporary, file, facts_.free_bytes);
  return 0;
}

core::HResult SimBackend::make_folder(const std::string& path) {
  namespace fs = std::filesystem;
  if (const core::HResult fault = file_fault(path); core::failed(fault)) return fault;
  core::HResult hr = 0;
  const fs::path folder = writable_path(path, hr);
  if (core::failed(hr)) return hr;
  std::error_code error;
  if (fs::exists(fs::symlink_status(folder, error))) return core::hr::error_already_exists;
  if (!fs::is_directory(fs::symlink_status(folder.parent_path(), error)))
    return core::hr::error_path_not_found;
  fs::create_directory(folder, error);
  return error ? core::hr::e_fail : core::HResult{0};
}

core::HResult SimBackend::set_folder_facts(const std::string& path, const core::FileEntry& entry) {
  namespace fs = std::filesystem;
  core::HResult hr = 0;
  const fs::path folder = writable_path(path, hr);
  if (core::failed(hr)) return hr;
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(folder, error))) return core::hr::error_path_not_found;
  if (entry.written_unix_us != 0)  // 0 leaves the time as it is, as FILE_BASIC_INFO does
    fs::last_write_time(folder, written_time(entry.written_unix_us), error);
  return error ? core::hr::e_fail : core::HResult{0};
}

core::HResult SimBackend::rename_file(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  if (const core::HResult fault = file_fault(to); core::failed(fault)) return fault;
  core::HResult hr = 0;
  const fs::path source = writable_path(from, hr);  // out of a frozen tree is a write too
  if (core::failed(hr)) return hr;
  const fs::path target = writable_path(to, hr);
  if (core::failed(hr)) return hr;
  std::error_code error;
  if (fs::exists(fs::symlink_status(target, error))) return core::hr::error_already_exists;
  fs::rename(source, target, error);
  return error ? core::hr::error_file_not_found : core::HResult{0};
}

session::FolderFacts SimBackend::examine_folder(const std::string& path) {
  privilege_at_.emplace_back(path, privilege_enabled_);
  return folder_facts(path);
}

session::FolderFacts SimBackend::folder_facts(const std::string& path) {
  const auto it = facts_.folders.find(path);
  // A drive's root folder is there while its letter is: files the user names at C:\ need no
  // folder of their own in the facts.
  const bool root = path.size() == 3 && path[1] == ':' && (path[2] == '\\' || path[2] == '/');
  if (it == facts_.folders.end() && root &&
      drive_letter_in_use(static_cast<char>(std::toupper(static_cast<unsigned char>(path[0])))))
    return {0, true, false, false, "NTFS"};
  // A file the run wrote is a file; "." is the current folder.
  if (it == facts_.folders.end() && files_.contains(path)) return {0, false, false, false, "NTFS"};
  if (it == facts_.folders.end() && path == ".") return {0, true, false, false, "NTFS"};
  // A path of this machine's own file system (a test's temporary folder) is looked at for
  // real, without following a link, as the Windows probe does.
  if (it == facts_.folders.end() && !path.empty() && path[0] == '/') {
    std::error_code error;
    const auto status = std::filesystem::symlink_status(path, error);
    if (error || !std::filesystem::exists(status))
      return {core::hr::error_path_not_found, false, false, false, ""};
    return {0, std::filesystem::is_directory(status), std::filesystem::is_symlink(status), false,
            ""};
  }
  // A path below a volume's content root is looked at there, as the Windows probe would.
  if (it == facts_.folders.end()) {
    core::HResult hr = 0;
    bool in_copy = false;
    const auto real = real_path(path, hr, &in_copy);
    std::error_code error;
    const auto status = std::filesystem::symlink_status(real, error);
    if (!in_copy && core::succeeded(hr) && !error && std::filesystem::exists(status)) {
      const bool directory = std::filesystem::is_directory(status);
      return {0, directory, std::filesystem::is_symlink(status),
              directory && std::filesystem::is_empty(real, error), "NTFS"};
    }
  }
  if (it == facts_.folders.end()) {
    session::FolderFacts missing;
    missing.error = core::hr::error_path_not_found;
    return missing;
  }
  return it->second;
}

core::HResult SimBackend::query_providers(std::vector<core::Provider>& out) {
  std::vector<Provider> providers;
  const core::HResult hr = service_.query_providers(&providers);
  out.clear();
  for (const auto& p : providers) out.push_back({p.id, p.name, p.version, p.type});
  return hr;
}

core::HResult SimBackend::query_storage(const std::string& volume,
                                        std::vector<core::StorageAssociation>& out) {
  std::vector<Storage> storage;
  const core::HResult hr = service_.query_diff_areas(volume, true, &storage);
  out.clear();
  for (const auto& s : storage)
    out.push_back({s.for_volume, s.on_volume, s.used, s.allocated, s.maximum});
  return hr;
}

core::HResult SimBackend::is_volume_snapshotted(const std::string& volume, bool& snapshotted) {
  long capability = 0;
  return service_.is_volume_snapshotted(volume, &snapshotted, &capability);
}

Scenario async_at_once() {
  return Scenario::parse(R"({"async": [
      {"method": "GatherWriterMetadata", "behaviour": "late", "delay_ms": 0},
      {"method": "GatherWriterStatus", "behaviour": "late", "delay_ms": 0},
      {"method": "PrepareForBackup", "behaviour": "late", "delay_ms": 0},
      {"method": "DoSnapshotSet", "behaviour": "late", "delay_ms": 0},
      {"method": "BackupComplete", "behaviour": "late", "delay_ms": 0}]})");
}

MachineState machine_with_shadows(int count) {
  auto m = default_machine();
  for (int i = 0; i < count; ++i) {
    Shadow s;
    s.id = "{00000000-0000-4000-8000-" + std::to_string(100000000000 + i) + "}";
    s.set_id = s.id;
    s.device_path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(i + 1);
    s.original_volume = m.volumes[static_cast<std::size_t>(i % 2)].name;
    s.originating_machine = s.service_machine = m.machine_name;
    s.provider_id = m.providers[0].id;
    s.context = core::vss::context::app_rollback;
    s.attributes = core::vss::attr::persistent | core::vss::attr::no_auto_release;
    s.created_us = 1'700'000'000'000'000 + i * 1'000'000LL;
    m.shadows.push_back(std::move(s));
  }
  return m;
}

}  // namespace shadowctl::emulator

namespace shadowctl::emulator {

core::HResult SimBackend::register_task(const std::string& name, const std::string& xml,
                                        bool replace) {
  if (facts_.task_scheduler_error) return facts_.task_scheduler_error;
  if (tasks_.count(name) && !replace) return core::hr::error_already_exists;
  core::ScheduledTask& task = tasks_[name];
  task = {};
  task.name = name;
  task.xml = xml;
  task.enabled = true;
  task.state = 3;  // TASK_STATE_READY
  task.last_run_hr = core::code("SCHED_S_TASK_HAS_NOT_RUN");
  task.last_result = core::code("SCHED_S_TASK_HAS_NOT_RUN");
  return 0;
}

core::HResult SimBackend::list_tasks(std::vector<core::ScheduledTask>& out) {
  out.clear();
  if (facts_.task_scheduler_error) return facts_.task_scheduler_error;
  for (const auto& [name, task] : tasks_) out.push_back(task);
  return 0;
}

core::HResult SimBackend::delete_task(const std::string& name) {
  if (facts_.task_scheduler_error) return facts_.task_scheduler_error;
  return tasks_.erase(name) ? core::HResult{0} : core::hr::error_file_not_found;
}

}  // namespace shadowctl::emulator
