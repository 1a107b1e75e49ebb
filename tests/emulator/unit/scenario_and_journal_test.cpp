// Fault scenarios (parsing, which call they hit) and the call journal.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorFaults, NthCallFaultHitsOnlyThatCall) {
  Scenario s;
  s.add(Fault{"SetContext", hr::e_outofmemory, 2});
  Journal journal;
  Service service(s, journal);
  std::unique_ptr<Requester> a, b;
  service.create_backup_components(a);
  service.create_backup_components(b);
  a->initialize_for_backup({});
  b->initialize_for_backup({});
  EXPECT_EQ(a->set_context(context::backup), hr::s_ok);
  EXPECT_EQ(b->set_context(context::backup), hr::e_outofmemory);
}

TEST(EmulatorFaults, ParsesNamesHexAndWhen) {
  const Scenario s = Scenario::parse(R"({"faults": [
      {"method": "CreateVssBackupComponents", "hresult": "E_ACCESSDENIED"},
      {"method": "InitializeForBackup", "hresult": "0x80042302", "when": "first"},
      {"method": "AbortBackup", "hresult": "vss_e_bad_state", "when": 3}]})");
  auto hresult = [&](const char* method, int n) {
    const auto f = s.fault_for(method, {n, 1});
    return f ? std::optional<HResult>(f->hr) : std::nullopt;
  };
  EXPECT_EQ(hresult("CreateVssBackupComponents", 7), hr::e_accessdenied);
  EXPECT_EQ(hresult("InitializeForBackup", 1), hr::vss_e_unexpected);
  EXPECT_FALSE(hresult("InitializeForBackup", 2));
  EXPECT_EQ(hresult("AbortBackup", 3), hr::vss_e_bad_state);
  EXPECT_FALSE(hresult("AbortBackup", 2));
}

TEST(EmulatorFaults, RejectsBadScenarios) {
  EXPECT_THROW(Scenario::parse(R"({"faults": [{"method": "X", "hresult": "nope"}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::parse(R"({"faults": [{"method": "X", "hresult": "S_OK", "when": 0}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::load("/nonexistent/scenario.json"), std::runtime_error);
}

TEST(EmulatorJournal, RecordsEveryCallWithItsResultInFileAndMemory) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("shadowctl-journal-" + std::to_string(os::current_process_id()) + ".jsonl");
  std::filesystem::remove(path);
  {
    // Everything that holds the file is closed before it is removed, as Windows requires.
    Journal journal(path.string());
    Service service({}, journal);
    std::unique_ptr<Requester> r;
    service.create_backup_components(r);
    r->initialize_for_backup({});
    r->initialize_for_backup({});
    service.not_served("Query");
    EXPECT_EQ(journal.methods(),
              (std::vector<std::string>{"CreateVssBackupComponents", "InitializeForBackup",
                                        "InitializeForBackup", "Query"}));
    EXPECT_EQ(journal.entries()[2].hr, hr::vss_e_bad_state);
    EXPECT_EQ(journal.entries()[3].hr, hr::e_notimpl);
    std::ifstream in(path);
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) ++lines;
    EXPECT_EQ(lines, 4);
  }
  std::filesystem::remove(path);
}


}  // namespace
}  // namespace shadowctl::emulator::test
