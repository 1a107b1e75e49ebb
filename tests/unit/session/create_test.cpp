// The creation sequence's retries and interruption, at the session layer.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/create.h"
#include "sim_backend.h"

namespace shadowctl::session {
namespace {

using emulator::Scenario;
using emulator::SimBackend;
using namespace std::chrono_literals;

CreateRequest c_volume(SimBackend& machine) {
  CreateRequest r;
  r.volumes = {machine.service().store().read().volumes[0].name};
  r.retry_wait = 0ms;  // no test waits on a clock
  return r;
}

TEST(CreateSnapshotSet, RetriesARetryableFailureWithAFreshObject) {
  SimBackend machine(Scenario::parse(R"({"faults": [
      {"method": "StartSnapshotSet", "hresult": "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "when": "first"}]})"));
  CancelToken cancel;
  auto request = c_volume(machine);
  request.retries = 2;
  const auto made = create_snapshot_set(machine.system(), VolumeTable::read(machine.system()), request, {10s, cancel, {}});
  EXPECT_EQ(made.attempts, 2);
  EXPECT_EQ(made.shadows.size(), 1u);
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "CreateVssBackupComponents"), 2);
}

TEST(CreateSnapshotSet, WithoutRetriesTheFirstFailureStands) {
  SimBackend machine(Scenario::parse(R"({"faults": [
      {"method": "StartSnapshotSet", "hresult": "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "when": "first"}]})"));
  CancelToken cancel;
  try {
    create_snapshot_set(machine.system(), VolumeTable::read(machine.system()), c_volume(machine), {10s, cancel, {}});
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::vss_e_snapshot_set_in_progress);
  }
}

TEST(CreateSnapshotSet, ANonRetryableFailureIsNotRetried) {
  SimBackend machine(Scenario::parse(R"({"faults": [
      {"method": "AddToSnapshotSet", "hresult": "E_ACCESSDENIED"}]})"));
  CancelToken cancel;
  auto request = c_volume(machine);
  request.retries = 3;
  EXPECT_THROW(create_snapshot_set(machine.system(), VolumeTable::read(machine.system()), request, {10s, cancel, {}}), core::Error);
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::count(m.begin(), m.end(), "CreateVssBackupComponents"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "AbortBackup"), 1);
  EXPECT_FALSE(machine.service().store().read().in_creation.has_value());
}

TEST(CreateSnapshotSet, InterruptedDuringAPhaseCancelsAbortsAndCreatesNothing) {
  Scenario hang;
  hang.add(emulator::AsyncFault{"PrepareForBackup", emulator::AsyncFault::Kind::hang, 0, 0, 0});
  SimBackend machine(hang);
  CancelToken cancel;
  // Ctrl+C as the console handler delivers it: once the phase is running.
  std::vector<std::string> shown;
  const WaitPolicy wait{10s, cancel, [&](std::string_view phase, std::chrono::milliseconds) {
                          shown.emplace_back(phase);
                          cancel.request();
                        }};
  try {
    create_snapshot_set(machine.system(), VolumeTable::read(machine.system()), c_volume(machine), wait);
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::error_cancelled);
    EXPECT_EQ(e.failure().phase, "PrepareForBackup");
    EXPECT_NE(e.failure().undone.find("AbortBackup called"), std::string::npos);
  }
  EXPECT_EQ(shown.back(), "interrupted: cleaning up, Ctrl+C again does not stop it");
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "PrepareForBackup:complete"), m.end());
  EXPECT_NE(std::find(m.begin(), m.end(), "AbortBackup"), m.end());
  EXPECT_TRUE(machine.service().store().read().shadows.empty());
  EXPECT_FALSE(machine.service().store().read().in_creation.has_value());
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
}

}  // namespace
}  // namespace shadowctl::session
