// `shadowctl diff`: what changed between a shadow copy and the live volume, or two copies,
// read from the emulator's frozen trees (docs/emulator.md, "Contents") as a user runs it.
#include <chrono>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;
using emulator::SimBackend;

const fs::file_time_type kThen{std::chrono::hours(1000)};

// C:\docs holds a.txt, same.txt, gone.txt and sub\b.txt when a persistent copy of C: is
// made; `first` is its id.
struct Machine {
  fs::path root = unique_temp_path("diff");
  fs::path c = root / "c";
  emulator::MachineState state = emulator::default_machine();
  std::unique_ptr<SimBackend> machine;
  std::string first;
  Machine() {
    fs::remove_all(root);
    fs::create_directories(root / "store");
    for (const auto& [name, text] : {std::pair{"a.txt", "old a"},
                                     {"same.txt", "same"},
                                     {"gone.txt", "gone soon"},
                                     {"sub/b.txt", "old b"}}) {
      write_file(c / "docs" / name, text);
      fs::last_write_time(c / "docs" / name, kThen);
    }
    state.volumes[0].content_root = c.string();
    state.contents_store = (root / "store").string();
    machine = std::make_unique<SimBackend>(emulator::Scenario{}, emulator::MachineFacts{}, state);
    first = made();
  }
  ~Machine() { fs::remove_all(root); }
  CliResult run(std::vector<std::string> args) { return run_cli(std::move(args), *machine); }
  // A persistent copy of C: made now: its id.
  std::string made() {
    const auto r = run({"--json", "create", "C:"});
    EXPECT_EQ(r.exit, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out)["result"]["shadows"][0]["id"];
  }
  nlohmann::json diff(std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "diff"});
    const auto r = run(args);
    EXPECT_EQ(r.exit, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out)["result"];
  }
};

// "change path" for each change, in the order given.
std::vector<std::string> listed(const nlohmann::json& result) {
  std::vector<std::string> out;
  for (const auto& c : result["changes"])
    out.push_back(c["change"].get<std::string>() + " " + c["path"].get<std::string>());
  return out;
}

TEST(Diff, NamesWhatWasAddedRemovedAndChangedSinceTheCopy) {
  Machine m;
  write_file(m.c / "docs" / "a.txt", "new a, longer");
  fs::remove(m.c / "docs" / "gone.txt");
  write_file(m.c / "docs" / "new.txt", "12345");
  write_file(m.c / "docs" / "newdir" / "inner.txt", "1234567");
  fs::remove_all(m.c / "docs" / "sub");
  const auto result = m.diff({m.first, "--path", "C:\\docs"});
  EXPECT_EQ(listed(result),
            (std::vector<std::string>{"changed C:\\docs\\a.txt", "removed C:\\docs\\gone.txt",
                                      "added C:\\docs\\new.txt", "added C:\\docs\\newdir",
                                      "added C:\\docs\\newdir\\inner.txt", "removed C:\\docs\\sub",
                                      "removed C:\\docs\\sub\\b.txt"}));
  EXPECT_EQ(result["changes"][0]["what"], (nlohmann::json{"size", "time"}));
  EXPECT_EQ(result["changes"][0]["before"]["size"], 5);
  EXPECT_EQ(result["changes"][0]["after"]["size"], 13);
  EXPECT_EQ(result["changes"][2]["before"], nullptr);
  EXPECT_EQ(result["added"], (nlohmann::json{{"count", 3}, {"bytes", 12}}));
  EXPECT_EQ(result["removed"], (nlohmann::json{{"count", 3}, {"bytes", 14}}));
  EXPECT_EQ(result["changed"], (nlohmann::json{{"count", 1}, {"bytes", 13}}));
  EXPECT_EQ(result["to"]["shadow_id"], nullptr);
  EXPECT_EQ(result["to"]["path"], "C:\\docs");
  EXPECT_EQ(result["from"]["shadow_id"], m.first);
  EXPECT_EQ(result["complete"], true);
}

