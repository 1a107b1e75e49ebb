// Outside Windows there is no VSS: every fact says so, and `check` fails with exit 4.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "core/error_catalogue.h"
#include "platform/platform.h"
#include "platform/posix/parent_folder.h"

namespace shadowctl::platform {
namespace {

constexpr core::HResult kNotWindows = core::hr::shadowctl_e_not_windows;

class PosixEnvironment final : public session::Environment {
 public:
  session::ArchitectureFacts architecture() override {
    return {sizeof(void*) == 8 ? "x64" : "x86", ""};
  }
  session::TokenFacts token() override { return {kNotWindows}; }
  session::PrivilegeFacts enable_backup_privilege() override { return {kNotWindows}; }
  bool restore_backup_privilege() override { return false; }
  session::ServiceFacts vss_service() override { return {kNotWindows}; }
  core::HResult local_volumes(std::vector<core::Volume>& out) override {
    out.clear();
    return kNotWindows;
  }
  core::HResult write_file_atomically(const std::string& path, const std::string& bytes) override;
  std::string system_message(core::HResult) override { return {}; }
  std::string machine_name() override {
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
  }
  bool drive_letter_in_use(char) override { return false; }
  std::uint64_t volume_capacity(const std::string&) override { return 0; }
  std::uint64_t volume_free_space(const std::string&) override { return 0; }
  std::vector<std::u16string> environment_variables() override { return {}; }
  bool is_file(const std::u16string&) override { return false; }
  std::u16string full_path(const std::u16string& path) override { return path; }
  std::u16string system_folder() override { return {}; }
  session::ProcessResult run_process(const session::ProcessRequest&) override {
    session::ProcessResult result;
    result.start_error = kNotWindows;
    return result;
  }
  std::u16string this_program() override { return {}; }
  // The Task Scheduler is Windows'.
  core::HResult register_task(const std::string&, const std::string&, bool) override {
    return kNotWindows;
  }
  core::HResult list_tasks(std::vector<core::ScheduledTask>& out) override {
    out.clear();
    return kNotWindows;
  }
  core::HResult delete_task(const std::string&) override { return kNotWindows; }
  core::HResult query_events(const std::string&, const std::string&, std::size_t,
                             std::vector<session::RenderedEvent>&) override {
    return kNotWindows;
  }
  session::FolderFacts examine_folder(const std::string&) override {
    session::FolderFacts facts;
    facts.error = kNotWindows;
    return facts;
  }
  core::HResult list_folder(const std::string&, std::vector<core::FileEntry>&) override {
    return kNotWindows;
  }
  // Shadow copies are Windows': nothing here reads or restores one.
  core::HResult open_to_read(const std::string&, std::unique_ptr<session::FileReader>&) override {
    return kNotWindows;
  }
  core::HResult create_file(const std::string&, std::unique_ptr<session::FileWriter>&) override {
    return kNotWindows;
  }
  core::HResult make_folder(const std::string&) override { return kNotWindows; }
  core::HResult set_folder_facts(const std::string&, const core::FileEntry&) override {
    return kNotWindows;
  }
  core::HResult rename_file(const std::string&, const std::string&) override {
    return kNotWindows;
  }
};

// errno in the nearest catalogue terms: refusals are access denied, a missing folder is a
// path not found, the rest a plain failure.
core::HResult errno_hresult() {
  if (errno == EACCES || errno == EPERM || errno == EROFS) return core::hr::e_accessdenied;
  if (errno == ENOENT || errno == ENOTDIR) return core::hr::error_path_not_found;
  return core::hr::e_fail;
}

core::HResult PosixEnvironment::write_file_atomically(const std::string& path,
                                                      const std::string& bytes) {
  // Every folder above the file opened without following a link; the file made in the last.
  ParentFolder folder;
  std::string why;
  if (!folder.open(path, why)) return errno == ENOENT ? core::hr::error_path_not_found
                                                      : core::hr::e_accessdenied;
  // O_EXCL|O_NOFOLLOW: the temporary name is new, and a link planted there is refused.
  static unsigned counter = 0;
  const std::string temporary =
      folder.name() + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + ".tmp";
  const int fd = ::openat(folder.fd(), temporary.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return errno_hresult();
  const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  const bool closed = ::close(fd) == 0;
  // renameat replaces the directory entry: a link planted at the name is replaced, not followed.
  if (!written || !closed ||
      ::renameat(folder.fd(), temporary.c_str(), folder.fd(), folder.name().c_str()) != 0) {
    const core::HResult hr = errno_hresult();
    ::unlinkat(folder.fd(), temporary.c_str(), 0);
    return hr;
  }
  return core::hr::s_ok;
}

class PosixVssApi final : public session::VssApi {
 public:
  core::HResult initialize_com() override { return kNotWindows; }
  session::LibraryFacts load_vssapi() override { return {kNotWindows, {}}; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>&) override {
    return kNotWindows;
  }
  core::HResult query_providers(std::vector<core::Provider>&) override { return kNotWindows; }
  core::HResult add_storage(const std::string&, const std::string&, std::int64_t) override {
    return kNotWindows;
  }
  core::HResult change_storage_maximum(const std::string&, const std::string&,
                                       std::int64_t) override {
    return kNotWindows;
  }
  core::HResult query_storage(const std::string&,
                              std::vector<core::StorageAssociation>&) override {
    return kNotWindows;
  }
  core::HResult is_volume_snapshotted(const std::string&, bool&) override { return kNotWindows; }
};

}  // namespace

std::unique_ptr<session::Environment> make_environment() {
  return std::make_unique<PosixEnvironment>();
}

std::unique_ptr<session::VssApi> make_vss_api() { return std::make_unique<PosixVssApi>(); }

}  // namespace shadowctl::platform
