// Outside Windows there is no VSS: every fact says so, and `check` fails with exit 4.
#include "platform/platform.h"

namespace shadowctl::platform {
namespace {

constexpr core::HResult kNotWindows = core::hr::shadowctl_e_not_windows;

class PosixBackend final : public session::Backend {
 public:
  session::ArchitectureFacts architecture() override {
    return {sizeof(void*) == 8 ? "x64" : "x86", ""};
  }
  session::TokenFacts token() override { return {kNotWindows}; }
  session::PrivilegeFacts enable_backup_privilege() override { return {kNotWindows}; }
  session::ServiceFacts vss_service() override { return {kNotWindows}; }
  core::HResult initialize_com() override { return kNotWindows; }
  session::LibraryFacts load_vssapi() override { return {kNotWindows, {}}; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>&) override {
    return kNotWindows;
  }
  std::string system_message(core::HResult) override { return {}; }
};

}  // namespace

std::unique_ptr<session::Backend> make_system_backend() { return std::make_unique<PosixBackend>(); }

}  // namespace shadowctl::platform
