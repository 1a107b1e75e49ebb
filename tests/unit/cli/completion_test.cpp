// Tab completion as the shells' glue asks it: `shadowctl complete [--new] -- WORDS`, one
// "VALUE<TAB>DESCRIPTION" a line, from the command table, the options' declarations and the
// emulated machine.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// The values offered, in order.
std::vector<std::string> offered(SimBackend& machine, std::vector<std::string> words,
                                 bool new_word = false) {
  std::vector<std::string> args = {"complete"};
  if (new_word) args.push_back("--new");
  args.push_back("--");
  args.insert(args.end(), words.begin(), words.end());
  const auto r = run_cli(args, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  std::vector<std::string> values;
  std::size_t at = 0;
  while (at < r.out.size()) {
    const std::size_t end = r.out.find('\n', at);
    if (end == std::string::npos) {
      ADD_FAILURE() << "a line without its end: " << r.out.substr(at);
      break;
    }
    const std::string line = r.out.substr(at, end - at);
    EXPECT_NE(line.find('\t'), std::string::npos) << "no description: " << line;
    values.push_back(line.substr(0, line.find('\t')));
    at = end + 1;
  }
  return values;
}

TEST(Completion, CommandsAndGroupsFromTheTable) {
  SimBackend machine;
  EXPECT_EQ(offered(machine, {"cre"}), std::vector<std::string>{"create"});
  EXPECT_EQ(offered(machine, {"list"}, true),
            (std::vector<std::string>{"shadows", "writers", "providers", "volumes", "storage"}));
  EXPECT_EQ(offered(machine, {"-v", "li"}), std::vector<std::string>{"list"})
      << "a global option before the command";
  EXPECT_EQ(offered(machine, {"complete"}), std::vector<std::string>{}) << "hidden";
  const auto all = offered(machine, {}, true);
  EXPECT_NE(std::find(all.begin(), all.end(), "events"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "completion"), all.end());
}

TEST(Completion, OptionsOfTheCommandAndTheGlobalOnes) {
  SimBackend machine;
  EXPECT_EQ(offered(machine, {"create", "--con"}), std::vector<std::string>{"--context"});
  EXPECT_EQ(offered(machine, {"check", "--deep", "--wr"}), std::vector<std::string>{"--writers"})
      << "a flag takes no value";
  EXPECT_EQ(offered(machine, {"events", "--js"}),
            (std::vector<std::string>{"--json", "--json-file"}));
}

TEST(Completion, AnOptionsWordsAndTheMachinesValues) {
  SimBackend machine;
  EXPECT_EQ(offered(machine, {"create", "--backup-type"}, true),
            (std::vector<std::string>{"copy", "full", "incremental", "differential", "log"}));
  EXPECT_EQ(offered(machine, {"create", "--context", "app"}), std::vector<std::string>{"app-rollback"});
  EXPECT_EQ(offered(machine, {"create"}, true), (std::vector<std::string>{"C:", "D:"}))
      << "the volumes a create takes";
  EXPECT_EQ(offered(machine, {"create", "C:"}, true), (std::vector<std::string>{"C:", "D:"}))
      << "volumes are repeatable";
  EXPECT_EQ(offered(machine, {"list", "shadows", "--volume", "d"}), std::vector<std::string>{"D:"});
  EXPECT_EQ(offered(machine, {"create", "C:", "--exclude-writer", "s"}),
            (std::vector<std::string>{"SqlServerWriter", "System Writer"}));
  ASSERT_EQ(run_cli({"create", "C:"}, machine).exit, 0);
  const auto ids = offered(machine, {"expose"}, true);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].front(), '{');
  EXPECT_EQ(offered(machine, {"delete", "--id", ids[0].substr(0, 5)}), ids);
}

TEST(Completion, NothingAfterTheCommandsOwnDoubleDash) {
  SimBackend machine;
  EXPECT_EQ(offered(machine, {"exec", "C:", "--", "cm"}), std::vector<std::string>{});
}

TEST(Completion, JsonIsOneDocumentAndBadUseIsAUsageError) {
  SimBackend machine;
  const auto r = run_cli({"complete", "--json", "--", "cre"}, machine);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"][0]["value"], "create");
  EXPECT_FALSE(doc["result"][0]["description"].get<std::string>().empty());
  EXPECT_EQ(run_cli({"complete", "cre"}, machine).exit, 2) << "the words go after --";
}

TEST(Completion, TheGlueForEachShell) {
  SimBackend machine;
  auto r = run_cli({"completion", "powershell"}, machine);
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("Register-ArgumentCompleter -Native -CommandName shadowctl, shadowctl.exe"),
            std::string::npos);
  EXPECT_NE(r.out.find("complete @new -- @words"), std::string::npos);
  r = run_cli({"completion", "bash"}, machine);
  EXPECT_NE(r.out.find("complete -F _shadowctl shadowctl shadowctl.exe"), std::string::npos);
  EXPECT_EQ(run_cli({"completion", "zsh"}, machine).exit, 2);
  const auto doc = nlohmann::json::parse(run_cli({"--json", "completion", "bash"}, machine).out);
  EXPECT_EQ(doc["result"]["shell"], "bash");
  EXPECT_NE(doc["result"]["script"].get<std::string>().find("complete -F _shadowctl"), std::string::npos);
}

}  // namespace
}  // namespace shadowctl::test
