// Two real processes updating one state file at once (POSIX only: it forks).
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"
#include "state.h"

namespace shadowctl::emulator {
namespace {

TEST(EmulatorProcesses, TwoProcessesAtOnceLoseNoUpdate) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("shadowctl-fork-" + std::to_string(os::current_process_id()) + ".json");
  std::filesystem::remove(path);
  { StateStore create(path.string(), default_machine()); }
  auto bump = [&] {
    StateStore store(path.string(), default_machine());
    for (int i = 0; i < 200; ++i) store.update([](MachineState& s) { ++s.next_device_number; });
  };
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    bump();
    _exit(0);
  }
  bump();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  StateStore check(path.string(), default_machine());
  EXPECT_EQ(check.read().next_device_number, 401u);
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".lock");
}

// "The process dies here": the emulator ends the requester at the named call, and what it
// leaves is what real VSS would hold after a killed requester: its auto-release shadow copies
// and its set in creation go, a persistent copy it made stays, and the next set can start.
TEST(EmulatorProcesses, ProcessDiesAtTheNamedCallAndLeavesWhatVssWould) {
  const auto base = std::filesystem::temp_directory_path() /
                    ("shadowctl-die-" + std::to_string(os::current_process_id()));
  const std::string state = base.string() + ".json", journal_path = base.string() + ".jsonl";
  std::filesystem::remove(state);
  std::filesystem::remove(journal_path);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    Journal journal(journal_path);
    Service service(
        Scenario::parse(R"({"faults": [{"method": "AddToSnapshotSet", "die": true, "when": 3}]})"),
        journal, state);
    std::vector<std::unique_ptr<Requester>> kept;
    for (long ctx : {context::backup, context::app_rollback, context::backup}) {
      std::unique_ptr<Requester> r;
      service.create_backup_components(r);
      r->initialize_for_backup({});
      r->set_context(ctx);
      r->set_backup_state(false, false, 5, false);
      std::shared_ptr<Async> a;
      r->gather_writer_metadata(&a);
      a->wait(test::kWaitForever);
      std::string set, shadow;
      r->start_snapshot_set(&set);
      r->add_to_snapshot_set("C:\\", "", &shadow);  // the third call dies here
      r->prepare_for_backup(&a);
      a->wait(test::kWaitForever);
      r->do_snapshot_set(&a);
      a->wait(test::kWaitForever);
      kept.push_back(std::move(r));  // the auto-release copy stays alive until the kill
    }
    _exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  std::ifstream in(journal_path);
  std::string line, last;
  while (std::getline(in, line)) last = line;
  EXPECT_NE(last.find("\"method\":\"AddToSnapshotSet\""), std::string::npos) << last;
  EXPECT_NE(last.find("the process dies here"), std::string::npos) << last;
  StateStore store(state, default_machine());
  const MachineState after = store.read();
  ASSERT_EQ(after.shadows.size(), 1u) << "only the persistent copy outlives its process";
  EXPECT_EQ(after.shadows[0].context, context::app_rollback);
  EXPECT_FALSE(after.in_creation) << "the dead process's set in creation is gone";
  {
    test::Machine next({}, state);
    auto r = next.prepared(context::app_rollback);
    EXPECT_EQ(next.snapshot(*r), core::hr::vss_s_async_finished) << "the next create succeeds";
  }
  for (const auto& f : {state, journal_path, state + ".lock"}) std::filesystem::remove(f);
}

