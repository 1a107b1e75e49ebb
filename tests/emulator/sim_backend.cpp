#include "sim_backend.h"

namespace shadowctl::emulator {
namespace {

class SimBackupComponents final : public session::BackupComponents {
 public:
  explicit SimBackupComponents(std::unique_ptr<Requester> r) : requester_(std::move(r)) {}
  core::HResult initialize_for_backup() override { return requester_->initialize_for_backup({}); }
  core::HResult set_context(long c) override { return requester_->set_context(c); }
  core::HResult abort_backup() override { return requester_->abort_backup(); }

 private:
  std::unique_ptr<Requester> requester_;
};

}  // namespace

SimBackend::SimBackend(Scenario scenario, MachineFacts facts)
    : facts_(std::move(facts)), service_(std::move(scenario), journal_) {}

core::HResult SimBackend::create_backup_components(
    std::unique_ptr<session::BackupComponents>& out) {
  std::unique_ptr<Requester> requester;
  const core::HResult hr = service_.create_backup_components(requester);
  if (core::succeeded(hr)) out = std::make_unique<SimBackupComponents>(std::move(requester));
  return hr;
}

}  // namespace shadowctl::emulator
