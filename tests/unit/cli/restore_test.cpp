// `shadowctl restore`: files and folders back from a shadow copy, read from the emulator's
// frozen trees (docs/emulator.md, "Contents") and written below D:'s content root, as a
// user runs it.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/arguments.h"
#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "os.h"
#include "session/restore.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;
using emulator::SimBackend;

void write(const fs::path& p, const std::string& text) { write_file(p, text); }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Nothing named *.shadowctl-partial-* anywhere below a folder.
bool no_partial_file(const fs::path& root) {
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().filename().string().find(SimBackend::kPartialMark) != std::string::npos)
      return false;
  return true;
}

// C: and D: with their files in temporary folders; C:\docs holds a.txt and sub\b.txt, and a
// persistent copy of C: is made before a.txt changes.
struct Machine {
  fs::path root = unique_temp_path("restore");
  fs::path c = root / "c";
  fs::path d = root / "d";
  emulator::MachineState state = emulator::default_machine();
  std::unique_ptr<SimBackend> machine;
  Machine() {
    fs::remove_all(root);
    fs::create_directories(d);
    fs::create_directories(root / "store");
    write(c / "docs" / "a.txt", "old a");
    write(c / "docs" / "sub" / "b.txt", "old b");
    fs::last_write_time(c / "docs" / "a.txt", fs::file_time_type(std::chrono::hours(1000)));
    state.volumes[0].content_root = c.string();
    state.volumes[1].content_root = d.string();
    state.contents_store = (root / "store").string();
    machine = std::make_unique<SimBackend>(emulator::Scenario{}, emulator::MachineFacts{}, state);
    EXPECT_EQ(run_cli({"create", "C:"}, *machine).exit, 0);
    write(c / "docs" / "a.txt", "new a, written after the copy");
  }
  ~Machine() { fs::remove_all(root); }
  CliResult run(std::vector<std::string> args) { return run_cli(std::move(args), *machine); }
};

nlohmann::json result_of(const CliResult& r) { return nlohmann::json::parse(r.out)["result"]; }

TEST(Restore, PutsAFileAndATreeAtTheDestinationAsTheCopyHeldThem) {
  Machine m;
  const auto r = m.run({"--json", "restore", "C:\\docs", "C:\\docs\\a.txt", "--to", "D:\\back"});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_EQ(read(m.d / "back" / "docs" / "a.txt"), "old a");  // the copy's, not today's
  EXPECT_EQ(read(m.d / "back" / "docs" / "sub" / "b.txt"), "old b");
  EXPECT_EQ(read(m.d / "back" / "a.txt"), "old a");
  // The last-write time is the copy's.
  EXPECT_EQ(fs::last_write_time(m.d / "back" / "a.txt"),
            fs::file_time_type(std::chrono::hours(1000)));
  const auto result = result_of(r);
  EXPECT_EQ(result["files"], 3);
  EXPECT_EQ(result["bytes"], 15);
  EXPECT_EQ(result["folders"], 2);  // docs and docs\sub; D:\back itself is the destination
  EXPECT_EQ(result["complete"], true);
  EXPECT_EQ(result["sources"][0]["device_path"],
            "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\docs");
  EXPECT_EQ(read(m.c / "docs" / "a.txt"), "new a, written after the copy");  // live untouched

  const auto human = m.run({"restore", "C:\\docs\\sub\\b.txt", "--to", "D:\\again"});
  ASSERT_EQ(human.exit, 0) << human.err;
  EXPECT_NE(human.out.find("Restored 1 file, 5 bytes, and made 0 folders to D:\\again."),
            std::string::npos)
      << human.out;
}

TEST(Restore, ReplacesNothingUnlessToldAndNamesWhatIsThere) {
  Machine m;
  write(m.d / "back" / "a.txt", "mine");
  const auto refused =
      m.run({"--json", "restore", "C:\\docs\\a.txt", "C:\\docs\\sub", "--to", "D:\\back"});
  EXPECT_EQ(refused.exit, 2) << refused.out;
  const auto error = nlohmann::json::parse(refused.out)["error"];
  EXPECT_EQ(error["name"], "ERROR_FILE_EXISTS");
  EXPECT_NE(error["detail"].get<std::string>().find("D:\\back\\a.txt"), std::string::npos)
      << error;
  EXPECT_EQ(read(m.d / "back" / "a.txt"), "mine");
  EXPECT_FALSE(fs::exists(m.d / "back" / "sub"));  // refused whole: nothing written

  const auto skipped = m.run({"--json", "restore", "C:\\docs\\a.txt", "C:\\docs\\sub", "--to",
                              "D:\\back", "--skip-existing"});
  ASSERT_EQ(skipped.exit, 0) << skipped.out;
  EXPECT_EQ(read(m.d / "back" / "a.txt"), "mine");
  EXPECT_EQ(read(m.d / "back" / "sub" / "b.txt"), "old b");
  EXPECT_EQ(result_of(skipped)["skipped"], 1);

  const auto overwritten = m.run({"restore", "C:\\docs\\A.TXT", "--to", "d:\\BACK", "--overwrite"});
  ASSERT_EQ(overwritten.exit, 0) << overwritten.err;
  EXPECT_EQ(read(m.d / "back" / "a.txt"), "old a");  // the same file, whatever the case
}

