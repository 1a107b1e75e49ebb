// `shadowctl exec`, in-process: the command as it is started, what it is given, and what is
// left afterwards (nothing), against the emulator.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/vss.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// The block's entries, NUL-separated.
std::vector<std::string> entries(const std::u16string& block) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < block.size() && block[i] != u'\0';) {
    const auto end = block.find(u'\0', i);
    out.push_back(core::utf8(block.substr(i, end - i)));
    i = end + 1;
  }
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void expect_nothing_left(SimBackend& machine) {
  const auto state = machine.service().store().read();
  EXPECT_TRUE(state.shadows.empty()) << "a shadow copy was left";
  EXPECT_FALSE(state.in_creation.has_value()) << "a set was left in creation";
  EXPECT_EQ(machine.service().ledger().aborts_owed, 0);
  EXPECT_EQ(machine.service().ledger().results_owed, 0);
  EXPECT_EQ(machine.service().ledger().writers_left_waiting, 0);
}

TEST(CliExec, RunsTheCommandAgainstTheSetThenDeletesIt) {
  SimBackend machine;
  machine.facts().environment.push_back(u"SHADOWCTL_SET_ID=inherited");
  std::size_t shadows_while_running = 0;
  machine.facts().program = [&](const session::ProcessRequest&) {
    shadows_while_running = machine.service().store().read().shadows.size();
    return session::ProcessResult{0, 0, std::chrono::milliseconds(5)};
  };
  const auto r = run_cli({"exec", "C:", "--", "robocopy", "C:\\Data", "D:\\Backup", "/B"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(shadows_while_running, 1u);
  ASSERT_EQ(machine.processes().size(), 1u);
  const auto& p = machine.processes()[0];
  EXPECT_EQ(p.application, u"C:\\Windows\\System32\\robocopy.EXE");
  EXPECT_EQ(p.command_line, u"\"C:\\Windows\\System32\\robocopy.EXE\" C:\\Data D:\\Backup /B");
  const auto env = entries(p.environment);
  const auto shadow = machine.journal().entries();
  EXPECT_FALSE(has(env, "SHADOWCTL_SET_ID=inherited"));
  EXPECT_TRUE(has(env, "SHADOWCTL_SHADOW_COUNT=1"));
  EXPECT_TRUE(has(env, "Path=C:\\Windows\\System32")) << "the tool's own environment is kept";
  EXPECT_TRUE(has(env, "NoDefaultCurrentDirectoryInExePath=1"))
      << "what the child looks up is never taken from its current folder";
  const auto device = std::find_if(env.begin(), env.end(), [](const auto& e) {
    return e.rfind("SHADOWCTL_DEVICE_C=\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy", 0) == 0;
  });
  ASSERT_NE(device, env.end());
  EXPECT_EQ(device->back(), '\\') << "ready for a relative path";
  // stdout is the command's alone (`exec C: -- 7z a -so > x.7z`): shadowctl's line is on stderr.
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("exited with 0"), std::string::npos) << r.err;
  // Writers hear of the backup only after the command: BackupComplete follows it.
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "BackupComplete"), m.end());
  EXPECT_NE(std::find(m.begin(), m.end(), "DeleteSnapshots"), m.end());
  expect_nothing_left(machine);
}

TEST(CliExec, TheCommandsExitCodeIsExecsAndAFailedCommandAbortsTheBackup) {
  SimBackend machine;
  machine.facts().program = [](const session::ProcessRequest&) {
    return session::ProcessResult{0, 3, std::chrono::milliseconds(1)};
  };
  const auto r = run_cli({"--json", "exec", "C:", "--exclude-writer", "WMI Writer",
                          "--backup-type", "full", "--", "robocopy"},
                         machine);
  EXPECT_EQ(r.exit, 3);
  const auto doc = nlohmann::json::parse(r.err);
  EXPECT_EQ(doc["exit_code"], 3);
  EXPECT_EQ(doc["result"]["exit_code"], 3);
  EXPECT_EQ(doc["result"]["context"], "backup");
  EXPECT_TRUE(doc["result"]["set_deleted"].get<bool>());
  EXPECT_TRUE(doc["result"]["backup_aborted"].get<bool>());
  // The backup was not made: writers are told so with AbortBackup (OnAbort), never with a
  // BackupComplete that a FULL backup's writer could take as leave to truncate its logs.
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "BackupComplete"), m.end());
  EXPECT_EQ(std::find(m.begin(), m.end(), "SetBackupSucceeded"), m.end());
  const auto abort = std::find(m.begin(), m.end(), "AbortBackup");
  ASSERT_NE(abort, m.end());
  EXPECT_LT(abort, std::find(m.begin(), m.end(), "DeleteSnapshots"));
  expect_nothing_left(machine);
}

