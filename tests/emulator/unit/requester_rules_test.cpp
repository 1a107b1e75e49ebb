// The requester's first calls: InitializeForBackup, SetContext, AbortBackup.
#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

struct Fixture {
  Journal journal;
  Service service;
  std::unique_ptr<Requester> requester;
  explicit Fixture(Scenario s = {}) : service(std::move(s), journal) {
    service.create_backup_components(requester);
  }
};

TEST(EmulatorRules, InitializeForBackupOnlyOnce) {
  Fixture f;
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::s_ok);
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextNeedsInitializeFirst) {
  Fixture f;
  EXPECT_EQ(f.requester->set_context(context::backup), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextAtMostOnce) {
  Fixture f;
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->set_context(context::client_accessible), hr::s_ok);
  EXPECT_EQ(f.requester->context(), context::client_accessible);
  EXPECT_EQ(f.requester->set_context(context::backup), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextRejectsUnknownContexts) {
  Fixture f;
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->set_context(0x2), hr::e_invalidarg);
}

TEST(EmulatorRules, AbortBackupNeedsAnInitialisedObject) {
  Fixture f;
  EXPECT_EQ(f.requester->abort_backup(), hr::vss_e_bad_state);
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->abort_backup(), hr::s_ok);
}


}  // namespace
}  // namespace shadowctl::emulator::test
