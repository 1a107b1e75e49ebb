// The command line as a whole: usage errors, global options, the command table.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "core/build_info.h"
#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

TEST(CliUsage, UnknownCommandExitsTwoNamingIt) {
  SimBackend backend;
  const auto r = run_cli({"frobnicate"}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("error: SHADOWCTL_E_USAGE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliUsage, MissingCommandExitsTwoListingTheCommands) {
  SimBackend backend;
  const auto r = run_cli({}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("shadowctl needs a command: check, explain, list"), std::string::npos)
      << r.err;
}

TEST(CliUsage, UnknownCommandListsEveryRegisteredCommand) {
  SimBackend backend;
  const auto r = run_cli({"--log-file", "x.log", "frobnicate"}, backend);
  EXPECT_NE(r.err.find("'frobnicate' is not a shadowctl command; the commands are: check, "
                       "explain, list"),
            std::string::npos)
      << r.err;
}

TEST(CliUsage, UsageErrorWithJsonIsStillOneDocument) {
  SimBackend backend;
  const auto r = run_cli({"--json", "check", "--bogus"}, backend);
  EXPECT_EQ(r.exit, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_USAGE");
  EXPECT_EQ(doc["exit_code"], 2);
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("--bogus"), std::string::npos);
}

// CLI11's refusals in shadowctl's words: the option, what was wrong, what it takes; the
// parser's own phrasing never reaches the user.
TEST(CliUsage, RefusalsNameTheOptionAndWhatItTakesInOwnWords) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"create"}, "`create` needs volumes: C, C:, C:\\, a mount folder"},
      {{"create", "C:", "--timeout"}, "--timeout needs a value: SECONDS (1-86400, default 600)"},
      {{"create", "C:", "--timeout", "0"}, "--timeout 0 is out of range: SECONDS from 1 to 86400"},
      {{"create", "C:", "--timeout", "ten"}, "--timeout 'ten' is not a whole number"},
      {{"create", "C:", "--context", "nightly"}, "--context 'nightly' is not one of: "},
      {{"explain", "--event", "abc"}, "--event 'abc' is not a number"},
      {{"create", "C:", "--retry", "11"}, "--retry 11 is out of range: N from 0 to 10"},
  };
  for (const auto& c : cases) {
    SimBackend backend;
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_cli(args, backend);
    EXPECT_EQ(r.exit, 2) << c.says;
    const std::string detail = nlohmann::json::parse(r.out)["error"]["detail"];
    EXPECT_EQ(detail.rfind(c.says, 0), 0u) << detail;
    for (const char* raw : {"INT:INT", "Could not convert", "is required", "required INT",
                            "not in range", "not in {"})
      EXPECT_EQ(detail.find(raw), std::string::npos) << detail;
  }
}

