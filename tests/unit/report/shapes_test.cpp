#include <cstdlib>
#include <ctime>
#include <string>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/vss.h"
#include "report/shapes.h"
#include "test_cli.h"

namespace shadowctl::report {
namespace {

TEST(Shapes, DiagnosisCarriesEveryFieldOnce) {
  const auto j = diagnosis_json(core::diagnose(core::hr::e_accessdenied, "AddToSnapshotSet"));
  EXPECT_EQ(j["hresult"], "0x80070005");
  EXPECT_EQ(j["decimal"], -2147024891);
  EXPECT_EQ(j["name"], "E_ACCESSDENIED");
  EXPECT_EQ(j["phase"], "AddToSnapshotSet");
  EXPECT_EQ(j["exit_code"], 3);
  EXPECT_EQ(j["exit_class"], "access_denied");
  EXPECT_EQ(j["known"], true);
  EXPECT_EQ(j.size(), 14u);
}

TEST(Shapes, ShadowCopyFollowsTheSchemaConventions) {
  core::ShadowCopy s;
  s.id = "{6f1c8d8e-0000-4000-8000-000000000001}";
  s.set_id = "{6f1c8d8e-0000-4000-8000-000000000002}";
  s.attributes = core::vss::context::app_rollback | core::vss::attr::differential;
  s.created_unix_us = 1'764'052'478'123'456;  // 2025-11-25T06:34:38.123456Z
  const auto j = shadow_copy_json(s);
  EXPECT_EQ(j["created"], "2025-11-25T06:34:38Z");
  EXPECT_EQ(j["persistent"], true);
  EXPECT_EQ(j["attributes"], nlohmann::json({"persistent", "no_auto_release", "differential"}));
  EXPECT_EQ(j["attributes_value"], 0x20009);
  EXPECT_TRUE(j["exposed_name"].is_null());
}

// The streaming writer of `list shadows` writes exactly what the tree does, whatever the
// system hands us: nulls, every attribute, quotes, control characters, invalid UTF-8.
TEST(Shapes, StreamedShadowCopyIsTheTreeDumpedToTheLetter) {
  std::vector<core::ShadowCopy> cases(3);
  cases[0].id = "{6f1c8d8e-0000-4000-8000-000000000001}";
  cases[0].attributes = core::vss::context::app_rollback | core::vss::attr::differential;
  cases[0].created_unix_us = 1'764'052'478'123'456;
  cases[0].shadows_in_set = 2;
  cases[1].attributes = -1;  // every bit: every word, and no context
  cases[1].exposed_name = "X:";
  cases[1].exposed_path = "\\";
  cases[1].provider_name = "Provider \"quoted\" \\ back\tslash\x01";
  cases[1].original_mount_point = "C:\\Mount\\Caf\xc3\xa9\\";
  cases[2].originating_machine = "bad \xff\xfe utf-8 \xe2\x82";
  cases[2].device_path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy7";
  for (const auto& s : cases) {
    const std::string tree =
        shadow_copy_json(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string streamed;
    append_shadow_copy_json(streamed, s);
    EXPECT_EQ(streamed, tree);
    std::string indented;  // one level down, as in a document's "result"
    for (char c : tree) indented += c == '\n' ? std::string("\n    ") : std::string(1, c);
    streamed.clear();
    append_shadow_copy_json(streamed, s, "    ");
    EXPECT_EQ(streamed, indented);
  }
}

TEST(Shapes, WriterStateIsDecodedAndItsFailureNamed) {
  const auto j = writer_status_json(
      {"{a}", "{b}", "SqlServerWriter", 9, core::hr::vss_e_writererror_retryable});
  EXPECT_EQ(j["state"], "VSS_WS_FAILED_AT_FREEZE");
  EXPECT_EQ(j["failed"], true);
  EXPECT_EQ(j["last_error"]["name"], "VSS_E_WRITERERROR_RETRYABLE");
}

TEST(Shapes, StorageWithoutMaximumIsNullNotZero) {
  EXPECT_TRUE(storage_json({"C:", "C:", 1, 2, 0})["maximum"].is_null());
  EXPECT_EQ(storage_json({"C:", "C:", 1, 2, 10})["maximum"], 10);
}

TEST(Shapes, HumanBytesUseBinaryUnits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(1023), "1023 B");
  EXPECT_EQ(human_bytes(1536), "1.5 KiB");
  EXPECT_EQ(human_bytes(13314398618ull), "12.4 GiB");
  EXPECT_EQ(human_bytes(500ull << 30), "500 GiB");
}

// A time for people says its offset from UTC, east and west, whole hours or not.
TEST(Shapes, LocalTimeSaysItsOffsetFromUtc) {
  const test::ScopedTimeZone zone("XYZ-2");  // POSIX: two hours east of UTC
  EXPECT_EQ(local_time(0), "1970-01-01 02:00:00 +02:00");
  test::ScopedTimeZone::set("ABC+3:30");
  EXPECT_EQ(local_time(86'400'000'000), "1970-01-01 20:30:00 -03:30");
  test::ScopedTimeZone::set("UTC0");
  EXPECT_EQ(local_time(1'700'000'000'000'000), "2023-11-14 22:13:20 +00:00");
}

}  // namespace
}  // namespace shadowctl::report