TEST(Restore, DryRunListsWhatWouldBeWrittenAndWritesNothing) {
  Machine m;
  const auto r = m.run({"restore", "C:\\docs", "--to", "D:\\back", "--dry-run"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("Would restore 2 files, 10 bytes, and make 2 folders to D:\\back"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("create   D:\\back\\docs\\sub\\b.txt"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(m.d / "back"));
}

TEST(Restore, InPlaceAsksThenKeepsTheCurrentFile) {
  Machine m;
  const auto refused = m.run({"restore", "C:\\docs\\a.txt", "--in-place"});
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find("add --yes"), std::string::npos) << refused.err;
  const auto no =
      run_cli_interactive({"restore", "C:\\docs\\a.txt", "--in-place"}, *m.machine, "n\n");
  EXPECT_EQ(no.exit, 2);
  EXPECT_EQ(read(m.c / "docs" / "a.txt"), "new a, written after the copy");

  const auto r = m.run({"--json", "restore", "C:\\docs", "--in-place", "--yes"});
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(read(m.c / "docs" / "a.txt"), "old a");
  const auto result = result_of(r);
  EXPECT_EQ(result["files"], 1);  // b.txt is unchanged: skipped
  std::string kept;
  for (const auto& item : result["items"])
    if (item.contains("kept_as")) kept = item["kept_as"];
  ASSERT_EQ(kept.rfind("C:\\docs\\a.txt.shadowctl-", 0), 0u) << result.dump(2);
  EXPECT_EQ(read(m.c / "docs" / kept.substr(8)), "new a, written after the copy");
}

TEST(Restore, AnUnreadableFileFailsAloneAndAFullDiskStopsLeavingNoPartialFile) {
  Machine m;
  m.machine->facts()
      .file_faults["\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\docs\\a.txt"] =
      core::hr::e_accessdenied;
  const auto r = m.run({"--json", "restore", "C:\\docs", "--to", "D:\\back"});
  EXPECT_EQ(r.exit, 3) << r.out;                                      // access denied's class
  EXPECT_EQ(read(m.d / "back" / "docs" / "sub" / "b.txt"), "old b");  // the rest went on
  EXPECT_FALSE(fs::exists(m.d / "back" / "docs" / "a.txt"));
  EXPECT_EQ(result_of(r)["failed"], 1);

  m.machine->facts().file_faults.clear();
  m.machine->facts().free_bytes = 3;  // "old a" is 5 bytes
  const auto full = m.run({"--json", "restore", "C:\\docs", "--to", "D:\\full"});
  EXPECT_EQ(full.exit, 1) << full.out;
  EXPECT_EQ(nlohmann::json::parse(full.out)["error"]["name"], "ERROR_DISK_FULL");
  EXPECT_EQ(result_of(full)["complete"], false);
  EXPECT_FALSE(fs::exists(m.d / "full" / "docs" / "a.txt"));
  EXPECT_TRUE(no_partial_file(m.d));
}

TEST(Restore, CtrlCStopsBetweenFilesLeavingNoPartialFile) {
  Machine m;
  session::CancelToken cancel;
  cancel.request();
  const auto r =
      run_cli_cancellable({"restore", "C:\\docs", "--to", "D:\\back"}, *m.machine, cancel);
  EXPECT_EQ(r.exit, 130) << r.err;
  EXPECT_FALSE(fs::exists(m.d / "back" / "docs" / "a.txt"));
  EXPECT_TRUE(no_partial_file(m.d));
}

TEST(Restore, ALinkInTheCopyIsSkippedNeverFollowed) {
  Machine m;
  write(m.root / "outside" / "secret.txt", "outside the volume");
  fs::create_directory_symlink(m.root / "outside", m.c / "docs2-link");
  fs::create_directories(m.c / "docs2");
  fs::create_directory_symlink(m.root / "outside", m.c / "docs2" / "link");
  ASSERT_EQ(m.run({"create", "C:"}).exit, 0);
  const auto r = m.run({"restore", "C:\\docs2", "--to", "D:\\back"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_FALSE(fs::exists(m.d / "back" / "docs2" / "link"));
  EXPECT_NE(r.err.find("C:\\docs2\\link is a link"), std::string::npos) << r.err;
}

TEST(Restore, NamesThatDifferOnlyInCaseRestoreTheFirstAndSayTheSecond) {
  Machine m;
  write(m.c / "mixed" / "Notes.txt", "upper");
  write(m.c / "mixed" / "notes.txt", "lower");  // a case-sensitive folder can hold both
  ASSERT_EQ(m.run({"create", "C:"}).exit, 0);
  const auto r = m.run({"--json", "restore", "C:\\mixed", "--to", "D:\\back"});
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto result = result_of(r);
  EXPECT_EQ(result["files"], 1);
  EXPECT_EQ(result["skipped"], 1);
  EXPECT_EQ(read(m.d / "back" / "mixed" / "Notes.txt"), "upper");  // N sorts before n
  EXPECT_FALSE(fs::exists(m.d / "back" / "mixed" / "notes.txt"));
  bool said = false;
  for (const auto& item : result["items"])
    if (item["path"] == "C:\\mixed\\notes.txt")
      said = item["action"] == "skip" &&
             item["reason"].get<std::string>().find("whatever its case") != std::string::npos;
  EXPECT_TRUE(said) << result.dump(2);
}

TEST(Restore, RefusesADestinationInsideACopyOrAtALink) {
  Machine m;
  const auto inside = m.run(
      {"restore", "C:\\docs", "--to", "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\x"});
  EXPECT_EQ(inside.exit, 2);
  EXPECT_NE(inside.err.find("inside a shadow copy"), std::string::npos) << inside.err;
  const auto missing = m.run({"restore", "C:\\nothing-here", "--to", "D:\\back"});
  EXPECT_EQ(missing.exit, 7) << missing.err;
  EXPECT_NE(missing.err.find("'C:\\nothing-here' is not in the shadow copy"), std::string::npos);
  const auto neither = m.run({"restore", "C:\\docs"});
  EXPECT_EQ(neither.exit, 2);
  EXPECT_NE(neither.err.find("--to FOLDER, or --in-place"), std::string::npos) << neither.err;
}

TEST(Restore, ReadsWithSeBackupPrivilegeAndWritesWithout) {
  Machine m;
  ASSERT_EQ(m.run({"restore", "C:\\docs\\a.txt", "--to", "D:\\back"}).exit, 0);
  bool read_with = false, written_without = false;
  for (const auto& [path, enabled] : m.machine->privilege_at()) {
    if (path == "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\docs\\a.txt" && enabled)
      read_with = true;
    if (path == "D:\\back\\a.txt") {
      EXPECT_FALSE(enabled) << "written with SeBackupPrivilege";
      written_without = true;
    }
  }
  EXPECT_TRUE(read_with);
  EXPECT_TRUE(written_without);
}

TEST(Restore, BeforePicksTheNewestCopyMadeBeforeIt) {
  Machine m;
  const auto r =
      m.run({"restore", "C:\\docs\\a.txt", "--to", "D:\\back", "--before", "2001-01-01"});
  EXPECT_EQ(r.exit, 7) << r.err;
  EXPECT_NE(r.err.find("made before the time given"), std::string::npos) << r.err;
  const auto bad =
      m.run({"restore", "C:\\docs\\a.txt", "--to", "D:\\back", "--before", "yesterday"});
  EXPECT_EQ(bad.exit, 2);
  EXPECT_NE(bad.err.find("--before 'yesterday' is not a time"), std::string::npos) << bad.err;
}

// NTFS names are any 16-bit units: one with a lone surrogate is listed as WTF-8 (here, the
// same bytes on disk), restored under its own name, and shown with one U+FFFD.
TEST(Restore, ANameThatIsNotValidUtf16ComesBackUnderItsOwnName) {
  Machine m;
  const std::string odd = "a\xED\xA0\x80z.txt";  // U+D800 alone, as WTF-8
  write(m.c / "odd" / odd, "odd name");
  ASSERT_EQ(m.run({"create", "C:"}).exit, 0);
  const auto r = m.run({"--json", "restore", "C:\\odd", "--to", "D:\\back"});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_EQ(read(m.d / "back" / "odd" / odd), "odd name");
  bool shown = false;
  const auto result = result_of(r);
  for (const auto& item : result["items"]) shown = shown || item["path"] == "C:\\odd\\a\uFFFDz.txt";
  EXPECT_TRUE(shown) << r.out;
  const auto listed = m.run({"ls", "latest", "C:\\odd"});
  EXPECT_NE(listed.out.find("a\uFFFDz.txt"), std::string::npos) << listed.out;
}

TEST(ParseTime, TakesDatesTimesAndUtc) {
  EXPECT_EQ(core::parse_time("2026-12-05T14:30:15Z"), 1796481015LL * 1'000'000);
  EXPECT_EQ(core::parse_time("2026-12-05 14:30Z"), 1796481000LL * 1'000'000);
  EXPECT_TRUE(core::parse_time("2026-12-05"));
  EXPECT_FALSE(core::parse_time("2026-02-30"));
  EXPECT_FALSE(core::parse_time("2026-12-05T25:00"));
  EXPECT_FALSE(core::parse_time("12/05/2026"));
}

TEST(KeptName, IsTheFileNameWithTheRunsUtcTime) {
  EXPECT_EQ(session::kept_name("C:\\a.txt", 1796481015LL * 1'000'000),
            "C:\\a.txt.shadowctl-20261205T143015Z");
}

TEST(Wtf8, KeepsALoneSurrogateSoTheNameComesBack) {
  const std::u16string name = u"a\xD800z";
  EXPECT_EQ(core::utf16(core::wtf8(name)), name);
  EXPECT_EQ(core::utf8(name), "a\xEF\xBF\xBDz");  // plain UTF-8 still gives U+FFFD
}

}  // namespace
}  // namespace shadowctl::test
