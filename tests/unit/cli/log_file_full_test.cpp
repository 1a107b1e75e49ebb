// A --log-file whose disk fills up part-way: the run fails naming the log, and a create
// deletes the set it made, as when its report cannot be written.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "platform/platform.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

// The real log file, on a disk that is full after `room` bytes: writes past it fail with
// ERROR_DISK_FULL, as WriteFile's do. (The platform's own error mapping is tested in
// platform/log_file_test.cpp.)
class FillingDisk final : public session::AppendFile {
 public:
  FillingDisk(std::unique_ptr<session::AppendFile> file, std::streamsize room)
      : file_(std::move(file)), room_(room) {}
  core::HResult write_error() const override { return error_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const std::streamsize fits = std::min(n, room_);
    const std::streamsize written = file_->sputn(s, fits);
    room_ -= written;
    if (written < n) error_ = core::hresult_from_win32(112);  // ERROR_DISK_FULL
    return written;
  }
  int_type overflow(int_type c) override {
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }

 private:
  std::unique_ptr<session::AppendFile> file_;
  std::streamsize room_;
  core::HResult error_ = 0;
};

LogFileOpener disk_full_after(std::streamsize room) {
  return [room](const std::string& path, std::string& why) -> std::unique_ptr<session::AppendFile> {
    auto file = platform::open_log_file(path, why);
    if (!file) return nullptr;
    return std::make_unique<FillingDisk>(std::move(file), room);
  };
}

TEST(CliLogFileFull, ACreateWhoseLogIsLostFailsAndLeavesNothing) {
  const auto path = unique_temp_path("full.log");
  std::filesystem::remove(path);
  SimBackend machine;
  const auto r = run_cli_with_log_file({"--log-file", path.string(), "create", "C:"}, machine,
                                       disk_full_after(40));
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_NE(r.err.find("error: ERROR_DISK_FULL (0x80070070) during --log-file: cannot write "
                       "--log-file '" +
                       path.string() + "'; log lines were lost"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("it made was deleted"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("Created set"), std::string::npos) << "a deleted set reported as made";
  EXPECT_TRUE(machine.service().store().read().shadows.empty()) << "the set was left";
  EXPECT_EQ(std::filesystem::file_size(path), 40u) << "written until the disk was full";
  std::filesystem::remove(path);

  SimBackend json_machine;
  const auto j = run_cli_with_log_file({"--json", "--log-file", path.string(), "create", "C:"},
                                       json_machine, disk_full_after(40));
  EXPECT_EQ(j.exit, 1);
  const auto doc = nlohmann::json::parse(j.out);  // still exactly one document
  EXPECT_EQ(doc["ok"], false);
  EXPECT_TRUE(doc["result"].is_null());
  EXPECT_EQ(doc["error"]["name"], "ERROR_DISK_FULL");
  EXPECT_TRUE(json_machine.service().store().read().shadows.empty());
  std::filesystem::remove(path);

  // With room for the whole log, the same run succeeds and keeps its set.
  SimBackend roomy;
  EXPECT_EQ(run_cli_with_log_file({"--log-file", path.string(), "create", "C:"}, roomy,
                                  disk_full_after(1 << 20))
                .exit,
            0);
  EXPECT_EQ(roomy.service().store().read().shadows.size(), 1u);
  std::filesystem::remove(path);
}

// A run that failed anyway keeps its own error; the lost log is a warning beside it.
TEST(CliLogFileFull, AFailedRunKeepsItsErrorAndWarnsOfTheLostLog) {
  const auto path = unique_temp_path("full2.log");
  std::filesystem::remove(path);
  SimBackend machine(emulator::Scenario::parse(
      R"({"faults": [{"method": "Query", "hresult": "VSS_E_UNEXPECTED"}]})"));
  const auto r = run_cli_with_log_file({"--json", "--log-file", path.string(), "list", "shadows"},
                                       machine, disk_full_after(40));
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_UNEXPECTED");
  ASSERT_EQ(doc["warnings"].size(), 1u) << r.out;
  EXPECT_NE(doc["warnings"][0]["message"].get<std::string>().find("log lines were lost (ERROR_DISK_FULL)"),
            std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace shadowctl::test