TEST(CliExec, WithJsonTheDocumentGoesToStderrOrTheJsonFileNeverToStdout) {
  SimBackend machine;
  const auto r = run_cli({"--json", "exec", "C:", "--", "robocopy"}, machine);
  EXPECT_EQ(r.exit, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(nlohmann::json::parse(r.err)["command"], "exec");
  const auto to_file = run_cli({"--json-file", "C:\\exec.json", "exec", "C:", "--", "robocopy"}, machine);
  EXPECT_EQ(to_file.out, "");
  EXPECT_EQ(to_file.err, "");
  EXPECT_EQ(nlohmann::json::parse(machine.files().at("C:\\exec.json"))["command"], "exec");
  // Refused before anything ran: still not on stdout.
  const auto refused = run_cli({"--json", "exec", "C:", "--retry", "99", "--", "robocopy"}, machine);
  EXPECT_EQ(refused.exit, 2);
  EXPECT_EQ(refused.out, "");
}

TEST(CliExec, ACommandNotFoundFailsBeforeAnySetExists) {
  SimBackend machine;
  const auto r = run_cli({"--json", "exec", "C:", "--", "7z", "a", "x.7z"}, machine);
  EXPECT_EQ(r.exit, 127);
  EXPECT_EQ(nlohmann::json::parse(r.err)["error"]["name"], "SHADOWCTL_E_COMMAND_NOT_FOUND");
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "StartSnapshotSet"), m.end());
  EXPECT_TRUE(machine.processes().empty());
}

TEST(CliExec, ACommandThatCannotStartLeavesNothing) {
  SimBackend machine;
  machine.facts().program = [](const session::ProcessRequest&) {
    session::ProcessResult failed;
    failed.start_error = core::hresult_from_win32(193);  // ERROR_BAD_EXE_FORMAT
    return failed;
  };
  const auto r = run_cli({"--json", "exec", "C:", "--", "robocopy"}, machine);
  EXPECT_EQ(r.exit, 127);
  const auto error = nlohmann::json::parse(r.err)["error"];
  EXPECT_EQ(error["name"], "SHADOWCTL_E_COMMAND_NOT_STARTED");
  // The Win32 error by its name, and its remedy, not HRESULT_FROM_WIN32(193).
  EXPECT_NE(error["detail"].get<std::string>().find("robocopy.EXE: ERROR_BAD_EXE_FORMAT (The file is "
                                                    "not a program Windows can run"),
            std::string::npos)
      << error;
  EXPECT_NE(error["remedy"].get<std::string>().find("through its interpreter"), std::string::npos);
  expect_nothing_left(machine);
}

TEST(CliExec, BatchFilesRunThroughCmdAndRefuseWhatCmdWouldMisread) {
  SimBackend machine;
  machine.facts().program_files.push_back(u"C:\\Scripts\\backup.cmd");
  ASSERT_EQ(run_cli({"exec", "C:", "--", "C:\\Scripts\\backup.cmd", "a b", "%PATH%"}, machine).exit, 0);
  ASSERT_EQ(machine.processes().size(), 1u);
  EXPECT_EQ(machine.processes()[0].application, u"C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(machine.processes()[0].command_line,
            u"cmd.exe /e:ON /v:OFF /d /c \"\"C:\\Scripts\\backup.cmd\" \"a b\" "
            u"\"%%cd:~,%PATH%%cd:~,%\"\"");
  expect_nothing_left(machine);

  const auto r = run_cli({"--json", "exec", "C:", "--", "C:\\Scripts\\backup.cmd", "ok", "two\nlines"},
                         machine);
  EXPECT_EQ(r.exit, 2);
  const auto doc = nlohmann::json::parse(r.err);
  EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_BATCH_ARGUMENT");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find("argument 2"), std::string::npos);
  EXPECT_EQ(machine.processes().size(), 1u) << "nothing else ran";
}

