#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "session/set_script.h"

namespace shadowctl::session {
namespace {

core::ShadowCopy copy(std::string id, std::string volume, std::string device) {
  core::ShadowCopy s;
  s.id = std::move(id);
  s.original_volume = std::move(volume);
  s.device_path = std::move(device);
  return s;
}

TEST(SetScript, CmdSetLinesQuotedWithPercentDoubled) {
  auto c = copy("{a}", "\\\\?\\Volume{v}\\", "\\\\?\\GLOBALROOT\\x%PATH%");
  c.original_mount_point = "C:\\";
  const auto text = set_script("{s}", {c}, ScriptKind::cmd);
  ASSERT_TRUE(text);
  // The drive letter and the exec-style SHADOWCTL_DEVICE_C as well as the GUID name.
  EXPECT_EQ(*text,
            "@rem The shadow copy set made by shadowctl create.\r\n"
            "SET \"SHADOWCTL_SET_ID={s}\"\r\n"
            "SET \"SHADOWCTL_SHADOW_COUNT=1\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_ID={a}\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_VOLUME=\\\\?\\Volume{v}\\\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_MOUNT_POINT=C:\\\"\r\n"
            "SET \"SHADOWCTL_SHADOW_1_DEVICE=\\\\?\\GLOBALROOT\\x%%PATH%%\"\r\n"
            "SET \"SHADOWCTL_DEVICE_C=\\\\?\\GLOBALROOT\\x%%PATH%%\\\"\r\n");
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
  // Windows strips trailing dots and spaces: "dot.ps1." is written as dot.ps1.
  EXPECT_EQ(script_kind_for("C:\\dot.ps1."), ScriptKind::powershell);
  EXPECT_EQ(script_kind_for("C:\\dot.ps1 . "), ScriptKind::powershell);
  EXPECT_EQ(script_kind_for("C:\\dot.cmd."), ScriptKind::cmd);
}

// How Windows PowerShell 5.1 reads a script: UTF-8 after a byte-order mark, else the ANSI
// code page (here cp1252, whose 0x80-0x9F hold the typographic quotes; the rest as Latin-1).
std::u32string read_as_powershell_51(const std::string& bytes) {
  std::u32string out;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    for (std::size_t i = 3; i < bytes.size();) {
      const auto b = static_cast<unsigned char>(bytes[i]);
      const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      char32_t c = n == 1 ? char32_t{b} : char32_t{b} & (0x3Fu >> (n - 1));
      for (int k = 1; k < n; ++k)
        c = (c << 6) | (static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]) & 0x3Fu);
      out += c;
      i += static_cast<std::size_t>(n);
    }
    return out;
  }
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    out += b == 0x91 ? U'\u2018' : b == 0x92 ? U'\u2019' : b == 0x82 ? U'\u201a' : char32_t{b};
  }
  return out;
}

// The value of `$NAME = '...'` as PowerShell's tokenizer reads it: a single-quoted string
// ends at any of ' U+2018 U+2019 U+201A U+201B not doubled; what follows must be the line's end.
std::optional<std::u32string> powershell_value(const std::u32string& text, const std::u32string& name) {
  const auto at = text.find(U"$" + name + U" = ");
  if (at == std::u32string::npos) return std::nullopt;
  const auto is_quote = [](char32_t c) {
    return c == U'\'' || (c >= U'\u2018' && c <= U'\u201b');
  };
  std::size_t i = at + name.size() + 4;
  if (!is_quote(text[i++])) return std::nullopt;
  std::u32string value;
  for (; i < text.size(); ++i) {
    if (!is_quote(text[i])) {
      value += text[i];
    } else if (i + 1 < text.size() && is_quote(text[i + 1])) {
      value += text[++i];
    } else {
      break;
    }
  }
  if (text.compare(i + 1, 2, U"\r\n") != 0) return std::nullopt;  // the string ended early
  return value;
}

// The review's case: a value holding "\u00d2" (C3 92 in UTF-8) ended its string early under
// PowerShell 5.1, which without a BOM read 0x92 as U+2019.
TEST(SetScript, PowerShell51ReadsEveryValueAsWritten) {
  const auto text = set_script("{s}", {copy("{a}", "Vol\u00d2me", "d")}, ScriptKind::powershell);
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->starts_with("\xEF\xBB\xBF")) << "no byte-order mark";
  const auto value = powershell_value(read_as_powershell_51(*text), U"SHADOWCTL_SHADOW_1_VOLUME");
  ASSERT_TRUE(value) << *text;
  EXPECT_EQ(*value, U"Vol\u00d2me");
  // And what the same bytes without the mark would have meant: the string broken.
  EXPECT_FALSE(powershell_value(read_as_powershell_51(text->substr(3)), U"SHADOWCTL_SHADOW_1_VOLUME"))
      << "the test's reader no longer shows the bug it guards against";
}

TEST(SetScript, ACmdScriptHasNoByteOrderMark) {
  const auto text = set_script("{s}", {copy("{a}", "C:\\", "d")}, ScriptKind::cmd);
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->starts_with("@rem")) << "cmd would run a BOM as part of a command";
}

}  // namespace
}  // namespace shadowctl::session
