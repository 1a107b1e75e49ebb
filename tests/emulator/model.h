#pragma once

// The VSS emulator's model of the service: one implementation of the rules, served
// in-process (sim_backend.h) and by the emulator vssapi.dll (dll/). Each rule names the
// Microsoft page it follows; docs/emulator.md lists them.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/hresult.h"
#include "journal.h"
#include "scenario.h"

namespace shadowctl::emulator {

// _VSS_SNAPSHOT_CONTEXT (vss.h); the Windows build checks these against the SDK.
namespace context {
inline constexpr long backup = 0x0;
inline constexpr long file_share_backup = 0x10;
inline constexpr long nas_rollback = 0x19;
inline constexpr long app_rollback = 0x9;
inline constexpr long client_accessible = 0x1d;
inline constexpr long client_accessible_writers = 0xd;
inline constexpr long all = static_cast<long>(0xffffffff);
}  // namespace context

class Service;

// The state of one IVssBackupComponents object.
class Requester {
 public:
  core::HResult initialize_for_backup(const std::string& xml);
  core::HResult set_context(long context);
  core::HResult abort_backup();
  long context() const { return context_; }

 private:
  friend class Service;
  explicit Requester(Service& service) : service_(service) {}

  Service& service_;
  bool initialized_ = false;
  bool context_set_ = false;
  bool snapshot_set_started_ = false;
  long context_ = context::backup;
};

// The VSS service of one machine.
class Service {
 public:
  Service(Scenario scenario, Journal& journal);

  // CreateVssBackupComponents.
  core::HResult create_backup_components(std::unique_ptr<Requester>& out);

  // Runs one call: journals it and lets the scenario replace the model's answer with a fault
  // (the model's rule still runs first, so state stays what real VSS would hold).
  core::HResult call(const std::string& method, const std::string& args,
                     const std::function<core::HResult()>& model);

  // Journals a call the emulator does not model: E_NOTIMPL.
  core::HResult not_served(const std::string& method);

  Journal& journal() { return journal_; }

 private:
  Scenario scenario_;
  Journal& journal_;
  std::mutex mutex_;
  std::map<std::string, int> calls_;
};

}  // namespace shadowctl::emulator
