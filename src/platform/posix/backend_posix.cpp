// Outside Windows there is no VSS: every fact says so, and `check` fails with exit 4.
#include "core/error_catalogue.h"
#include "platform/platform.h"

namespace shadowctl::platform {
namespace {


class PosixBackend final : public session::Backend {
 public:
  session::ArchitectureFacts architecture() override {
    return {sizeof(void*) == 8 ? "x64" : "x86", ""};
  }
  session::TokenFacts token() override { return {core::hr::shadowctl_e_not_windows}; }
  session::PrivilegeFacts enable_backup_privilege() override { return {core::hr::shadowctl_e_not_windows}; }
  session::ServiceFacts vss_service() override { return {core::hr::shadowctl_e_not_windows}; }
  core::HResult initialize_com() override { return core::hr::shadowctl_e_not_windows; }
  session::LibraryFacts load_vssapi() override { return {core::hr::shadowctl_e_not_windows, {}}; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>&) override {
    return core::hr::shadowctl_e_not_windows;
  }
  std::string system_message(core::HResult) override { return {}; }
};

}  // namespace

std::unique_ptr<session::Backend> make_system_backend() { return std::make_unique<PosixBackend>(); }

}  // namespace shadowctl::platform