TEST(CliUsage, HelpShowsRangesAndDefaultsInWords) {
  SimBackend backend;
  const auto r = run_cli({"create", "--help"}, backend);
  EXPECT_NE(r.out.find("--timeout SECONDS (1-86400, default 600)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--retry N (0-10, default 0)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--backup-type copy|full|"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("INT:INT"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("TEXT:{"), std::string::npos) << r.out;
}

// Every command in the table, by its full name ("list shadows"), and its words.
void walk(const std::vector<cli::Command>& commands, const std::vector<std::string>& prefix,
          std::vector<std::vector<std::string>>& out) {
  for (const auto& c : commands) {
    auto words = prefix;
    words.push_back(c.name);
    if (c.setup) out.push_back(words);
    walk(c.children, words, out);
  }
}

TEST(CliCommandTable, EveryCommandDispatchesToItselfAndIsInHelp) {
  std::vector<std::vector<std::string>> commands;
  walk(cli::command_table(), {}, commands);
  ASSERT_GE(commands.size(), 3u);
  for (const auto& words : commands) {
    std::string path;
    for (const auto& w : words) path += (path.empty() ? "" : " ") + w;
    // The document names the command that ran, whatever the command made of its (missing)
    // arguments: a command that dispatched elsewhere would name another.
    SimBackend backend;
    auto args = words;
    args.push_back("--json");
    const auto r = run_cli(args, backend);
    // A command that runs a child (exec) leaves stdout to it and reports on stderr.
    const std::string& document = r.out.empty() ? r.err : r.out;
    EXPECT_EQ(nlohmann::json::parse(document)["command"], path) << r.out << r.err;

    // Listed in the help of the level above it, as a subcommand's own line ("  NAME  ..."),
    // not merely as a word of the parent's description.
    SimBackend b2;
    std::vector<std::string> parent(words.begin(), words.end() - 1);
    parent.push_back("--help");
    const auto help = run_cli(parent, b2);
    EXPECT_EQ(help.exit, 0);
    EXPECT_NE(help.out.find("\n  " + words.back() + " "), std::string::npos)
        << path << ":\n" << help.out;
  }
}

TEST(CliGlobal, HelpAndVersionHonourJson) {
  SimBackend backend;
  const auto v = nlohmann::json::parse(run_cli({"--version", "--json"}, backend).out);
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["result"]["version"], "0.1.0");
  EXPECT_EQ(v["result"]["commit"], core::build_info().commit);
  EXPECT_EQ(v["result"]["build_date"].get<std::string>().size(), 10u);  // 2026-11-29
  EXPECT_EQ(v["result"]["compiler"].get<std::string>().rfind("GNU ", 0), 0u);
  const auto h = run_cli({"--json", "--help"}, backend);
  EXPECT_EQ(h.exit, 0);
  const auto doc = nlohmann::json::parse(h.out);
  EXPECT_EQ(doc["command"], "shadowctl");
  EXPECT_NE(doc["result"]["help"].get<std::string>().find("--json"), std::string::npos);
  EXPECT_EQ(doc["result"]["commands"][2]["commands"][0]["name"], "shadows");
  const auto sub = nlohmann::json::parse(run_cli({"list", "--help", "--json"}, backend).out);
  EXPECT_EQ(sub["command"], "list");
  EXPECT_EQ(sub["result"]["commands"][0]["name"], "shadows");
}

// A fleet report gathers documents from many servers: each says who wrote it, where, when.
TEST(CliGlobal, EveryDocumentCarriesToolMachineAndTime) {
  SimBackend backend;
  backend.facts().machine_name = "FS01";
  const std::vector<std::vector<std::string>> lines = {{"--json", "--version"},
                                                       {"--json", "list", "shadows"},
                                                       {"--json", "nonsense"},
                                                       {"--json", "explain", "not-a-code"},
                                                       {"--json", "check"}};
  for (const auto& line : lines) {
    const auto run = run_cli(line, backend);
    const auto doc = nlohmann::json::parse(run.out);
    EXPECT_EQ(doc["machine"], "FS01") << run.out;
    EXPECT_EQ(doc["tool"]["name"], "shadowctl");
    EXPECT_EQ(doc["tool"]["version"], "0.1.0");
    EXPECT_EQ(doc["tool"]["commit"], core::build_info().commit);
    const std::string time = doc["time"];
    EXPECT_EQ(time.size(), 20u) << time;  // 2026-11-29T03:50:00Z
    EXPECT_EQ(time[10], 'T');
    EXPECT_EQ(time.back(), 'Z');
  }
}

TEST(CliGlobal, GlobalOptionsWorkBeforeAndAfterTheCommand) {
  SimBackend backend;
  EXPECT_EQ(nlohmann::json::parse(run_cli({"explain", "5", "--json"}, backend).out)["command"],
            "explain");
  EXPECT_EQ(nlohmann::json::parse(run_cli({"--json", "list", "shadows"}, backend).out)["command"],
            "list shadows");
  EXPECT_EQ(run_cli({"-q", "list", "shadows", "--no-color"}, backend).exit, 0);
}

TEST(CliGlobal, VersionAndHelpGoToStdoutAndSucceed) {
  SimBackend backend;
  const auto v = run_cli({"--version"}, backend);
  EXPECT_EQ(v.exit, 0);
  EXPECT_EQ(v.out.substr(0, v.out.find('\n')), "shadowctl 0.1.0");
  EXPECT_NE(v.out.find("\ncommit    " + std::string(core::build_info().commit) + "\n"),
            std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("\nbuilt     " + std::string(core::build_info().date) + " for "),
            std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("\ncompiler  GNU "), std::string::npos) << v.out;
  const auto h = run_cli({"--help"}, backend);
  EXPECT_EQ(h.exit, 0);
  EXPECT_NE(h.out.find("check"), std::string::npos);
  EXPECT_NE(h.out.find("explain"), std::string::npos);
  EXPECT_NE(h.out.find("--json"), std::string::npos);
}

TEST(CliGlobal, VerboseLogsVssCallsAndLogFileGetsDebugAlways) {
  const auto path = unique_temp_path("cli.log");
  std::filesystem::remove(path);
  SimBackend backend(fault("InitializeForBackup", core::hr::vss_e_unexpected));
  const auto quiet = run_cli({"--log-file", path.string(), "check"}, backend);
  EXPECT_EQ(quiet.err.find("debug:"), std::string::npos);
  std::stringstream log;
  log << std::ifstream(path).rdbuf();  // closed again before the file is removed (Windows)
  EXPECT_NE(log.str().find("debug check backup_components: VSS_E_UNEXPECTED"), std::string::npos)
      << log.str();
  std::filesystem::remove(path);

  SimBackend b2(fault("InitializeForBackup", core::hr::vss_e_unexpected));
  const auto verbose = run_cli({"-vv", "check"}, b2);
  EXPECT_NE(verbose.err.find("debug: check backup_components"), std::string::npos) << verbose.err;

  // -v: each phase with its time; -vv: the calls with what they were given, each stamped.
  SimBackend b3;
  const auto phases = run_cli({"-v", "create", "C"}, b3);
  EXPECT_NE(phases.err.find("info: GatherWriterMetadata: done after "), std::string::npos)
      << phases.err;
  EXPECT_NE(phases.err.find("info: DoSnapshotSet: done after "), std::string::npos) << phases.err;
  EXPECT_NE(phases.err.find("info: AddToSnapshotSet \\\\?\\Volume{"), std::string::npos)
      << phases.err;
  EXPECT_EQ(phases.err.find("debug:"), std::string::npos) << phases.err;
  const auto calls = run_cli({"-vv", "create", "C"}, b3);
  EXPECT_NE(calls.err.find("debug: IsVolumeSupported \\\\?\\Volume{"), std::string::npos)
      << calls.err;
  // 2026-12-07T04:30:00.123456Z debug: ...
  const auto first = calls.err.substr(0, calls.err.find('\n'));
  ASSERT_GT(first.size(), 28u) << calls.err;
  EXPECT_EQ(first[10], 'T') << first;
  EXPECT_EQ(first[26], 'Z') << first;
}

// An elevated tool must not write through a link planted at a path it was given.
TEST(CliGlobal, LogFileThroughAPlantedLinkOrHardLinkIsRefusedAndTheTargetUntouched) {
  const auto target = unique_temp_path("precious.txt");
  std::ofstream(target) << "precious";
  const auto link = unique_temp_path("planted.log");
  std::filesystem::remove(link);
  SimBackend backend;
  // Windows lets only privileged or developer-mode users make symbolic links, and Wine none.
  std::error_code no_symlinks;
  std::filesystem::create_symlink(target, link, no_symlinks);
  if (!no_symlinks) {
    const auto r = run_cli({"--log-file", link.string(), "explain", "5"}, backend);
    EXPECT_EQ(r.exit, 2);
    EXPECT_TRUE(r.err.find("it is a symbolic link") != std::string::npos ||
                r.err.find("it is a reparse point") != std::string::npos)
        << r.err;
  }
  const auto hard = unique_temp_path("hard.log");
  std::filesystem::remove(hard);
  std::filesystem::create_hard_link(target, hard);
  const auto h = run_cli({"--log-file", hard.string(), "explain", "5"}, backend);
  EXPECT_EQ(h.exit, 2);
  EXPECT_NE(h.err.find("more than one hard link"), std::string::npos) << h.err;
  std::stringstream kept;
  kept << std::ifstream(target).rdbuf();
  EXPECT_EQ(kept.str(), "precious");
  for (const auto& p : {target, link, hard}) std::filesystem::remove(p);
}

TEST(CliGlobal, OutputFilesOnDevicesPipesAndNetworkPathsAreRefusedUpFront) {
  SimBackend backend;
  const auto log = run_cli({"--log-file", "\\\\.\\pipe\\x", "explain", "5"}, backend);
  EXPECT_EQ(log.exit, 2);
  EXPECT_NE(log.err.find("--log-file '\\\\.\\pipe\\x' is refused: it is a named pipe"),
            std::string::npos)
      << log.err;
  // The refusal is itself one JSON document, on stdout: not sent to the refused path.
  const auto json = run_cli({"--json-file", "NUL", "list", "shadows"}, backend);
  EXPECT_EQ(json.exit, 2);
  EXPECT_EQ(nlohmann::json::parse(json.out)["error"]["detail"],
            "--json-file 'NUL' is refused: it names the device NUL");
  EXPECT_TRUE(backend.files().empty());
  const auto script = run_cli({"create", "C:", "--script", "\\\\server\\share\\set.cmd"}, backend);
  EXPECT_EQ(script.exit, 2);
  EXPECT_NE(script.err.find("it is a network path"), std::string::npos) << script.err;
  EXPECT_TRUE(backend.service().store().read().shadows.empty()) << "nothing was made";
}

TEST(CliGlobal, UnwritableLogFileIsAUsageError) {
  // A path under a regular file can never be created.
  const auto file = unique_temp_path("not-a-dir");
  std::ofstream(file) << "x";
  SimBackend backend;
  const auto r = run_cli({"--log-file", (file / "log.txt").string(), "check"}, backend);
  std::filesystem::remove(file);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--log-file"), std::string::npos);
}


}  // namespace
}  // namespace shadowctl::test

