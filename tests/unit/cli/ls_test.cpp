// `shadowctl ls` and `versions`: a folder, and a file's versions, as shadow copies hold them,
// read through each copy's device path, against the emulator's frozen trees
// (docs/emulator.md, "Contents").
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/diagnosis.h"
#include "core/error_catalogue.h"
#include "os.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;
using emulator::SimBackend;

void write(const fs::path& p, const std::string& text) { write_file(p, text); }

// C: with its files in a temporary folder, and a store for the frozen trees.
struct VolumeWithFiles {
  fs::path root = fs::temp_directory_path() /
                  ("shadowctl-ls-" + std::to_string(emulator::os::current_process_id()) + "-" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path c = root / "c";
  emulator::MachineState state = emulator::default_machine();
  VolumeWithFiles() {
    fs::remove_all(root);
    fs::create_directories(c);
    fs::create_directories(root / "store");
    state.volumes[0].content_root = c.string();
    state.contents_store = (root / "store").string();
  }
  ~VolumeWithFiles() { fs::remove_all(root); }
};

std::string error_name(const CliResult& r) {
  return nlohmann::json::parse(r.out)["error"]["name"].get<std::string>();
}

TEST(Ls, ListsAFolderAsTheCopyHoldsIt) {
  VolumeWithFiles v;
  write(v.c / "Users" / "ann" / "report.docx", "v1");
  fs::create_directories(v.c / "Users" / "ann" / "Sub");
  SimBackend machine({}, {}, v.state);
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  write(v.c / "Users" / "ann" / "report.docx", "version two");  // after the copy
  write(v.c / "Users" / "ann" / "new.txt", "new");

  const auto r = run_cli({"--json", "ls", "latest", "C:\\Users\\ann"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto result = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(result["path"], "C:\\Users\\ann");
  EXPECT_EQ(result["device_path"], "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\Users\\ann");
  ASSERT_EQ(result["entries"].size(), 2u) << result.dump(2);
  EXPECT_EQ(result["entries"][0]["name"], "report.docx");  // by name, any case
  EXPECT_EQ(result["entries"][0]["type"], "file");
  EXPECT_EQ(result["entries"][0]["size"], 2);  // "v1", not "version two"
  EXPECT_EQ(result["entries"][1]["name"], "Sub");
  EXPECT_EQ(result["entries"][1]["type"], "folder");

  const auto human = run_cli({"ls", "latest", "c:\\users\\ann\\"}, machine);
  ASSERT_EQ(human.exit, 0) << human.err;
  EXPECT_NE(human.out.find("<DIR>  Sub\n"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("2  report.docx\n"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("1 file(s)"), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("new.txt"), std::string::npos) << human.out;
}

TEST(Ls, PicksTheCopyNamedOrTheNewestOfThePathsVolume) {
  VolumeWithFiles v;
  write(v.c / "a.txt", "first");
  SimBackend machine({}, {}, v.state);
  const auto first = run_cli({"--json", "create", "C:"}, machine);
  ASSERT_EQ(first.exit, 0);
  const std::string first_id = nlohmann::json::parse(first.out)["result"]["shadows"][0]["id"];
  write(v.c / "b.txt", "second");
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);

  const auto latest = nlohmann::json::parse(run_cli({"--json", "ls", "latest", "C:\\"}, machine).out);
  EXPECT_EQ(latest["result"]["entries"].size(), 2u);
  EXPECT_EQ(latest["result"]["path"], "C:\\");
  const auto named = nlohmann::json::parse(run_cli({"--json", "ls", first_id, "C:\\"}, machine).out);
  EXPECT_EQ(named["result"]["shadow_id"], first_id);
  EXPECT_EQ(named["result"]["entries"].size(), 1u);
}

TEST(Ls, RefusesWhatItCannotReadAndSaysWhy) {
  VolumeWithFiles v;
  SimBackend machine({}, {}, v.state);
  ASSERT_EQ(run_cli({"create", "C:", "D:"}, machine).exit, 0);

  auto r = run_cli({"--json", "ls", "latest", "Users\\ann"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_EQ(error_name(r), "SHADOWCTL_E_USAGE");
  r = run_cli({"--json", "ls", "not-an-id", "C:\\"}, machine);
  EXPECT_EQ(r.exit, 2);
  r = run_cli({"--json", "ls", "latest", "C:\\Users\\..\\.."}, machine);  // out of the copy
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.out.find("holds a . or .. component"), std::string::npos) << r.out;
  // Not in the copy.
  r = run_cli({"--json", "ls", "latest", "C:\\Nowhere"}, machine);
  EXPECT_NE(r.exit, 0);
  EXPECT_EQ(error_name(r), "ERROR_PATH_NOT_FOUND");
  // D: has no contents in the emulator: said, not listed as empty.
  r = run_cli({"--json", "ls", "latest", "D:\\"}, machine);
  EXPECT_NE(r.exit, 0);
  EXPECT_EQ(error_name(r), "E_NOTIMPL");
  // A copy of D: does not hold C:'s files.
  const auto d_copies = nlohmann::json::parse(run_cli({"--json", "list", "shadows", "--volume", "D:"}, machine).out);
  r = run_cli({"--json", "ls", d_copies["result"][0]["id"], "C:\\"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.out.find("is of D:"), std::string::npos) << r.out;
  // No copy of the volume at all.
  ASSERT_EQ(run_cli({"delete", "--all", "--yes"}, machine).exit, 0);
  r = run_cli({"--json", "ls", "latest", "C:\\"}, machine);
  EXPECT_EQ(error_name(r), "VSS_E_OBJECT_NOT_FOUND");
}

TEST(Ls, ShowsALinkAsItselfAndNeverFollowsIt) {
  VolumeWithFiles v;
  fs::create_directories(v.root / "outside");
  write(v.root / "outside" / "secret.txt", "x");
  fs::create_directory_symlink(v.root / "outside", v.c / "link");
  SimBackend machine({}, {}, v.state);
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  const auto r = nlohmann::json::parse(run_cli({"--json", "ls", "latest", "C:\\"}, machine).out);
  ASSERT_EQ(r["result"]["entries"].size(), 1u);
  EXPECT_EQ(r["result"]["entries"][0]["type"], "link");
  EXPECT_EQ(r["result"]["entries"][0]["attributes"], nlohmann::json::array({"reparse_point"}));
}

TEST(Versions, EveryCopysVersionNewestFirstBesideTheLiveOne) {
  VolumeWithFiles v;
  const fs::path report = v.c / "Users" / "ann" / "report.docx";
  write(report, "v1");
  SimBackend machine({}, {}, v.state);
  const auto first = nlohmann::json::parse(run_cli({"--json", "create", "C:"}, machine).out);
  ASSERT_EQ(first["exit_code"], 0);
  write(report, "version 2");
  fs::last_write_time(report, fs::last_write_time(report) + std::chrono::hours(1));
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  ASSERT_EQ(run_cli({"create", "D:"}, machine).exit, 0);  // another volume's copy: not asked

  auto r = run_cli({"--json", "versions", "c:\\users\\ANN\\report.docx"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  auto result = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(result["live"]["size"], 9);
  ASSERT_EQ(result["versions"].size(), 2u) << result.dump(2);
  EXPECT_EQ(result["versions"][0]["size"], 9);  // the newest copy: as it is today
  EXPECT_EQ(result["versions"][0]["differs"], false);
  EXPECT_EQ(result["versions"][1]["size"], 2);  // the first: the old one
  EXPECT_EQ(result["versions"][1]["differs"], true);
  EXPECT_EQ(result["versions"][1]["shadow_id"], first["result"]["shadows"][0]["id"]);
  EXPECT_EQ(result["versions"][1]["device_path"],
            "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\users\\ANN\\report.docx");

  // Gone today: every copy's version differs, and the copies still have it.
  fs::remove(report);
  r = run_cli({"--json", "versions", "C:\\Users\\ann\\report.docx"}, machine);
  result = nlohmann::json::parse(r.out)["result"];
  EXPECT_TRUE(result["live"].is_null());
  EXPECT_EQ(result["versions"].size(), 2u);
  const auto human = run_cli({"versions", "C:\\Users\\ann\\report.docx"}, machine);
  EXPECT_NE(human.out.find("now "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find(" (gone)"), std::string::npos) << human.out;
}

TEST(Versions, CompareReadsTheContentsOfSameSizeVersions) {
  VolumeWithFiles v;
  const fs::path file = v.c / "a.txt";
  write(file, "AAAA");
  SimBackend machine({}, {}, v.state);
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  write(file, "AAAA");  // the same bytes, written again: a new time
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::hours(1));
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  write(file, "BBBB");  // the same size and time as the second copy's, other bytes
  fs::last_write_time(file, fs::last_write_time(v.root / "store" / "HarddiskVolumeShadowCopy2" / "a.txt"));

  auto plain = nlohmann::json::parse(run_cli({"--json", "versions", "C:\\a.txt"}, machine).out)["result"];
  EXPECT_EQ(plain["contents_compared"], false);
  EXPECT_EQ(plain["versions"][0]["differs"], false);  // size and time alone are fooled
  auto compared =
      nlohmann::json::parse(run_cli({"--json", "versions", "C:\\a.txt", "--compare"}, machine).out)["result"];
  EXPECT_EQ(compared["contents_compared"], true);
  EXPECT_EQ(compared["versions"][0]["differs"], true);  // BBBB is not AAAA
  EXPECT_EQ(compared["versions"][1]["differs"], true);
  write(file, "AAAA");
  compared =
      nlohmann::json::parse(run_cli({"--json", "versions", "C:\\a.txt", "--compare"}, machine).out)["result"];
  EXPECT_EQ(compared["versions"][0]["differs"], false);  // the bytes decide, not the time
  EXPECT_EQ(compared["versions"][1]["differs"], false);
}

TEST(Versions, ACopyWithoutTheFileIsLeftOutAndOneThatCannotBeReadIsSaid) {
  VolumeWithFiles v;
  SimBackend machine({}, {}, v.state);
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);  // before the file existed
  write(v.c / "new.txt", "new");
  auto r = run_cli({"--json", "versions", "C:\\new.txt"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  auto result = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(result["live"]["size"], 3);
  EXPECT_TRUE(result["versions"].empty());
  // D: has no contents in the emulator: its copy is named as unreadable, with a warning.
  ASSERT_EQ(run_cli({"create", "D:"}, machine).exit, 0);
  r = run_cli({"--json", "versions", "D:\\x.txt"}, machine);
  result = nlohmann::json::parse(r.out);
  ASSERT_EQ(result["result"]["unreadable"].size(), 1u) << r.out;
  EXPECT_EQ(result["result"]["unreadable"][0]["code"]["name"], "E_NOTIMPL");
  EXPECT_NE(result["warnings"].dump().find("could not be read (E_NOTIMPL)"), std::string::npos) << r.out;
  r = run_cli({"--json", "versions", "C:\\"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_EQ(error_name(r), "SHADOWCTL_E_USAGE");
}

}  // namespace
}  // namespace shadowctl::test
