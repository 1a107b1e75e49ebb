// A shadow copy holds its volume as it was at the commit of DoSnapshotSet: the emulator
// freezes the volume's tree then, and the frozen tree goes with the shadow copy.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "machine.h"

namespace shadowctl::emulator::test {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// C: with a content root of its own and a contents store, in a fresh temporary folder.
struct MachineWithContents {
  fs::path root;
  fs::path volume;
  fs::path store;
  std::unique_ptr<Machine> machine;
  MachineWithContents() {
    root = fs::temp_directory_path() /
           ("shadowctl-contents-" + std::to_string(os::current_process_id()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    volume = root / "volume-c";
    store = root / "store";
    fs::create_directories(volume);
    fs::create_directories(store);
    MachineState state = default_machine();
    state.volumes[0].content_root = volume.string();
    state.contents_store = store.string();
    machine = std::make_unique<Machine>(Scenario{}, std::string{}, state);
  }
  ~MachineWithContents() { fs::remove_all(root); }
  Shadow only_shadow() {
    const auto state = machine->service.store().read();
    EXPECT_EQ(state.shadows.size(), 1u);
    return state.shadows.at(0);
  }
};

TEST(EmulatorContents, ShadowCopyHoldsTheVolumeAsItWasAtTheCommit) {
  MachineWithContents m;
  write(m.volume / "data.txt", "before");
  write(m.volume / "sub" / "deep.txt", "deep");
  const auto written = fs::last_write_time(m.volume / "data.txt") - std::chrono::hours(24);
  fs::last_write_time(m.volume / "data.txt", written);
  auto r = m.machine->prepared();
  write(m.volume / "data.txt", "changed before the commit");  // still the live volume
  ASSERT_EQ(m.machine->snapshot(*r), hr::vss_s_async_finished);
  // Writes after the commit do not reach the copy.
  write(m.volume / "data.txt", "after");
  write(m.volume / "new.txt", "new");
  fs::remove_all(m.volume / "sub");

  const Shadow s = m.only_shadow();
  EXPECT_EQ(s.contents, (m.store / "HarddiskVolumeShadowCopy1").string());
  EXPECT_EQ(s.contents_note, "");
  EXPECT_EQ(read(fs::path(s.contents) / "data.txt"), "changed before the commit");
  EXPECT_EQ(read(fs::path(s.contents) / "sub" / "deep.txt"), "deep");
  EXPECT_FALSE(fs::exists(fs::path(s.contents) / "new.txt"));
  EXPECT_EQ(m.machine->complete(*r), hr::vss_s_async_finished);
}

TEST(EmulatorContents, KeepsSizesTimesAndLinksAsThemselves) {
  MachineWithContents m;
  write(m.volume / "data.txt", "twelve bytes");
  const auto when = fs::file_time_type::clock::now() - std::chrono::hours(48);
  fs::last_write_time(m.volume / "data.txt", when);
  fs::permissions(m.volume / "data.txt", fs::perms::owner_read);
  // A link out of the volume is copied as a link, never followed into what it names.
  fs::create_directory_symlink(m.root / "store", m.volume / "out");
  auto r = m.machine->prepared();
  ASSERT_EQ(m.machine->snapshot(*r), hr::vss_s_async_finished);
  const fs::path frozen = m.only_shadow().contents;
  EXPECT_EQ(fs::file_size(frozen / "data.txt"), 12u);
  EXPECT_EQ(fs::last_write_time(frozen / "data.txt"), when);
  EXPECT_EQ(fs::status(frozen / "data.txt").permissions() & fs::perms::all, fs::perms::owner_read);
  EXPECT_TRUE(fs::is_symlink(frozen / "out"));
  EXPECT_EQ(fs::read_symlink(frozen / "out"), m.root / "store");
  EXPECT_EQ(m.machine->complete(*r), hr::vss_s_async_finished);
}

TEST(EmulatorContents, DeletingTheCopyRemovesItsTree) {
  MachineWithContents m;
  write(m.volume / "data.txt", "x");
  {
    auto r = m.machine->prepared(context::app_rollback);
    ASSERT_EQ(m.machine->snapshot(*r), hr::vss_s_async_finished);
    ASSERT_EQ(m.machine->complete(*r), hr::vss_s_async_finished);
  }
  const Shadow s = m.only_shadow();
  ASSERT_TRUE(fs::exists(s.contents));
  fs::permissions(fs::path(s.contents) / "data.txt", fs::perms::owner_read);  // read-only goes too
  std::unique_ptr<Requester> d;
  ASSERT_EQ(m.machine->service.create_backup_components(d), hr::s_ok);
  ASSERT_EQ(d->initialize_for_backup({}), hr::s_ok);
  ASSERT_EQ(d->set_context(context::all), hr::s_ok);
  long deleted = 0;
  EXPECT_EQ(d->delete_snapshots(s.id, false, &deleted), hr::s_ok);
  EXPECT_FALSE(fs::exists(s.contents));
}

TEST(EmulatorContents, AnAutoReleaseCopysTreeGoesWithItsObject) {
  MachineWithContents m;
  write(m.volume / "data.txt", "x");
  std::string contents;
  {
    auto r = m.machine->prepared();  // VSS_CTX_BACKUP: auto-release
    ASSERT_EQ(m.machine->snapshot(*r), hr::vss_s_async_finished);
    ASSERT_EQ(m.machine->complete(*r), hr::vss_s_async_finished);
    contents = m.only_shadow().contents;
    ASSERT_TRUE(fs::exists(contents));
  }
  EXPECT_EQ(m.machine->shadows(), 0u);
  EXPECT_FALSE(fs::exists(contents));
}

TEST(EmulatorContents, ATreeTooLargeIsServedWithoutContentsAndSaysSo) {
  MachineWithContents m;
  for (std::uint64_t i = 0; i <= kContentsMaxEntries; ++i)
    write(m.volume / ("f" + std::to_string(i)), "");
  auto r = m.machine->prepared();
  ASSERT_EQ(m.machine->snapshot(*r), hr::vss_s_async_finished);
  const Shadow s = m.only_shadow();
  EXPECT_EQ(s.contents, "");
  EXPECT_NE(s.contents_note.find("served without contents"), std::string::npos) << s.contents_note;
  EXPECT_TRUE(fs::is_empty(m.store));
  EXPECT_EQ(m.machine->complete(*r), hr::vss_s_async_finished);
}

TEST(EmulatorContents, AVolumeWithoutAContentRootHasNone) {
  Machine m;
  auto r = m.prepared();
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  const auto state = m.service.store().read();
  EXPECT_EQ(state.shadows.at(0).contents, "");
  EXPECT_EQ(state.shadows.at(0).contents_note, "the volume has no contents in the emulator");
  EXPECT_EQ(m.complete(*r), hr::vss_s_async_finished);
}

}  // namespace
}  // namespace shadowctl::emulator::test
