// The event query shadowctl sends, and the event XML it reads back, as text: what Windows'
// EvtQuery accepts and EvtRender writes.
#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/event_log.h"

namespace shadowctl::core {
namespace {

constexpr std::int64_t kDec7 = 1'796'626'422'123'456;  // 2026-12-07T06:53:42.123456Z

TEST(EventQuery, NamesEachSourceOfTheLogAndTheStartInSystemTime) {
  EXPECT_EQ(event_time_text(kDec7), "2026-12-07T06:53:42.123Z");
  EXPECT_EQ(event_query("Application", {kDec7, {}}),
            "*[System[Provider[@Name='VSS' or @Name='SPP' or @Name='SQLWRITER' or "
            "@Name='ESENT'] and TimeCreated[@SystemTime>='2026-12-07T06:53:42.123Z']]]");
  EXPECT_EQ(event_query("System", {kDec7, 25}),
            "*[System[Provider[@Name='volsnap'] and "
            "TimeCreated[@SystemTime>='2026-12-07T06:53:42.123Z'] and EventID=25]]");
  EXPECT_EQ(event_query("Security", {kDec7, {}}), "");
}

TEST(EventQuery, EventTimesReadAtAnyPrecisionAndRefuseOtherForms) {
  EXPECT_EQ(parse_event_time("2026-12-07T06:53:42.1234560Z"), kDec7);
  EXPECT_EQ(parse_event_time("2026-12-07T06:53:42Z"), kDec7 - 123'456);
  EXPECT_EQ(parse_event_time(event_time_text(kDec7)), kDec7 - 456);
  EXPECT_FALSE(parse_event_time("2026-12-07 06:53:42Z"));
  EXPECT_FALSE(parse_event_time("2026-02-30T06:53:42Z"));
  EXPECT_FALSE(parse_event_time("2026-12-07T06:53:42.12x4Z"));
  EXPECT_FALSE(parse_event_time("2026-12-07T06:53:42"));
}

TEST(EventXml, ReadsAClassicEventAsEvtRenderWritesIt) {
  const auto e = parse_event_xml(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='VSS'/><EventID Qualifiers='0'>8193</EventID><Level>2</Level>"
      "<TimeCreated SystemTime='2026-12-07T06:53:42.1234560Z'/><EventRecordID>7</EventRecordID>"
      "<Channel>Application</Channel><Computer>SRV01.corp.example</Computer><Security/>"
      "</System><EventData><Data>RegOpenKeyExW(-2147483646,SYSTEM\\a&amp;b)</Data>"
      "<Data>0x80070005, Access is denied.&#xD;&#10;</Data><Data/><Binary>2D20</Binary>"
      "</EventData></Event>");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "VSS");
  EXPECT_EQ(e->id, 8193u);
  EXPECT_EQ(e->level, 2);
  EXPECT_EQ(e->log, "Application");
  EXPECT_EQ(e->computer, "SRV01.corp.example");
  EXPECT_EQ(e->time_unix_us, kDec7);
  ASSERT_EQ(e->data.size(), 3u);
  EXPECT_EQ(e->data[0], "RegOpenKeyExW(-2147483646,SYSTEM\\a&b)");
  EXPECT_EQ(e->data[1], "0x80070005, Access is denied.\r\n");
  EXPECT_EQ(e->data[2], "");
  EXPECT_EQ(event_hresults(*e), std::vector<HResult>{hr::e_accessdenied});
}

TEST(EventXml, AManifestProviderIsNamedByItsEventSourceAndDataMayBeNamed) {
  const auto e = parse_event_xml(
      "<Event><System><Provider Name=\"Microsoft-Windows-Ntfs\" Guid=\"{3ff37a1c}\" "
      "EventSourceName=\"volsnap\"/><EventID>36</EventID><Level>3</Level>"
      "<Channel>System</Channel></System><EventData><Data Name=\"Volume\">C:</Data>"
      "</EventData></Event>");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "volsnap");
  EXPECT_EQ(e->id, 36u);
  EXPECT_EQ(e->data, std::vector<std::string>{"C:"});
  EXPECT_EQ(e->time_unix_us, 0);  // no TimeCreated: unknown, not refused
}

TEST(EventXml, WhatIsNotAnEventIsRefused) {
  EXPECT_FALSE(parse_event_xml(""));
  EXPECT_FALSE(parse_event_xml("<Event><System><EventID>1</EventID></System></Event>"));
  EXPECT_FALSE(parse_event_xml("<Event><System><Provider Name='VSS'/></System></Event>"));
  EXPECT_FALSE(parse_event_xml(
      "<Event><System><Provider Name='VSS'/><EventID>70000</EventID></System></Event>"));
  EXPECT_FALSE(parse_event_xml("<Event><System><Provider Name='VSS'/><EventID>1</EventID>"));
}

TEST(EventXml, OnlyFailureCodesOfEightDigitsAreTakenForHresults) {
  LoggedEvent e;
  e.data = {"hr = 0x8004230f, provider", "flags 0x00000010", "size 0x80000000000", "x0x80070005"};
  e.message = "again 0x8004230F and 0x80042306.";
  EXPECT_EQ(event_hresults(e),
            (std::vector<HResult>{hr::vss_e_unexpected_provider_error, hr::vss_e_provider_veto}));
}

TEST(EventXml, LevelsAreNamedAsEventViewerNamesThem) {
  EXPECT_EQ(event_level_name(1), "Critical");
  EXPECT_EQ(event_level_name(2), "Error");
  EXPECT_EQ(event_level_name(3), "Warning");
  EXPECT_EQ(event_level_name(4), "Information");
  EXPECT_EQ(event_level_name(0), "Information");
  EXPECT_EQ(event_level_name(9), "Level 9");
}

}  // namespace
}  // namespace shadowctl::core
