// The emulated machine's event log: it answers exactly the queries shadowctl sends, as
// Windows' EvtQuery would, refuses any other, and renders events as EvtRender does.
#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/event_log.h"
#include "event_log.h"
#include "machine.h"
#include "os.h"

#include <filesystem>

namespace shadowctl::emulator {
namespace {

constexpr std::int64_t kNoon = 1'796'644'800'000'000;  // 2026-12-07T12:00:00Z

TEST(EmulatedEventLog, ServesEveryQueryShadowctlWrites) {
  for (std::string_view log : core::kEventLogs)
    for (const core::EventFilter& f : {core::EventFilter{kNoon, {}}, core::EventFilter{0, 8193}}) {
      const auto s = parse_event_selection(core::event_query(log, f));
      ASSERT_TRUE(s) << core::event_query(log, f);
      EXPECT_EQ(s->since_us, f.since_unix_us / 1000 * 1000);
      EXPECT_EQ(s->id, f.id);
      EXPECT_FALSE(s->providers.empty());
    }
}

TEST(EmulatedEventLog, RefusesWhatItDoesNotServeAsInvalidQuery) {
  for (const char* q : {"", "*", "Event/System[EventID=8193]", "*[System[Level=2]]",
                        "*[System[EventID=8193]] ", "*[System[EventID=8193 or EventID=8194]]",
                        "*[System[Provider[@Name='VSS']]] and *", "*[System[EventID=99999]]",
                        "*[System[TimeCreated[@SystemTime>='yesterday']]]",
                        "*[System[EventID=1 and EventID=2]]",
                        "*[System[Provider[@Name=VSS]]]"}) {
    EXPECT_FALSE(parse_event_selection(q)) << q;
    std::vector<RecordedEvent> out;
    EXPECT_EQ(select_events(MachineState{}, "Application", q, out), kErrorEvtInvalidQuery) << q;
  }
}

TEST(EmulatedEventLog, SelectsByLogSourceTimeAndIdInRecordOrder) {
  MachineState m;
  write_event(m, {"Application", "VSS", 8193, 2, kNoon + 2000});
  write_event(m, {"Application", "vss", 8224, 4, kNoon});  // sources compare without case
  write_event(m, {"Application", "VSS", 8193, 2, kNoon - 1000});
  write_event(m, {"System", "volsnap", 25, 2, kNoon});
  write_event(m, {"Application", "MsiInstaller", 8193, 2, kNoon});
  std::vector<RecordedEvent> out;
  ASSERT_EQ(select_events(m, "Application", core::event_query("Application", {kNoon, {}}), out), 0u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].record_id, 1u);
  EXPECT_EQ(out[1].record_id, 2u);
  ASSERT_EQ(select_events(m, "Application", core::event_query("Application", {0, 8193}), out), 0u);
  EXPECT_EQ(out.size(), 2u);
  ASSERT_EQ(select_events(m, "System", core::event_query("System", {0, {}}), out), 0u);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(select_events(m, "Security", core::event_query("System", {0, {}}), out),
            kErrorEvtChannelNotFound);
}

TEST(EmulatedEventLog, RendersWhatTheProductReadsBackAndFormatsVssMessages) {
  const RecordedEvent e{"Application", "VSS", 8193, 2, kNoon + 1234,
                        {"Query<&'\">", "0x80042302, The VSS service hit an error", "Processing Query"}, 9};
  const auto back = core::parse_event_xml(render_event_xml(e, "HOST.example"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->source, "VSS");
  EXPECT_EQ(back->id, 8193u);
  EXPECT_EQ(back->level, 2);
  EXPECT_EQ(back->log, "Application");
  EXPECT_EQ(back->computer, "HOST.example");
  EXPECT_EQ(back->time_unix_us, kNoon + 1234);
  EXPECT_EQ(back->data, e.data);
  EXPECT_EQ(format_event_message(e),
            "Volume Shadow Copy Service error: Unexpected error calling routine Query<&'\">. hr = "
            "0x80042302, The VSS service hit an error.\n\nOperation:\n   Processing Query");
  EXPECT_EQ(format_event_message({"System", "volsnap", 25}), "");
}

TEST(EmulatedEventLog, TheServiceLogsWhatFailedInItAndNotWhatFailedInTheCaller) {
  auto ids = [](const std::string& method, core::HResult hr) {
    std::vector<std::uint32_t> out;
    for (const auto& e : events_for_failed_call(method, hr)) out.push_back(e.id);
    return out;
  };
  namespace hr = core::hr;
  EXPECT_EQ(ids("DoSnapshotSet", hr::vss_e_provider_veto), std::vector<std::uint32_t>{12293});
  EXPECT_EQ(ids("DoSnapshotSet", hr::vss_e_insufficient_storage), std::vector<std::uint32_t>{12293});
  EXPECT_EQ(ids("GatherWriterMetadata", hr::e_accessdenied), std::vector<std::uint32_t>{8194});
  EXPECT_EQ(ids("PrepareForBackup", hr::vss_e_unexpected), std::vector<std::uint32_t>{8193});
  EXPECT_EQ(ids("CreateVssBackupComponents", hr::e_accessdenied), std::vector<std::uint32_t>{});
  EXPECT_EQ(ids("SetContext", hr::vss_e_unexpected), std::vector<std::uint32_t>{});
  EXPECT_EQ(ids("StartSnapshotSet", hr::vss_e_snapshot_set_in_progress), std::vector<std::uint32_t>{});
  EXPECT_EQ(ids("DoSnapshotSet", hr::s_ok), std::vector<std::uint32_t>{});
  const auto veto = events_for_failed_call("DoSnapshotSet", hr::vss_e_provider_veto).front();
  EXPECT_EQ(core::event_hresults(core::LoggedEvent{"Application", "VSS", 12293, 2, 0, "", veto.data, ""}),
            std::vector<core::HResult>{hr::vss_e_provider_veto});
}

// With a state file, as every process of the Wine tests has one, a writer's rejected event
// is written with the writer's own names (found by reading a copy of the machine that must
// outlive the search: a dangling copy wrote garbage into the state file under Wine).
TEST(EmulatedEventLog, AWriterFailingAtTheFreezeIsLoggedWithAStateFileToo) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("shadowctl-events-" + std::to_string(os::current_process_id()) + ".json");
  std::filesystem::remove(path);
  Scenario s;
  s.add(WriterFault{"SqlServerWriter", 10, core::hr::vss_e_writererror_retryable, "DoSnapshotSet"});
  {
    test::Machine m(s, path.string());
    auto r = m.prepared();
    m.snapshot(*r);
    r->abort_backup();
  }
  const auto events = StateStore(path.string(), {}).read().events;
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".lock");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, 8229u);
  EXPECT_EQ(events[0].data[1], "Freeze Event");
  EXPECT_NE(events[0].data[2].find("Writer Name: SqlServerWriter"), std::string::npos);
}

}  // namespace
}  // namespace shadowctl::emulator
