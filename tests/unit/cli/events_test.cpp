// The event log as a user meets it: `shadowctl events`, and the events beside a failed run's
// error, read from the emulated machine's log through the XPath subset wevtapi's double serves.
#include <condition_variable>
#include <mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "event_log.h"
#include "journal.h"
#include "session/events.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::MachineState;
using emulator::RecordedEvent;
using emulator::Scenario;
using emulator::SimBackend;

constexpr std::int64_t kHourUs = 3'600'000'000;

// The default machine with, in its logs: a VSS 8193 two hours ago, a volsnap 25 three days
// ago, and an installer's event an hour ago that is no source of shadowctl's.
MachineState machine_with_events() {
  MachineState m = emulator::default_machine();
  const std::int64_t now = emulator::now_us();
  emulator::write_event(m, {"System", "volsnap", 25, 2, now - 72 * kHourUs, {"C:", "C:"}});
  emulator::write_event(m, {"Application", "VSS", 8193, 2, now - 2 * kHourUs,
                            {"RegOpenKeyExW(-2147483646,SYSTEM\\CurrentControlSet\\Services\\VSS\\Diag)",
                             "0x80070005, Access is denied.", "Initializing Writer"}});
  emulator::write_event(m, {"Application", "MsiInstaller", 1033, 4, now - kHourUs, {"x"}});
  return m;
}

TEST(CliEvents, ListsTheLastDaysEventsOfItsSourcesWithTheirMeaningAndCodes) {
  SimBackend machine({}, {}, machine_with_events());
  const auto r = run_cli({"--json", "events"}, machine);
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& events = doc["result"]["events"];
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["source"], "VSS");
  EXPECT_EQ(events[0]["id"], 8193);
  EXPECT_EQ(events[0]["level"], "Error");
  EXPECT_EQ(events[0]["log"], "Application");
  EXPECT_EQ(events[0]["computer"], "SIM-HOST");
  EXPECT_EQ(events[0]["data"][2], "Initializing Writer");
  // The publisher's message, as EvtFormatMessage gives it, and the catalogue's reading.
  EXPECT_NE(events[0]["message"].get<std::string>().find(
                "Unexpected error calling routine RegOpenKeyExW"),
            std::string::npos);
  EXPECT_NE(events[0]["meaning"].get<std::string>().find("A routine VSS called failed"),
            std::string::npos);
  EXPECT_EQ(events[0]["errors"][0]["name"], "E_ACCESSDENIED");
  EXPECT_EQ(doc["result"]["unread"], nullptr);

  ScopedTimeZone utc("UTC0");
  const auto human = run_cli({"events"}, machine);
  EXPECT_NE(human.out.find("VSS 8193  Error (Application log)"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("0x80070005 E_ACCESSDENIED"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("1 event since "), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("MsiInstaller"), std::string::npos);
}

TEST(CliEvents, SinceAndIdChooseWhichEvents) {
  SimBackend machine({}, {}, machine_with_events());
  auto ids = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "events"});
    const auto doc = nlohmann::json::parse(run_cli(args, machine).out);
    std::vector<int> out;
    for (const auto& e : doc["result"]["events"]) out.push_back(e["id"]);
    return out;
  };
  EXPECT_EQ(ids({"--since", "4d"}), (std::vector<int>{25, 8193}));  // oldest first, both logs
  EXPECT_EQ(ids({"--since", "4d", "--id", "25"}), std::vector<int>{25});
  EXPECT_EQ(ids({"--since", "90m"}), std::vector<int>{});
  ScopedTimeZone utc("UTC0");
  EXPECT_NE(run_cli({"events", "--since", "90m"}, machine).out.find("No VSS, volsnap or writer events since"),
            std::string::npos);
}

