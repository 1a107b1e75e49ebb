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
  EXPECT_EQ(f.requester->set_context(0x4), hr::e_invalidarg);  // CLIENT_ACCESSIBLE alone
}

// _VSS_VOLUME_SNAPSHOT_ATTRIBUTES: "a requester can modify a shadow copy context with a
// bitwise OR" of the attributes it names so; the rest "should not be used explicitly by
// requesters" or are "reserved for system use".
TEST(EmulatorRules, SetContextTakesTheAttributesARequesterMayAdd) {
  const long allowed[] = {
      context::backup | attr::no_autorecovery,
      context::app_rollback | attr::txf_recovery,
      context::nas_rollback | attr::differential,
      context::client_accessible | attr::plex | attr::transportable,
      context::app_rollback | attr::rollback_recovery,
      // What a widely deployed guest agent's requester sets, and Windows accepts.
      0x0200002B,
  };
  for (long value : allowed) {
    FreshRequester f;
    f.requester->initialize_for_backup({});
    EXPECT_EQ(f.requester->set_context(value), hr::s_ok) << std::hex << value;
    EXPECT_EQ(f.requester->context(), value);
  }
}

TEST(EmulatorRules, SetContextRefusesAttributesOnlyVssSets) {
  const long refused[] = {
      context::backup | attr::persistent,  // "should not be used explicitly by requesters"
      context::file_share_backup | attr::no_auto_release,
      context::app_rollback | attr::exposed_locally,
      context::app_rollback | attr::hardware_assisted,
      context::app_rollback | attr::autorecover,
      context::app_rollback | attr::imported,
      context::app_rollback | attr::delayed_postsnapshot,  // "reserved for system use"
      context::app_rollback | attr::file_share,
      context::app_rollback | attr::differential | attr::plex,  // one or the other
  };
  for (long value : refused) {
    FreshRequester f;
    f.requester->initialize_for_backup({});
    EXPECT_EQ(f.requester->set_context(value), hr::e_invalidarg) << std::hex << value;
  }
}

// "If no shadow copy provider installed on the system supports the requested attributes, a
// VSS_E_VOLUME_NOT_SUPPORTED error will be returned to AddToSnapshotSet" (PLEX): the system
// provider makes differential copies only.
TEST(EmulatorRules, APlexNeedsAProviderThatMakesOne) {
  Machine m;
  auto plex = m.requester(context::nas_rollback | attr::plex);
  bool supported = true;
  EXPECT_EQ(plex->is_volume_supported("C:\\", "", &supported), hr::s_ok);
  EXPECT_FALSE(supported);
  std::string set, shadow;
  EXPECT_EQ(plex->start_snapshot_set(&set), hr::s_ok);
  EXPECT_EQ(plex->add_to_snapshot_set("C:\\", "", &shadow), hr::vss_e_volume_not_supported);
  EXPECT_EQ(plex->abort_backup(), hr::s_ok);

  auto state = default_machine();
  state.providers.push_back({"{4a2b7c3d-0000-4000-8000-000000000003}", "Array Snapshot Provider",
                             "1.0", core::vss::provider_type::hardware});
  Machine hardware({}, {}, state);
  auto clone = hardware.prepared(context::nas_rollback | attr::plex);
  EXPECT_EQ(hardware.snapshot(*clone), hr::vss_s_async_finished);
}

TEST(EmulatorRules, ShadowCopiesCarryTheAttributesTheRequesterAdded) {
  Machine m;
  auto r = m.prepared(context::nas_rollback | attr::txf_recovery);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  const auto shadows = m.service.store().snapshot()->shadows;
  ASSERT_EQ(shadows.size(), 1u);
  EXPECT_NE(shadows[0].attributes & attr::txf_recovery, 0);
  EXPECT_EQ(core::vss::context_of(shadows[0].attributes)->value, context::nas_rollback);
}

// "The IVssBackupComponents object can be used for only a single backup, restore, or Query
// operation" (CreateVssBackupComponents): a requester that reuses a Query object fails.
TEST(EmulatorRules, AnObjectServesOneOperation) {
  Machine m;
  auto queried = m.requester(context::all);
  std::vector<Shadow> shadows;
  EXPECT_EQ(queried->query(&shadows), hr::s_false);
  EXPECT_EQ(queried->query(&shadows), hr::s_false) << "the same Query again is the same operation";
  bool supported = false;
  EXPECT_EQ(queried->is_volume_supported("C:\\", "", &supported), hr::vss_e_bad_state);
  EXPECT_EQ(queried->unexpose_snapshot("{x}"), hr::vss_e_bad_state);

  auto backup = m.prepared(context::app_rollback);
  EXPECT_EQ(backup->query(&shadows), hr::vss_e_bad_state) << "a backup object is not a Query's";
  EXPECT_EQ(backup->abort_backup(), hr::s_ok);
}

TEST(EmulatorRules, IsVolumeSupportedAnswersInTheObjectsContext) {
  auto state = default_machine();
  state.volumes[1].file_system = "FAT32";  // D:
  Machine m({}, {}, state);
  bool supported = true;
  auto persistent = m.requester(context::app_rollback);
  EXPECT_EQ(persistent->is_volume_supported("D:\\", "", &supported), hr::s_ok);
  EXPECT_FALSE(supported) << "persistent shadow copies only on NTFS";
  auto temporary = m.requester(context::backup);
  EXPECT_EQ(temporary->is_volume_supported("D:\\", "", &supported), hr::s_ok);
  EXPECT_TRUE(supported);
}

TEST(EmulatorRules, AbortBackupNeedsAnInitialisedObject) {
  FreshRequester f;
  EXPECT_EQ(f.requester->abort_backup(), hr::vss_e_bad_state);
  f.requester->initialize_for_backup({});
  EXPECT_EQ(f.requester->abort_backup(), hr::s_ok);
}


}  // namespace
}  // namespace shadowctl::emulator::test
