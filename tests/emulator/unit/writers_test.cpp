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
  auto r = m.requester();
  std::vector<Writer> writers;
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
  EXPECT_EQ(m.finish([&](auto* a) { return r->gather_writer_metadata(a); }), hr::vss_s_async_finished);
  EXPECT_EQ(r->writer_metadata(&writers), hr::s_ok);
  EXPECT_EQ(writers.size(), 4u);
  EXPECT_EQ(writers[3].name, "SqlServerWriter");
  EXPECT_EQ(writers[3].components, (std::vector<std::string>{"master", "model"}));
  std::shared_ptr<Async> again;
  EXPECT_EQ(r->gather_writer_metadata(&again), hr::vss_e_bad_state);
  EXPECT_EQ(r->free_writer_metadata(), hr::s_ok);
  EXPECT_EQ(r->writer_metadata(&writers), hr::vss_e_bad_state);
}


}  // namespace
}  // namespace shadowctl::emulator::test
