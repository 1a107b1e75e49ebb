#pragma once

#include <memory>

#include "model.h"
#include "session/backend.h"

namespace shadowctl::emulator {

// The environment facts a test sets; the defaults are a healthy elevated admin on x64.
struct MachineFacts {
  session::ArchitectureFacts architecture{"x64", "x64"};
  session::TokenFacts token{0, true, true, false};
  session::PrivilegeFacts privilege{0, true, false, true};
  session::ServiceFacts service{0, session::ServiceStart::manual, false};
  core::HResult com = 0;
  session::LibraryFacts library{0, "C:\\windows\\system32\\vssapi.dll"};
};

// The in-process backend: the session layer's interface served by the emulator model.
class SimBackend final : public session::Backend {
 public:
  explicit SimBackend(Scenario scenario = {}, MachineFacts facts = {});

  MachineFacts& facts() { return facts_; }
  Journal& journal() { return journal_; }

  session::ArchitectureFacts architecture() override { return facts_.architecture; }
  session::TokenFacts token() override { return facts_.token; }
  session::PrivilegeFacts enable_backup_privilege() override { return facts_.privilege; }
  session::ServiceFacts vss_service() override { return facts_.service; }
  core::HResult initialize_com() override { return facts_.com; }
  session::LibraryFacts load_vssapi() override { return facts_.library; }
  core::HResult create_backup_components(std::unique_ptr<session::BackupComponents>& out) override;
  std::string system_message(core::HResult) override { return {}; }

 private:
  MachineFacts facts_;
  Journal journal_;
  Service service_;
};

}  // namespace shadowctl::emulator
