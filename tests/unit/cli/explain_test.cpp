// `shadowctl explain`.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/event_catalogue.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::SimBackend;

TEST(CliExplain, HexDecimalSignedAndNameAllExplainTheSameCode) {
  for (const char* input : {"0x8004230F", "2147754767", "-2147212529", "vss_e_unexpected_provider_error"}) {
    SimBackend backend;
    const auto r = run_cli({"explain", input}, backend);
    EXPECT_EQ(r.exit, 0) << input;
    EXPECT_NE(r.out.find("VSS_E_UNEXPECTED_PROVIDER_ERROR (0x8004230F, -2147212529)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("retryable:  yes"), std::string::npos);
  }
}

TEST(CliExplain, JsonResultHasEveryField) {
  SimBackend backend;
  const auto r = run_cli({"--json", "explain", "E_ACCESSDENIED"}, backend);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["result"]["hresult"], "0x80070005");
  EXPECT_EQ(doc["result"]["exit_code"], 3);
  EXPECT_EQ(doc["result"]["exit_class"], "access_denied");
  EXPECT_EQ(doc["result"]["known"], true);
}

TEST(CliExplain, UnknownCodeIsDecoded) {
  SimBackend backend;
  const auto r = run_cli({"explain", "0x80070021"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("HRESULT_FROM_WIN32(33)"), std::string::npos) << r.out;
}

// An NTSTATUS (a driver's code, a crashed program's exit code) by its name, not decoded as
// an unknown HRESULT.
TEST(CliExplain, AnNtstatusIsExplainedByItsName) {
  SimBackend backend;
  const auto r = run_cli({"explain", "0xC0000022"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_EQ(r.out.rfind("STATUS_ACCESS_DENIED (0xC0000022", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("FAILURE_"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli({"explain", "status_control_c_exit"}, backend).out.rfind("STATUS_CONTROL_C_EXIT", 0),
            0u);
}

TEST(CliExplain, NotACodeExitsTwoSayingWhatWasExpected) {
  SimBackend backend;
  const auto r = run_cli({"explain", "banana"}, backend);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("'banana' is not an error code: expected hex (0x8004230F)"),
            std::string::npos)
      << r.err;
}

TEST(CliExplain, AllPrintsTheWholeCatalogue) {
  SimBackend backend;
  const auto human = run_cli({"explain", "--all"}, backend);
  EXPECT_EQ(human.exit, 0);
  EXPECT_NE(human.out.find("VSS_E_FSS_TIMEOUT"), std::string::npos);
  const auto json = run_cli({"explain", "--all", "--json"}, backend);
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["result"].size(), core::kErrorCatalogue.size());
}

TEST(CliExplain, CodeAndAllTogetherIsAUsageError) {
  SimBackend backend;
  EXPECT_EQ(run_cli({"explain", "--all", "0x5"}, backend).exit, 2);
  EXPECT_EQ(run_cli({"explain"}, backend).exit, 2);
}

// What admins have in hand from a Win32 message: "error 5", "error 1314".
TEST(CliExplain, BareDecimalBelow65536IsAWin32CodeAndSaysSo) {
  SimBackend backend;
  const auto r = run_cli({"explain", "5"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_EQ(r.out.rfind("Win32 error 5, as the HRESULT 0x80070005 (HRESULT_FROM_WIN32)\n", 0), 0u)
      << r.out;
  EXPECT_NE(r.out.find("E_ACCESSDENIED (0x80070005, -2147024891)"), std::string::npos);
  const auto doc = nlohmann::json::parse(run_cli({"--json", "explain", "1314"}, backend).out);
  EXPECT_EQ(doc["result"]["win32_code"], 1314);
  EXPECT_EQ(doc["result"]["hresult"], "0x80070522");
  EXPECT_EQ(doc["result"]["name"], "ERROR_PRIVILEGE_NOT_HELD");
  // 65536 and up are HRESULTs as before; hex stays an HRESULT whatever its size.
  const auto big = nlohmann::json::parse(run_cli({"--json", "explain", "2147754767"}, backend).out);
  EXPECT_FALSE(big["result"].contains("win32_code"));
  const auto hex = nlohmann::json::parse(run_cli({"--json", "explain", "0x5"}, backend).out);
  EXPECT_EQ(hex["result"]["hresult"], "0x00000005");
  EXPECT_FALSE(hex["result"].contains("win32_code"));
}

TEST(CliExplain, EventIdExplainsMeaningCausesAndRemedy) {
  SimBackend backend;
  const auto r = run_cli({"explain", "--event", "12298"}, backend);
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(r.out.rfind("VSS event 12298 (Application log, Error)\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("  causes:   Heavy writes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  remedy:   "), std::string::npos);
  const auto doc =
      nlohmann::json::parse(run_cli({"--json", "explain", "--event", "8194"}, backend).out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["result"]["event"], 8194);
  ASSERT_EQ(doc["result"]["matches"].size(), 1u);
  EXPECT_EQ(doc["result"]["matches"][0]["source"], "VSS");
  EXPECT_EQ(doc["result"]["matches"][0]["log"], "Application");
  EXPECT_NE(doc["result"]["matches"][0]["meaning"].get<std::string>().find("IVssWriterCallback"),
            std::string::npos);
}

// Event IDs are per source: 20 is both VSS's and volsnap's.
TEST(CliExplain, EventIdSharedBySourcesShowsEachUnlessSourceNarrowsIt) {
  SimBackend backend;
  const auto both =
      nlohmann::json::parse(run_cli({"--json", "explain", "--event", "20"}, backend).out);
  ASSERT_EQ(both["result"]["matches"].size(), 2u);
  EXPECT_EQ(both["result"]["matches"][0]["source"], "VSS");
  EXPECT_EQ(both["result"]["matches"][1]["source"], "volsnap");
  const auto one = nlohmann::json::parse(
      run_cli({"--json", "explain", "--event", "20", "--source", "VOLSNAP"}, backend).out);
  ASSERT_EQ(one["result"]["matches"].size(), 1u);
  EXPECT_EQ(one["result"]["matches"][0]["log"], "System");
  const auto human = run_cli({"explain", "--event", "20"}, backend);
  EXPECT_NE(human.out.find("\n\nvolsnap event 20 (System log, Error)\n"), std::string::npos)
      << human.out;
}

TEST(CliExplain, UnknownEventOrSourceIsAUsageErrorNamingWhatIsKnown) {
  SimBackend backend;
  const auto unknown = run_cli({"explain", "--event", "4242"}, backend);
  EXPECT_EQ(unknown.exit, 2);
  EXPECT_NE(unknown.err.find("event 4242 is not in shadowctl's event catalogue; it knows 13, 14, "
                             "20, 22,"),
            std::string::npos)
      << unknown.err;
  const auto source = run_cli({"explain", "--event", "8193", "--source", "ntfs"}, backend);
  EXPECT_EQ(source.exit, 2);
  EXPECT_NE(source.err.find("--source 'ntfs' is not a source shadowctl knows"), std::string::npos)
      << source.err;
  const auto wrong_source = run_cli({"explain", "--event", "8193", "--source", "volsnap"}, backend);
  EXPECT_EQ(wrong_source.exit, 2);
  EXPECT_NE(wrong_source.err.find("event 8193 from volsnap is not in"), std::string::npos);
  EXPECT_EQ(run_cli({"explain", "5", "--event", "8193"}, backend).exit, 2);
  EXPECT_EQ(run_cli({"explain", "5", "--source", "VSS"}, backend).exit, 2);
  EXPECT_EQ(run_cli({"explain", "--event", "x"}, backend).exit, 2);
}

TEST(EventCatalogue, IsSortedByIdThenSourceAndComplete) {
  for (std::size_t i = 1; i < core::kEventCatalogue.size(); ++i) {
    const auto& a = core::kEventCatalogue[i - 1];
    const auto& b = core::kEventCatalogue[i];
    EXPECT_TRUE(a.id < b.id || (a.id == b.id && a.source < b.source)) << b.id << ' ' << b.source;
  }
  for (const auto& e : core::kEventCatalogue) {
    EXPECT_TRUE((e.source == "VSS" && e.log == "Application") ||
                (e.source == "volsnap" && e.log == "System"))
        << e.id;
    EXPECT_TRUE(e.level == "Error" || e.level == "Warning" || e.level == "Information") << e.id;
    EXPECT_FALSE(e.meaning.empty() || e.causes.empty() || e.remedy.empty()) << e.id;
  }
  // The events admins meet most (the list) are all there.
  for (std::uint32_t id :
       {8193u, 8194u, 12289u, 12292u, 12293u, 12298u, 12302u, 13u, 20u, 22u, 8224u})
    EXPECT_FALSE(core::find_events(id).empty()) << id;
}

}  // namespace
}  // namespace shadowctl::test
