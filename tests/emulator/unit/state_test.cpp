// The machine state shared by processes through its JSON file.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

class EmulatorState : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("shadowctl-state-" + std::to_string(os::current_process_id()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "state.json").string(); }
  std::filesystem::path dir_;
};

TEST_F(EmulatorState, SeparateServicesShareTheMachineThroughTheFile) {
  Machine one({}, path());
  Machine two({}, path());
  auto r = one.prepared(context::client_accessible);
  EXPECT_EQ(one.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(two.shadows(), 1u);
  auto a = one.requester();
  a->start_snapshot_set(nullptr);
  auto b = two.requester();
  EXPECT_EQ(b->start_snapshot_set(nullptr), hr::vss_e_snapshot_set_in_progress);
}

TEST_F(EmulatorState, ShadowsOfADeadProcessAreGone) {
  {
    Machine m({}, path());
    m.service.store().update([](MachineState& s) {
      Shadow orphan;
      orphan.id = new_guid();
      orphan.owner_pid = 0x7FFFFFF0;  // no such process
      orphan.owner_object = "dead#1";
      s.shadows.push_back(orphan);
      s.in_creation = SetInCreation{new_guid(), 0x7FFFFFF0, "dead#1"};
    });
  }
  Machine m({}, path());
  const auto state = m.service.store().read();
  EXPECT_TRUE(state.shadows.empty());
  EXPECT_FALSE(state.in_creation.has_value());
}

TEST_F(EmulatorState, ConcurrentUpdatesLoseNothing) {
  Machine m({}, path());
  StateStore other(path(), default_machine());
  auto bump = [](StateStore& store) {
    for (int i = 0; i < 50; ++i)
      store.update([](MachineState& s) { ++s.next_device_number; });
  };
  std::thread t1([&] { bump(m.service.store()); });
  std::thread t2([&] { bump(other); });
  t1.join();
  t2.join();
  EXPECT_EQ(other.read().next_device_number, 101u);
}


}  // namespace
}  // namespace shadowctl::emulator::test