namespace shadowctl::test {
namespace {

TEST(CliTrailingCommand, ACommandWithoutDashDashIsToldToPutItAfterDashDash) {
  emulator::SimBackend machine;
  const auto r = run_cli({"exec", "C:", "cmd", "/c", "echo", "hi"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("the command to run must follow `--`"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: Run `shadowctl exec --help`"), std::string::npos) << r.err;
  const auto bare = run_cli({"exec", "C:"}, machine);
  EXPECT_EQ(bare.exit, 2);
  EXPECT_NE(bare.err.find("the command to run must follow `--`"), std::string::npos)
      << bare.err;
  // exec's own help does not offer --script, which only create takes.
  EXPECT_EQ(run_cli({"exec", "--help"}, machine).out.find("--script"), std::string::npos);
}

TEST(CliTrailingCommand, DashDashGoesWithExecOnly) {
  emulator::SimBackend machine;
  const auto r = run_cli({"--json", "list", "shadows", "--", "cmd"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.out.find("'--' and a command after it go with `exec`, `schedule add` and `schedule run` only"), std::string::npos)
      << r.out;
}

TEST(CliJsonFile, TheDocumentGoesToTheFileAndNothingToStdout) {
  emulator::SimBackend machine;
  machine.facts().folders["C:\\out"] = kFolder;
  const auto r = run_cli({"--json-file", "C:\\out\\result.json", "list", "providers"}, machine);
  EXPECT_EQ(r.exit, 0);
  EXPECT_EQ(r.out, "");
  ASSERT_EQ(machine.files().count("C:\\out\\result.json"), 1u);
  const auto doc = nlohmann::json::parse(machine.files().at("C:\\out\\result.json"));
  EXPECT_EQ(doc["command"], "list providers");

  machine.facts().write_error = core::hr::e_accessdenied;
  const auto denied = run_cli({"--json-file", "C:\\out\\result.json", "list", "providers"}, machine);
  EXPECT_EQ(denied.exit, 1);
  EXPECT_NE(denied.err.find("cannot write --json-file 'C:\\out\\result.json'"), std::string::npos)
      << denied.err;
}

// An argument of shadowctl's own that is not valid UTF-16 would name something else once
// read as UTF-8 (U+FFFD): refused, exit 2, nothing made. After "--" it is exec's and passes.
TEST(CliUtf16, AnUnpairedSurrogateInAnOwnArgumentIsRefused) {
  SimBackend backend;
  backend.facts().folders["C:\\out"] = kFolder;
  const std::u16string bad = std::u16string(u"C:\\out\\a") + char16_t(0xD800) + u".json";
  const auto r = run_cli_utf16({u"--json-file", bad, u"list", u"shadows"}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.out.find("argument 2 ('C:\\\\out\\\\a\xEF\xBF\xBD.json') is not valid UTF-16"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(backend.files().empty()) << "a file was written under a changed name";
  const auto pair =
      run_cli_utf16({u"explain", u"5", u"--json-file", u"C:\\out\\\U0001F600.json"}, backend);
  EXPECT_EQ(pair.exit, 0) << pair.out << pair.err;
}

// Found by fuzz_cli: CLI11 took the word after an option as its value even when it was
// another option, so `--script --json` wrote a script named "--json" and no JSON.
TEST(CliUsage, AnOptionIsNeverTakenAsAnotherOptionsValue) {
  SimBackend backend;
  const auto r = run_cli({"create", "C:", "--script", "--json"}, backend);
  EXPECT_EQ(r.exit, 2);
  const auto doc = nlohmann::json::parse(r.out);  // --json still asked for JSON
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find(
                "--script '--json' is an option, not a value"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(backend.files().empty());
  EXPECT_TRUE(backend.service().store().read().shadows.empty()) << "nothing may be made";
  EXPECT_EQ(run_cli({"--json-file", "--quiet", "list", "shadows"}, backend).exit, 2);
  EXPECT_TRUE(backend.files().empty());
  // A file whose name starts with "--" is still reachable.
  EXPECT_EQ(run_cli({"create", "C:", "--script", ".\\--json.cmd"}, backend).exit, 0);
}

TEST(CoreUtf16, UnpairedSurrogatesAreFound) {
  EXPECT_FALSE(core::has_unpaired_surrogate(u"plain \U0001F600 pair"));
  EXPECT_TRUE(core::has_unpaired_surrogate(std::u16string(u"a") + char16_t(0xD800)));
  EXPECT_TRUE(core::has_unpaired_surrogate(std::u16string(1, char16_t(0xDC00)) + u"b"));
  EXPECT_TRUE(core::has_unpaired_surrogate(
      std::u16string{char16_t(0xD800), char16_t(0xD800), char16_t(0xDC00)}));
}

}  // namespace
}  // namespace shadowctl::test
