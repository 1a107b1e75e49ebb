// Outside Windows there is no VSS: every fact says so, and `check` fails with exit 4.
#include "core/error_catalogue.h"
#include "platform/platform.h"

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
  session::ServiceFacts vss_service() override { return {kNotWindows}; }
  core::HResult local_volumes(std::vector<core::Volume>& out) override {
    out.clear();
    return kNotWindows;
  }
  std::string system_message(core::HResult) override { return {}; }
};

class PosixVssApi final : public session::VssApi {
 public:
  core::HResult initialize_com() override { return kNotWindows; }
  session::LibraryFacts load_vssapi() override { return {kNotWindows, {}}; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>&) override {
    return kNotWindows;
  }
  core::HResult query_providers(std::vector<core::Provider>&) override { return kNotWindows; }
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
