// `shadowctl explain`.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
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
  const auto r = run_cli({"explain", "0x80070020"}, backend);
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("HRESULT_FROM_WIN32(32)"), std::string::npos) << r.out;
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


}  // namespace
}  // namespace shadowctl::test