TEST(CliEvents, ABadSinceOrIdIsAUsageError) {
  SimBackend machine;
  auto r = run_cli({"events", "--since", "yesterday"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--since 'yesterday' is not a duration such as 90m, 36h, 10d or 2w"),
            std::string::npos)
      << r.err;
  r = run_cli({"events", "--id", "70000"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("--id"), std::string::npos) << r.err;
}

TEST(CliEvents, ALogThatCannotBeReadFailsSayingWhyInOneDocument) {
  emulator::MachineFacts facts;
  facts.event_log_error = core::hresult_from_win32(50);  // ERROR_NOT_SUPPORTED: Wine's wevtapi
  SimBackend machine({}, facts);
  const auto r = run_cli({"--json", "events"}, machine);
  EXPECT_EQ(r.exit, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "ERROR_NOT_SUPPORTED");
  EXPECT_EQ(doc["error"]["phase"], "EvtQuery");
  EXPECT_NE(doc["error"]["detail"].get<std::string>().find(
                "the Application log could not be read (ERROR_NOT_SUPPORTED"),
            std::string::npos);
  EXPECT_NE(doc["error"]["remedy"].get<std::string>().find("Wine"), std::string::npos);
  EXPECT_FALSE(doc["error"].contains("events")) << "reading the log again explains nothing";
}

Scenario veto_at_commit() {
  Scenario s;
  s.add(emulator::AsyncFault{"DoSnapshotSet", emulator::AsyncFault::Kind::fail, 0,
                             core::hr::vss_e_provider_veto, 0});
  return s;
}

TEST(CliEventsBesideFailure, AProviderVetoShowsTheEventTheServiceWrote) {
  SimBackend machine(veto_at_commit(), {}, machine_with_events());
  const auto r = run_cli({"--json", "create", "C:"}, machine);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_PROVIDER_VETO");
  // Only what was written since the run started: not the 8193 of two hours ago.
  const auto& events = doc["error"]["events"];
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["id"], 12293);
  EXPECT_EQ(events[0]["errors"][0]["name"], "VSS_E_PROVIDER_VETO");
  EXPECT_FALSE(doc["error"].contains("events_unread"));

  SimBackend again(veto_at_commit());
  ScopedTimeZone utc("UTC0");
  const auto human = run_cli({"create", "C:"}, again);
  EXPECT_NE(human.err.find("events logged since the run started:\n  "), std::string::npos)
      << human.err;
  EXPECT_NE(human.err.find("VSS 12293  Error (Application log)"), std::string::npos) << human.err;
  EXPECT_NE(human.err.find("Error calling a routine on a Shadow Copy Provider"), std::string::npos)
      << human.err;
}

TEST(CliEventsBesideFailure, AWriterFailingAtFreezeShowsItsRejectedEvent) {
  SimBackend machine(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE",
      "phase": "DoSnapshotSet"}]})"));
  const auto r = run_cli({"--json", "create", "C:"}, machine);
  EXPECT_EQ(r.exit, 5);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& events = doc["error"]["events"];
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["id"], 8229);
  EXPECT_EQ(events[0]["level"], "Warning");
  EXPECT_EQ(events[0]["data"][1], "Freeze Event");
  EXPECT_NE(events[0]["data"][2].get<std::string>().find("Writer Name: SqlServerWriter"),
            std::string::npos);
  EXPECT_EQ(events[0]["errors"][0]["name"], "VSS_E_WRITERERROR_RETRYABLE");
}

TEST(CliEventsBesideFailure, NoEventsLeavesThemOutAndAnUnreadableLogChangesNothingElse) {
  SimBackend quiet(veto_at_commit());
  auto doc = nlohmann::json::parse(run_cli({"--json", "--no-events", "create", "C:"}, quiet).out);
  EXPECT_FALSE(doc["error"].contains("events"));
  EXPECT_FALSE(doc["error"].contains("events_unread"));
  EXPECT_TRUE(quiet.service().store().read().events.size() == 1u) << "the event was written";

  emulator::MachineFacts facts;
  facts.event_log_error = core::hresult_from_win32(50);
  SimBackend wine_like(veto_at_commit(), facts);
  const auto r = run_cli({"--json", "create", "C:"}, wine_like);
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["error"]["name"], "VSS_E_PROVIDER_VETO");
  EXPECT_EQ(r.exit, 1);
  EXPECT_FALSE(doc["error"].contains("events"));
  EXPECT_NE(doc["error"]["events_unread"].get<std::string>().find(
                "the Application log could not be read (ERROR_NOT_SUPPORTED"),
            std::string::npos);
  // Human: the error as before, nothing about the log (it is in -v's log lines).
  const auto human = run_cli({"create", "C:"}, wine_like);
  EXPECT_EQ(human.err.find("events logged"), std::string::npos) << human.err;
}

TEST(CliEventsBesideFailure, NotReadForWhatNoEventExplains) {
  SimBackend machine;
  auto doc = nlohmann::json::parse(run_cli({"--json", "create"}, machine).out);  // usage
  EXPECT_FALSE(doc["error"].contains("events"));
  doc = nlohmann::json::parse(run_cli({"--json", "create", "Q:"}, machine).out);  // not found
  EXPECT_EQ(doc["exit_code"], 7);
  EXPECT_FALSE(doc["error"].contains("events"));
}

// An event log that never answers. It is never destroyed: the read left behind stays in
// its call on its own thread until the process ends, as a real reader would.
class StuckLog final : public session::EventLog {
 public:
  core::HResult query_events(const std::string&, const std::string&, std::size_t,
                             std::vector<session::RenderedEvent>&) override {
    std::unique_lock lock(mutex_);
    never_.wait(lock, [] { return false; });
    return 0;
  }

 private:
  std::mutex mutex_;
  std::condition_variable never_;
};

TEST(EventsRead, ALogThatDoesNotAnswerCostsTheBoundAndIsSaid) {
  static StuckLog& stuck = *new StuckLog;
  const auto reading = session::read_events(stuck, {0, {}}, std::chrono::milliseconds(1));
  EXPECT_FALSE(reading.any_read);
  EXPECT_EQ(reading.error, core::hr::error_timeout);
  EXPECT_EQ(reading.unread, "the event log did not answer within 1 ms");
}

}  // namespace
}  // namespace shadowctl::test
