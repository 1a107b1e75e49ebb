// Writers: metadata, status and scenario faults per phase.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorWriters, WriterFaultAppliesAtItsPhase) {
  Machine m(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_FREEZE", "failure": "VSS_E_WRITERERROR_RETRYABLE",
      "phase": "DoSnapshotSet"}]})"));
  auto r = m.prepared();
  auto status = [&] {
    std::vector<Writer> w;
    EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
    EXPECT_EQ(r->writer_status(&w), hr::s_ok);
    return *std::find_if(w.begin(), w.end(), [](const Writer& x) { return x.name == "SqlServerWriter"; });
  };
  EXPECT_EQ(status().state, 1);  // stable before DoSnapshotSet
  m.snapshot(*r);
  const Writer after = status();
  EXPECT_EQ(after.state, 9);
  EXPECT_EQ(after.failure, core::hr::vss_e_writererror_retryable);
}

TEST(EmulatorWriters, WriterFaultIsPerCallAndNotWrittenIntoTheMachine) {
  Machine m(Scenario::parse(R"({"writers": [{"writer": "SqlServerWriter",
      "state": "VSS_WS_FAILED_AT_PREPARE_BACKUP", "phase": "PrepareForBackup",
      "when": "first"}]})"));
  auto sql_state = [&](Requester& r) {
    std::vector<Writer> w;
    EXPECT_EQ(m.finish([&](auto* a) { return r.gather_writer_status(a); }), hr::vss_s_async_finished);
    EXPECT_EQ(r.writer_status(&w), hr::s_ok);
    return std::find_if(w.begin(), w.end(), [](const Writer& x) { return x.name == "SqlServerWriter"; })->state;
  };
  {
    auto first = m.prepared(context::app_rollback);
    EXPECT_EQ(sql_state(*first), 7);
    EXPECT_EQ(first->abort_backup(), hr::s_ok);
  }
  for (const auto& w : m.service.store().read().writers) EXPECT_EQ(w.state, 1) << w.name;
  auto retry = m.prepared(context::app_rollback);
  EXPECT_EQ(sql_state(*retry), 1) << "a retry meets healthy writers";
}

TEST(EmulatorWriters, WritersWaitForBackupCompleteAfterTheSnapshot) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  auto state = [&] {
    std::vector<Writer> w;
    EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
    EXPECT_EQ(r->writer_status(&w), hr::s_ok);
    EXPECT_EQ(r->free_writer_status(), hr::s_ok);
    return w.at(0).state;
  };
  EXPECT_EQ(state(), 1);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(state(), 5);  // VSS_WS_WAITING_FOR_BACKUP_COMPLETE
  EXPECT_EQ(m.finish([&](auto* a) { return r->backup_complete(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(state(), 1);
}

TEST(EmulatorWriters, ScenarioRejectsUnknownStatesAndPhases) {
  EXPECT_THROW(Scenario::parse(R"({"writers": [{"writer": "X", "state": "BOGUS"}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::parse(R"({"writers": [{"writer": "X", "state": 9, "phase": "Later"}]})"),
               std::runtime_error);
  EXPECT_THROW(Scenario::parse(R"({"async": [{"method": "X", "behaviour": "slow"}]})"),
               std::runtime_error);
}


TEST(EmulatorWriters, MetadataIsGatheredOncePerObjectAndReadAfterwards) {
  Machine m;
  std::unique_ptr<Requester> r;
  ASSERT_EQ(m.service.create_backup_components(r), hr::s_ok);
  ASSERT_EQ(r->initialize_for_backup({}), hr::s_ok);
  std::vector<Writer> writers;
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
  EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_metadata(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r->writer_metadata(&writers), hr::s_ok);
  EXPECT_EQ(writers.size(), 4u);
  EXPECT_EQ(writers[3].name, "SqlServerWriter");
  ASSERT_EQ(writers[3].components.size(), 2u);
  EXPECT_EQ(writers[3].components[0].name, "master");
  EXPECT_EQ(writers[3].components[0].logical_path, "SQL01");
  EXPECT_EQ(writers[3].components[0].type, 1);  // VSS_CT_DATABASE
  EXPECT_EQ(writers[3].components[1].files.front().filespec, "model.mdf");
  std::shared_ptr<Async> again;
  EXPECT_EQ(r->gather_writer_metadata(&again), hr::vss_e_bad_state);
  EXPECT_EQ(r->free_writer_metadata(), hr::s_ok);
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
}


TEST(EmulatorWriters, FreeWriterStatusDropsTheStatus) {
  Machine m;
  auto r = m.requester();
  ASSERT_EQ(m.finish([&](auto* a) { return r->gather_writer_status(a); }), hr::vss_s_async_finished);
  std::vector<Writer> writers;
  EXPECT_EQ(r->writer_status(&writers), hr::s_ok);
  EXPECT_EQ(r->free_writer_status(), hr::s_ok);
  EXPECT_EQ(r->writer_status(&writers), hr::vss_e_bad_state);
}

TEST(EmulatorWriters, StateFileTakesAComponentByNameAlone) {
  auto state = from_json_text(R"({"writers": [{"id": "{a}", "instance_id": "{b}",
      "name": "W", "components": ["plain", {"name": "full", "type": 1, "selectable": false,
      "files": [{"path": "C:\\db", "filespec": "*.mdf", "recursive": true}]}]}]})");
  ASSERT_EQ(state.writers.at(0).components.size(), 2u);
  EXPECT_EQ(state.writers[0].components[0].name, "plain");
  EXPECT_EQ(state.writers[0].components[0].type, 2);  // VSS_CT_FILEGROUP by default
  EXPECT_FALSE(state.writers[0].components[1].selectable);
  EXPECT_TRUE(state.writers[0].components[1].files.at(0).recursive);
}

}  // namespace
}  // namespace shadowctl::emulator::test
