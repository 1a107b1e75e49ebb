#include "model.h"

#include <fmt/format.h>

namespace shadowctl::emulator {

namespace hr = core::hr;

Service::Service(Scenario scenario, Journal& journal)
    : scenario_(std::move(scenario)), journal_(journal) {}

core::HResult Service::call(const std::string& method, const std::string& args,
                            const std::function<core::HResult()>& model) {
  int n = 0;
  {
    std::lock_guard lock(mutex_);
    n = ++calls_[method];
  }
  JournalEntry entry{method, args, 0, now_us(), 0};
  entry.hr = model();
  if (auto fault = scenario_.fault_for(method, n)) entry.hr = *fault;
  entry.end_us = now_us();
  const core::HResult result = entry.hr;
  journal_.append(std::move(entry));
  return result;
}

core::HResult Service::not_served(const std::string& method) {
  return call(method, "not served by the emulator", [] { return hr::e_notimpl; });
}

core::HResult Service::create_backup_components(std::unique_ptr<Requester>& out) {
  return call("CreateVssBackupComponents", "", [&] {
    out.reset(new Requester(*this));
    return hr::s_ok;
  });
}

// "InitializeForBackup ... must be called ... before any other method" and only once:
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-initializeforbackup
core::HResult Requester::initialize_for_backup(const std::string& xml) {
  return service_.call("InitializeForBackup", xml.empty() ? "NULL" : "xml", [&] {
    if (initialized_) return hr::vss_e_bad_state;
    initialized_ = true;
    return hr::s_ok;
  });
}

// SetContext "can be called only once, and it must be called prior to calling most VSS
// functions": after InitializeForBackup, before StartSnapshotSet.
// https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-ivssbackupcomponents-setcontext
core::HResult Requester::set_context(long value) {
  return service_.call("SetContext", fmt::format("0x{:x}", static_cast<unsigned long>(value)), [&] {
    if (!initialized_ || context_set_ || snapshot_set_started_) return hr::vss_e_bad_state;
    switch (value) {
      case context::backup:
      case context::file_share_backup:
      case context::nas_rollback:
      case context::app_rollback:
      case context::client_accessible:
      case context::client_accessible_writers:
      case context::all:
        break;
      default:
        return hr::e_invalidarg;
    }
    context_ = value;
    context_set_ = true;
    return hr::s_ok;
  });
}

// AbortBackup needs an initialised object; "Aborting VSS Operations":
// https://learn.microsoft.com/windows/win32/vss/aborting-vss-operations
core::HResult Requester::abort_backup() {
  return service_.call("AbortBackup", "", [&] {
    if (!initialized_) return hr::vss_e_bad_state;
    snapshot_set_started_ = false;
    return hr::s_ok;
  });
}

}  // namespace shadowctl::emulator
