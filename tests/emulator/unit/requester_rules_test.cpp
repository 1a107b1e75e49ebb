// The requester's first calls: InitializeForBackup, SetContext, AbortBackup.
#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorRules, InitializeForBackupOnlyOnce) {
  FreshRequester f;
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::s_ok);
  EXPECT_EQ(f.requester->initialize_for_backup({}), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextNeedsInitializeFirst) {
  FreshRequester f;
  EXPECT_EQ(f.requester->set_context(context::backup), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextAtMostOnce) {
  FreshRequester f;
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->set_context(context::client_accessible), hr::s_ok);
  EXPECT_EQ(f.requester->context(), context::client_accessible);
  EXPECT_EQ(f.requester->set_context(context::backup), hr::vss_e_bad_state);
}

TEST(EmulatorRules, SetContextRejectsUnknownContexts) {
  FreshRequester f;
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->set_context(0x2), hr::e_invalidarg);
}

TEST(EmulatorRules, AbortBackupNeedsAnInitialisedObject) {
  FreshRequester f;
  EXPECT_EQ(f.requester->abort_backup(), hr::vss_e_bad_state);
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->abort_backup(), hr::s_ok);
}


}  // namespace
}  // namespace shadowctl::emulator::test