TEST(Diff, EachChangeIsOneLineOfTheOneDocument) {
  Machine m;
  write_file(m.c / "docs" / "new.txt", "x");
  write_file(m.c / "docs" / "new2.txt", "y");
  const auto r = m.run({"--json", "diff", m.first, "--path", "C:\\docs"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["changes"].size(), 2u);  // one document
  std::istringstream lines(r.out);
  std::string line;
  int items = 0;
  while (std::getline(lines, line))
    if (line.find("\"change\":") != std::string::npos) {
      ++items;
      const std::string item = line.substr(0, line.find_last_of('}') + 1);
      EXPECT_TRUE(nlohmann::json::accept(item.substr(item.find('{')))) << line;
    }
  EXPECT_EQ(items, 2);
}

TEST(Diff, TwoCopiesOfTheVolume) {
  Machine m;
  write_file(m.c / "docs" / "between.txt", "made between the copies");
  const std::string second = m.made();
  write_file(m.c / "docs" / "after.txt", "made after both");
  const auto result = m.diff({m.first, second, "--path", "C:\\docs"});
  EXPECT_EQ(listed(result), (std::vector<std::string>{"added C:\\docs\\between.txt"}));
  EXPECT_EQ(result["to"]["shadow_id"], second);
  // latest is the newest copy of the volume --path is on.
  EXPECT_EQ(listed(m.diff({"latest", "--path", "C:\\docs"})),
            (std::vector<std::string>{"added C:\\docs\\after.txt"}));
}

TEST(Diff, TheWholeVolumeWhenNoPathIsGiven) {
  Machine m;
  write_file(m.c / "top.txt", "at the root");
  const auto result = m.diff({m.first});
  EXPECT_EQ(result["path"], "C:\\");
  EXPECT_EQ(listed(result), (std::vector<std::string>{"added C:\\top.txt"}));
}

TEST(Diff, CompareReadsSameSizeFilesThatSizeAndTimeCallTheSame) {
  Machine m;
  write_file(m.c / "docs" / "same.txt", "SAME");          // same size ...
  fs::last_write_time(m.c / "docs" / "same.txt", kThen);  // ... and time
  EXPECT_EQ(m.diff({m.first, "--path", "C:\\docs"})["changes"].size(), 0u);
  const auto result = m.diff({m.first, "--path", "C:\\docs", "--compare"});
  EXPECT_EQ(listed(result), (std::vector<std::string>{"changed C:\\docs\\same.txt"}));
  EXPECT_EQ(result["changes"][0]["what"], (nlohmann::json{"contents"}));
  EXPECT_EQ(result["contents_compared"], true);
}

TEST(Diff, AFileReplacedByAFolderIsAChangeOfKindAndTheFolderIsAdded) {
  Machine m;
  fs::remove(m.c / "docs" / "a.txt");
  write_file(m.c / "docs" / "a.txt" / "inside.txt", "now a folder");
  EXPECT_EQ(
      listed(m.diff({m.first, "--path", "C:\\docs"})),
      (std::vector<std::string>{"changed C:\\docs\\a.txt", "added C:\\docs\\a.txt\\inside.txt"}));
}

TEST(Diff, NamesThatDifferOnlyInCaseAreTheSameEntry) {
  Machine m;
  fs::rename(m.c / "docs" / "same.txt", m.c / "docs" / "SAME.TXT");
  EXPECT_EQ(m.diff({m.first, "--path", "C:\\docs"})["changes"].size(), 0u);
}

TEST(Diff, ALinkIsComparedAsItselfNeverFollowed) {
  Machine m;
  write_file(m.root / "outside" / "secret.txt", "outside the volume");
  fs::create_directory_symlink(m.root / "outside", m.c / "docs" / "link");
  const std::string second = m.made();
  write_file(m.root / "outside" / "more.txt", "changed behind the link");
  const auto result = m.diff({m.first, "--path", "C:\\docs"});
  EXPECT_EQ(listed(result), (std::vector<std::string>{"added C:\\docs\\link"}));
  EXPECT_EQ(result["changes"][0]["after"]["type"], "link");
  EXPECT_EQ(m.diff({second, "--path", "C:\\docs"})["changes"].size(), 0u);
}

TEST(Diff, AFolderThatCannotBeReadIsNamedAndTheRestCompared) {
  Machine m;
  const auto shadows = nlohmann::json::parse(m.run({"--json", "list", "shadows"}).out)["result"];
  const std::string sub = shadows[0]["device_path"].get<std::string>() + "\\docs\\sub";
  m.machine->facts().file_faults[sub] = core::hr::e_accessdenied;
  write_file(m.c / "docs" / "new.txt", "x");
  const auto r = m.run({"--json", "diff", m.first, "--path", "C:\\docs"});
  ASSERT_EQ(r.exit, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out)["result"];
  EXPECT_EQ(listed(result), (std::vector<std::string>{"added C:\\docs\\new.txt"}));
  EXPECT_EQ(result["complete"], false);
  ASSERT_EQ(result["unreadable"].size(), 1u);
  EXPECT_EQ(result["unreadable"][0]["path"], sub);
  EXPECT_EQ(result["unreadable"][0]["code"]["name"], "E_ACCESSDENIED");
  EXPECT_NE(nlohmann::json::parse(r.out)["warnings"].dump().find("not compared"),
            std::string::npos);
}

TEST(Diff, HumanOutputIsATableAndTheTotals) {
  Machine m;
  write_file(m.c / "docs" / "new.txt", "12345");
  const auto r = m.run({"diff", m.first, "--path", "C:\\docs"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.out.find("to the live volume"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CHANGE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("C:\\docs\\new.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 added (5 B), 0 removed (0 B), 0 changed (0 B now)"), std::string::npos)
      << r.out;
  const auto none = m.run({"diff", m.first, "--path", "C:\\docs\\sub"});
  EXPECT_NE(none.out.find("No differences; 2 entries compared."), std::string::npos) << none.out;
}

TEST(Diff, RefusesWhatItCannotMeanBeforeReadingAnything) {
  Machine m;
  const auto latest = m.run({"diff", "latest"});
  EXPECT_EQ(latest.exit, 2);
  EXPECT_NE(latest.err.find("latest needs --path"), std::string::npos) << latest.err;
  const auto other = m.run({"diff", m.first, "--path", "D:\\x"});
  EXPECT_EQ(other.exit, 2);
  EXPECT_NE(other.err.find("is of"), std::string::npos) << other.err;
  const auto nowhere = m.run({"diff", m.first, "--path", "C:\\nothing\\here"});
  EXPECT_EQ(nowhere.exit, 7);
  EXPECT_NE(nowhere.err.find("is neither in the shadow copy"), std::string::npos) << nowhere.err;
  const auto missing = m.run({"diff", "{00000000-0000-0000-0000-000000000001}"});
  EXPECT_EQ(missing.exit, 7);
  EXPECT_NE(missing.err.find("no shadow copy has the id"), std::string::npos) << missing.err;
}

TEST(Diff, CtrlCStopsTheWalk) {
  Machine m;
  session::CancelToken cancel;
  cancel.request();
  const auto r = run_cli_cancellable({"diff", m.first, "--path", "C:\\docs"}, *m.machine, cancel);
  EXPECT_EQ(r.exit, 130) << r.err;
}

}  // namespace
}  // namespace shadowctl::test
