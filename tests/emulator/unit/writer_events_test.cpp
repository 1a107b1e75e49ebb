// The events writers handle in a backup, in order: what the requester's calls and the
// provider's answer send them ("Overview of Processing a Backup Under VSS", "Aborting VSS
// Operations", CVssWriter::OnAbort).
#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

using Events = std::vector<std::string>;

MachineState recording_writers() {
  auto state = default_machine();
  for (auto& w : state.writers) w.records_events = true;
  return state;
}

Events events_of_first_writer(Machine& m) { return m.service.store().read().writers.front().recorded_events; }

TEST(EmulatorWriterEvents, ABackupThatSucceeds) {
  Machine m({}, {}, recording_writers());
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  ASSERT_EQ(m.complete(*r), hr::vss_s_async_finished);
  EXPECT_EQ(events_of_first_writer(m),
            (Events{"OnPrepareBackup", "OnPrepareSnapshot", "OnFreeze", "OnThaw",
                    "OnPostSnapshot", "OnBackupComplete"}));
}

// A provider veto arrives during the commit, after the writers froze: they see the freeze,
// then VSS's own Abort; the requester's AbortBackup sends no second one.
TEST(EmulatorWriterEvents, AProviderVetoComesAfterTheFreeze) {
  Machine m(Scenario::parse(R"({"provider_veto": true})"), {}, recording_writers());
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(m.snapshot(*r), hr::vss_e_provider_veto);
  const Events vetoed{"OnPrepareBackup", "OnPrepareSnapshot", "OnFreeze", "OnAbort"};
  EXPECT_EQ(events_of_first_writer(m), vetoed);
  ASSERT_EQ(r->abort_backup(), hr::s_ok);
  EXPECT_EQ(events_of_first_writer(m), vetoed);
}

TEST(EmulatorWriterEvents, AbortBackupBeforeTheSnapshotAbortsThePreparedWriters) {
  Machine m({}, {}, recording_writers());
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(r->abort_backup(), hr::s_ok);
  EXPECT_EQ(events_of_first_writer(m), (Events{"OnPrepareBackup", "OnAbort"}));
}

// "This method will not be called if the writer has called CVssWriter::OnPostSnapshot."
TEST(EmulatorWriterEvents, NoOnAbortAfterPostSnapshot) {
  Machine m({}, {}, recording_writers());
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  ASSERT_EQ(r->abort_backup(), hr::s_ok);
  EXPECT_EQ(events_of_first_writer(m).back(), "OnPostSnapshot");
}

TEST(EmulatorWriterEvents, WritersThatDoNotRecordKeepNothing) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_TRUE(events_of_first_writer(m).empty());
}

}  // namespace
}  // namespace shadowctl::emulator::test
