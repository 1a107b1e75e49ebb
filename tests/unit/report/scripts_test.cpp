#include <gtest/gtest.h>

#include "report/scripts.h"

namespace shadowctl::report {
namespace {

core::ShadowCopy copy(std::string id, std::string volume, std::string device) {
  core::ShadowCopy s;
  s.id = std::move(id);
  s.original_volume = std::move(volume);
  s.device_object = std::move(device);
  return s;
}

TEST(SetScript, CmdSetLinesQuotedWithPercentDoubled) {
  const auto text = set_script("{s}", {copy("{a}", "\\\\?\\Volume{v}\\", "\\\\?\\GLOBALROOT\\x%PATH%")},
                               ScriptKind::cmd);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text,
            "@rem The shadow copy set made by shadowctl create.\r\n"
            "SET \"SHADOWCTL_SET_ID={s}\"\r\n"
            "SET \"SHADOWCTL_SHADOW_COUNT=1\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_ID={a}\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_VOLUME=\\\\?\\Volume{v}\\\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_DEVICE=\\\\?\\GLOBALROOT\\x%%PATH%%\"\r\n");
}

TEST(SetScript, CmdRefusesWhatWouldEndItsString) {
  EXPECT_FALSE(set_script("{s}", {copy("{a}", "C:\\\" & del x", "d")}, ScriptKind::cmd));
  EXPECT_FALSE(set_script("{s}", {copy("{a}", "C:\\\nline", "d")}, ScriptKind::cmd));
}

TEST(SetScript, PowerShellSingleQuotedWithQuotesDoubled) {
  const auto text = set_script("{s}", {copy("{a}", "it's", "$(evil)")}, ScriptKind::powershell);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("$SHADOWCTL_SHADOW_1_VOLUME = 'it''s'\r\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("$SHADOWCTL_SHADOW_1_DEVICE = '$(evil)'\r\n"), std::string::npos);
}

// PowerShell also ends a single-quoted string at U+2018..U+201B; the fuzzer found a name
// with U+2019 breaking out. Each is doubled like '.
TEST(SetScript, PowerShellDoublesTheTypographicQuotesItAlsoEndsStringsOn) {
  const auto text = set_script("{s}", {copy("{a}", "x\u2019; Remove-Item C:\\ #", "\u2018\u201b")},
                               ScriptKind::powershell);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("$SHADOWCTL_SHADOW_1_VOLUME = 'x\u2019\u2019; Remove-Item C:\\ #'\r\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("$SHADOWCTL_SHADOW_1_DEVICE = '\u2018\u2018\u201b\u201b'\r\n"),
            std::string::npos);
}

TEST(SetScript, KindFollowsTheExtension) {
  EXPECT_EQ(script_kind_for("C:\\set.PS1"), ScriptKind::powershell);
  EXPECT_EQ(script_kind_for("C:\\set.cmd"), ScriptKind::cmd);
  EXPECT_EQ(script_kind_for("x"), ScriptKind::cmd);
}

}  // namespace
}  // namespace shadowctl::report
