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

// Names that are not valid UTF-16, as the state file writes them (a lone surrogate as its
// JSON escape), are read as stand-ins and handed back as the lone surrogates they were.
TEST(EmulatorStateNames, LoneSurrogatesInTheStateFileAreReadAsStandInsAndGivenBack) {
  auto m = default_machine();
  m.writers[0].name = "NAME0";
  m.writers[1].name = "NAME1";
  m.writers[2].name = "NAME2";
  std::string text = to_json_text(m);
  auto put = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  put("NAME0", R"(A\uD800B\uDC00)");        // a lone high, a lone low
  put("NAME1", R"(\uD83D\uDE00 \\uD800)");  // a proper pair; an escaped backslash, then text
  put("NAME2", R"(end\udbff)");             // a lone high at the very end, lower-case hex
  const MachineState read = from_json_text(text);
  EXPECT_EQ(read.writers[0].name,
            "A\xF4\x8F\xA0\x80"
            "B\xF4\x8F\xB0\x80");  // U+10F800, U+10FC00
  EXPECT_EQ(read.writers[1].name, "\xF0\x9F\x98\x80 \\uD800");
  EXPECT_EQ(read.writers[2].name, "end\xF4\x8F\xAF\xBF");  // U+10FBFF
  // Written back and read again, the stand-ins stay.
  EXPECT_EQ(from_json_text(to_json_text(read)).writers[0].name, read.writers[0].name);
  // What the DLL hands the requester: the lone surrogates again; a real pair stays a pair.
  EXPECT_EQ(lone_surrogates_back(u"A\U0010F800B\U0010FC00"),
            std::u16string(u"A") + char16_t(0xD800) + u"B" + char16_t(0xDC00));
  EXPECT_EQ(lone_surrogates_back(u"\U0001F600"), u"\U0001F600");
}

}  // namespace
}  // namespace shadowctl::emulator::test