// A scenario's "run": another process changes the machine at the named call, and the call
// meets the machine as that process left it. Here it dismounts C:\ just before DoSnapshotSet
// (no partial commit: the set fails, VSS_E_OBJECT_NOT_FOUND), then deletes a copy just before
// DeleteSnapshots (which then finds nothing to delete).
TEST(EmulatorProcesses, AnotherProcessChangesTheMachineAtTheNamedCall) {
  const auto base = std::filesystem::temp_directory_path() /
                    ("shadowctl-run-" + std::to_string(os::current_process_id()));
  const std::string state = base.string() + ".json";
  std::filesystem::remove(state);
  os::set_environment("SHADOWCTL_EMULATOR_STATE", state);
  {
    test::Machine made({}, state);
    auto r = made.prepared(context::app_rollback);
    ASSERT_EQ(made.snapshot(*r), core::hr::vss_s_async_finished);
  }
  const std::string id = StateStore(state, default_machine()).read().shadows.at(0).id;
  {
    test::Machine dismounted(
        Scenario::parse(fmt::format(
            R"({{"faults": [{{"method": "DoSnapshotSet", "run": ["{}", "dismount", "C:\\"]}},
                                                 {{"method": "DeleteSnapshots", "run": ["{}", "delete-shadow", "{}"]}}]}})",
            SHADOWCTL_MACHINE_CHANGE, SHADOWCTL_MACHINE_CHANGE, id)),
        state);
    auto r = dismounted.prepared(context::app_rollback);
    EXPECT_EQ(dismounted.snapshot(*r), core::hr::vss_e_object_not_found);
    EXPECT_EQ(r->abort_backup(), core::hr::s_ok);
    const auto entries = dismounted.journal.entries();
    const auto other = std::find_if(entries.begin(), entries.end(), [](const JournalEntry& e) {
      return e.method == "another process";
    });
    ASSERT_NE(other, entries.end());
    EXPECT_NE(other->args.find("at DoSnapshotSet: "), std::string::npos) << other->args;
    EXPECT_NE(other->args.find("dismount C:\\ (exit 0)"), std::string::npos) << other->args;
    EXPECT_EQ(dismounted.shadows(), 1u) << "the set made nothing; the earlier copy stays";

    auto deleter = dismounted.requester(context::all);
    long deleted = -1;
    std::string not_deleted;
    EXPECT_EQ(deleter->delete_snapshots(id, false, &deleted, &not_deleted),
              core::hr::vss_e_object_not_found);
    EXPECT_EQ(deleted, 0);
    EXPECT_EQ(dismounted.shadows(), 0u);
  }
  os::unset_environment("SHADOWCTL_EMULATOR_STATE");
  for (const auto& f : {state, state + ".lock"}) std::filesystem::remove(f);
}

}  // namespace
// machine_change write: copy-on-write grows the newest copy's storage; past the maximum,
// volsnap deletes the oldest copies until the rest fit (event 33), and gives their storage
// back.
TEST(EmulatorProcesses, WritesToTheVolumeGrowTheNewestCopyAndPurgeTheOldest) {
  const auto base = std::filesystem::temp_directory_path() /
                    ("shadowctl-write-" + std::to_string(os::current_process_id()));
  const std::string state = base.string() + ".json";
  std::filesystem::remove(state);
  {
    test::Machine made({}, state);
    for (int i = 0; i < 3; ++i) {
      auto r = made.prepared(context::app_rollback);
      ASSERT_EQ(made.snapshot(*r), core::hr::vss_s_async_finished);
    }
    made.service.store().update([](MachineState& m) { m.storage[0].maximum = 2000ull << 20; });
  }
  const auto before = StateStore(state, default_machine()).read();
  os::set_environment("SHADOWCTL_EMULATOR_STATE", state);
  const int exit = std::system(fmt::format("\"{}\" write 'C:\\' {}", SHADOWCTL_MACHINE_CHANGE,
                                           1000ull << 20).c_str());
  os::unset_environment("SHADOWCTL_EMULATOR_STATE");
  EXPECT_EQ(exit, 0);
  const auto after = StateStore(state, default_machine()).read();
  // 3 x 320 MiB + 1000 MiB = 1960 MiB fits under 2000 MiB: nothing goes yet.
  ASSERT_EQ(after.shadows.size(), 3u);
  EXPECT_EQ(after.storage[0].used, 1960ull << 20);
  os::set_environment("SHADOWCTL_EMULATOR_STATE", state);
  EXPECT_EQ(std::system(fmt::format("\"{}\" write 'C:\\' {}", SHADOWCTL_MACHINE_CHANGE,
                                    400ull << 20).c_str()),
            0);
  os::unset_environment("SHADOWCTL_EMULATOR_STATE");
  // 2360 MiB: the two oldest go (640 MiB back), the newest, 1720 MiB, stays.
  const auto purged = StateStore(state, default_machine()).read();
  ASSERT_EQ(purged.shadows.size(), 1u);
  EXPECT_EQ(purged.shadows[0].id, before.shadows.back().id);
  EXPECT_EQ(purged.storage[0].used, 1720ull << 20);
  for (const auto& f : {state, state + ".lock"}) std::filesystem::remove(f);
}

}  // namespace shadowctl::emulator