TEST(CliExec, MountExposesThePersistentCopyForTheCommandOnly) {
  SimBackend machine;
  std::string exposed_while_running;
  long context_while_running = 0;
  machine.facts().program = [&](const session::ProcessRequest&) {
    const auto shadows = machine.service().store().read().shadows;
    if (!shadows.empty()) {
      exposed_while_running = shadows[0].exposed_name;
      context_while_running = shadows[0].context;
    }
    return session::ProcessResult{};
  };
  const auto r = run_cli({"exec", "C:", "--mount", "C=X:", "--", "robocopy"}, machine);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(exposed_while_running, "X:");
  EXPECT_EQ(context_while_running, core::vss::context::app_rollback) << "persistent, with writers";
  EXPECT_TRUE(has(entries(machine.processes().at(0).environment), "SHADOWCTL_MOUNT_1=X:"));
  const auto m = machine.journal().methods();
  EXPECT_NE(std::find(m.begin(), m.end(), "UnexposeSnapshot"), m.end());
  expect_nothing_left(machine);

  EXPECT_EQ(run_cli({"exec", "C:", "--mount", "D=X:", "--", "robocopy"}, machine).exit, 2)
      << "D: is not in the set";
  EXPECT_EQ(run_cli({"exec", "C:", "--mount", "C=C:", "--", "robocopy"}, machine).exit, 2)
      << "C: is in use";
}

TEST(CliExec, CtrlCDuringTheCommandWaitsForItThenCleansUpAndExits130) {
  SimBackend machine;
  session::CancelToken cancel;
  machine.facts().program = [&](const session::ProcessRequest&) {
    cancel.request();  // the console's Ctrl+C reaches both; the command then ends
    return session::ProcessResult{0, -1073741510, std::chrono::milliseconds(1)};  // STATUS_CONTROL_C_EXIT
  };
  const auto r = run_cli_cancellable({"--json", "exec", "C:", "--", "robocopy"}, machine, cancel);
  EXPECT_EQ(r.exit, 130);
  const auto m = machine.journal().methods();
  EXPECT_EQ(std::find(m.begin(), m.end(), "BackupComplete"), m.end())
      << "an interrupted command never tells writers the backup is complete";
  expect_nothing_left(machine);
}

TEST(CliExec, UsageErrors) {
  SimBackend machine;
  EXPECT_EQ(run_cli({"exec", "C:"}, machine).exit, 2) << "no -- COMMAND";
  EXPECT_EQ(run_cli({"exec", "C:", "--"}, machine).exit, 2) << "nothing after --";
  EXPECT_EQ(run_cli({"exec", "C:", "--mount", "C", "--", "robocopy"}, machine).exit, 2);
  EXPECT_EQ(run_cli({"exec", "C:", "--script", "x.cmd", "--", "robocopy"}, machine).exit, 2);
  EXPECT_TRUE(machine.processes().empty());
}

TEST(CliExec, ArgumentsAfterDashDashAreTheCommandsNotShadowctls) {
  SimBackend machine;
  ASSERT_EQ(run_cli({"exec", "C:", "--", "robocopy", "--json", "-v", "--", "x"}, machine).exit, 0);
  EXPECT_EQ(machine.processes().at(0).command_line,
            u"\"C:\\Windows\\System32\\robocopy.EXE\" --json -v -- x");
}

// A backup program's password on its command line never reaches stderr (-vv) or the log
// file: the program and the number of arguments are logged, not their text.
TEST(CliExec, TheCommandsArgumentsAreNeverLogged) {
  const auto path = unique_temp_path("exec-secret.log");
  std::filesystem::remove(path);
  SimBackend machine;
  const auto r = run_cli({"-vv", "--log-file", path.string(), "exec", "C:", "--", "robocopy",
                          "/user:backup", "/pass:Hunter2-Secret"},
                         machine);
  ASSERT_EQ(r.exit, 0) << r.err;
  std::stringstream log;
  log << std::ifstream(path).rdbuf();
  std::filesystem::remove(path);
  for (const std::string& where : {r.err, log.str()}) {
    EXPECT_EQ(where.find("Hunter2-Secret"), std::string::npos) << where;
    EXPECT_NE(where.find("robocopy.EXE with 2 argument(s) (their text is not logged)"),
              std::string::npos)
        << where;
  }
  EXPECT_NE(core::utf8(machine.processes().at(0).command_line).find("/pass:Hunter2-Secret"),
            std::string::npos)
      << "the command still gets it";
}

// --drop-privileges asks the platform for a restricted token; without it the child gets the
// token as shadowctl found it (docs/security.md says what that holds).
TEST(CliExec, DropPrivilegesReachesTheProcessRequest) {
  SimBackend machine;
  ASSERT_EQ(run_cli({"exec", "C:", "--drop-privileges", "--", "robocopy"}, machine).exit, 0);
  ASSERT_EQ(run_cli({"exec", "C:", "--", "robocopy"}, machine).exit, 0);
  ASSERT_EQ(machine.processes().size(), 2u);
  EXPECT_TRUE(machine.processes()[0].drop_privileges);
  EXPECT_FALSE(machine.processes()[1].drop_privileges);
}

}  // namespace
}  // namespace shadowctl::test
