// Starting a program without a shell: every argument must reach the child as given.
#include <algorithm>
#include <cctype>
#include <random>

#include <gtest/gtest.h>

#include "core/command_line.h"

namespace shadowctl::core {
namespace {

// The MSVC runtime's and CommandLineToArgvW's reading of a command line (Microsoft's
// "Parsing C++ command-line arguments"): the program name up to its closing quote, then
// 2n backslashes + quote: n backslashes and a quote toggle; 2n+1: n backslashes and a
// literal quote; other backslashes literal; "" inside quotes a literal quote.
std::vector<std::u16string> parse_like_windows(std::u16string_view line) {
  std::vector<std::u16string> argv;
  std::size_t i = 0;
  std::u16string program;
  if (!line.empty() && line[0] == u'"') {
    const auto end = line.find(u'"', 1);
    program = std::u16string(line.substr(1, end - 1));
    i = end + 1;
  } else {
    while (i < line.size() && line[i] != u' ' && line[i] != u'\t') program += line[i++];
  }
  argv.push_back(program);
  while (true) {
    while (i < line.size() && (line[i] == u' ' || line[i] == u'\t')) ++i;
    if (i >= line.size()) break;
    std::u16string arg;
    bool quoted = false;
    while (i < line.size() && (quoted || (line[i] != u' ' && line[i] != u'\t'))) {
      std::size_t slashes = 0;
      while (i < line.size() && line[i] == u'\\') ++slashes, ++i;
      if (i < line.size() && line[i] == u'"') {
        arg.append(slashes / 2, u'\\');
        if (slashes % 2) {
          arg += u'"';
          ++i;
        } else if (quoted && i + 1 < line.size() && line[i + 1] == u'"') {
          arg += u'"';
          i += 2;
        } else {
          quoted = !quoted;
          ++i;
        }
      } else {
        arg.append(slashes, u'\\');
        if (i < line.size() && (quoted || (line[i] != u' ' && line[i] != u'\t'))) arg += line[i++];
      }
    }
    argv.push_back(arg);
  }
  return argv;
}

TEST(CommandLine, TheHardCasesRoundTrip) {
  const std::vector<std::u16string> args = {
      u"", u"plain", u"with space", u"tab\there", u"quote\"inside", u"\"", u"trailing\\",
      u"trailing space\\", u"\\\\server\\share\\", u"a\\\\\"b", u"&|<>^%!", u"%PATH%",
      u"caf\u00e9 \u65e5\u672c", u"\U0001F600", u"-- --json", u"\"&calc.exe"};
  const auto line = command_line(u"C:\\Program Files\\tool.exe", args);
  auto expected = args;
  expected.insert(expected.begin(), u"C:\\Program Files\\tool.exe");
  EXPECT_EQ(parse_like_windows(line), expected) << utf8(line);
}

// Microsoft's examples ("Parsing C++ command-line arguments", the CommandLineToArgvW page)
// as the tool reads its own command line; a Wine test compares 20,000 more with the real one.
TEST(CommandLine, SplitReadsAsCommandLineToArgvW) {
  using V = std::vector<std::u16string>;
  EXPECT_EQ(split_command_line(u"t.exe \"a b c\" d e"), (V{u"t.exe", u"a b c", u"d", u"e"}));
  EXPECT_EQ(split_command_line(u"t.exe \"ab\\\"c\" \"\\\\\" d"),
            (V{u"t.exe", u"ab\"c", u"\\", u"d"}));
  EXPECT_EQ(split_command_line(u"t.exe a\\\\\\b d\"e f\"g h"),
            (V{u"t.exe", u"a\\\\\\b", u"de fg", u"h"}));
  EXPECT_EQ(split_command_line(u"t.exe a\\\\\\\"b c d"), (V{u"t.exe", u"a\\\"b", u"c", u"d"}));
  EXPECT_EQ(split_command_line(u"t.exe a\\\\\\\\\"b c\" d e"),
            (V{u"t.exe", u"a\\\\b c", u"d", u"e"}));
  EXPECT_EQ(split_command_line(u"\"C:\\Program Files\\t.exe\" x \"\""),
            (V{u"C:\\Program Files\\t.exe", u"x", u""}));
  EXPECT_EQ(split_command_line(u"t.exe   "), (V{u"t.exe"}));
  // The round trip exec relies on: what command_line quotes, split gives back.
  const V args = {u"", u"with space", u"quote\"inside", u"trailing\\", u"a\\\\\"b", u"\"&calc.exe"};
  auto expected = args;
  expected.insert(expected.begin(), u"C:\\Program Files\\tool.exe");
  EXPECT_EQ(split_command_line(command_line(u"C:\\Program Files\\tool.exe", args)), expected);
}

TEST(CommandLine, ArgumentsNeedingNoQuotesAreLeftAlone) {
  EXPECT_EQ(quote_argument(u"C:\\dir\\file.txt"), u"C:\\dir\\file.txt");
  EXPECT_EQ(quote_argument(u""), u"\"\"");
  EXPECT_EQ(quote_argument(u"a b\\"), u"\"a b\\\\\"");
}

TEST(CommandLine, RandomArgumentsRoundTrip) {
  std::mt19937 random(20261125);
  const std::u16string alphabet = u"ab \t\"\\&|%^!\u00e9\u4e2d";
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::u16string> args(random() % 4);
    for (auto& a : args) {
      const auto length = random() % 8;
      for (unsigned k = 0; k < length; ++k) a += alphabet[random() % alphabet.size()];
    }
    auto expected = args;
    expected.insert(expected.begin(), u"p.exe");
    ASSERT_EQ(parse_like_windows(command_line(u"p.exe", args)), expected)
        << utf8(command_line(u"p.exe", args));
  }
}

TEST(CommandLine, BatchFilesAreKnownWhateverTheirCaseOrTrailingDotsAndSpaces) {
  for (auto name : {u"C:\\a\\run.cmd", u"C:\\a\\RUN.BAT", u"C:\\a\\run.bat. . ", u"x.Cmd..."})
    EXPECT_TRUE(is_batch_file(name)) << utf8(name);
  for (auto name : {u"C:\\a\\run.exe", u"C:\\a.cmd\\run", u"run.cmdx", u"run"})
    EXPECT_FALSE(is_batch_file(name)) << utf8(name);
}

TEST(BatchCommandLine, QuotesForCmdAndKeepsPercentFromExpanding) {
  std::size_t refused = 99;
  const auto line =
      batch_command_line(u"C:\\s\\run.cmd", {u"plain", u"a b", u"\"&calc.exe", u"%PATH%", u"x\\"},
                         &refused);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line,
            u"cmd.exe /e:ON /v:OFF /d /c \"\"C:\\s\\run.cmd\" plain \"a b\" \"\"\"&calc.exe\" "
            u"\"%%cd:~,%PATH%%cd:~,%\" \"x\\\\\"\"");
  EXPECT_EQ(refused, 99u);
}

// CVE-2024-24576's payloads: none may leave its quotes or expand a variable.
TEST(BatchCommandLine, BatBadButPayloadsStayInsideTheirQuotes) {
  for (const std::u16string payload :
       {u"\"&calc.exe", u"\\\"&calc.exe", u"\" & whoami & \"", u"%CMDCMDLINE:~-1%&calc.exe",
        u"^\"&calc.exe", u"\"\"&calc.exe", u"a\\\\\"&whoami"}) {
    const auto line = batch_command_line(u"C:\\s\\run.bat", {payload}, nullptr);
    ASSERT_TRUE(line);
    // Inside the argument's quotes, every '"' is doubled, so cmd never sees one alone.
    const std::u16string prefix = u"cmd.exe /e:ON /v:OFF /d /c \"\"C:\\s\\run.bat\" \"";
    ASSERT_EQ(line->substr(0, prefix.size()), prefix) << utf8(*line);
    const std::u16string body = line->substr(prefix.size(), line->size() - prefix.size() - 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (body[i] != u'"') continue;
      ASSERT_TRUE(i + 1 < body.size() && body[i + 1] == u'"') << utf8(*line);
      ++i;
    }
    for (std::size_t at = body.find(u'%'); at != std::u16string::npos; at = body.find(u'%', at + 1)) {
      ASSERT_EQ(body.substr(at, 8), u"%%cd:~,%") << utf8(*line);
      at += 7;
    }
  }
}

// The review's case: a batch file in a folder literally named %USERPROFILE% stays that file.
TEST(BatchCommandLine, TheScriptsOwnPathKeepsPercentFromExpanding) {
  const auto line = batch_command_line(u"C:\\%USERPROFILE%\\run.cmd", {}, nullptr);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line,
            u"cmd.exe /e:ON /v:OFF /d /c \"\"C:\\%%cd:~,%USERPROFILE%%cd:~,%\\run.cmd\"\"");
}

TEST(BatchCommandLine, LineBreaksAndNulCannotBePassed) {
  std::size_t refused = 99;
  EXPECT_FALSE(batch_command_line(u"r.cmd", {u"ok", u"two\nlines"}, &refused));
  EXPECT_EQ(refused, 1u);
  EXPECT_FALSE(batch_command_line(u"r.cmd", {u"a\rb"}, &refused));
  EXPECT_EQ(refused, 0u);
  EXPECT_FALSE(batch_command_line(u"r.cmd", {std::u16string(u"a\0b", 3)}, &refused));
}

TEST(ResolveProgram, PathEntriesInOrderWithPathextNeverRelativeOnes) {
  const std::vector<std::u16string> files = {u".\\robocopy.exe", u"D:\\tools\\robocopy.exe",
                                             u"C:\\Windows\\System32\\robocopy.exe",
                                             u"C:\\s\\backup.cmd", u"C:\\s\\tool"};
  // The file system ignores case, as Windows' does.
  auto is_file = [&](const std::u16string& p) {
    return std::any_of(files.begin(), files.end(), [&](const std::u16string& f) {
      return utf8(f).size() == utf8(p).size() &&
             std::equal(f.begin(), f.end(), p.begin(), [](char16_t a, char16_t b) {
               return std::tolower(static_cast<int>(a)) == std::tolower(static_cast<int>(b));
             });
    });
  };
  const std::u16string path = u".;relative\\dir;C:\\Windows\\System32;D:\\tools";
  const std::u16string pathext = u".COM;.EXE;.BAT;.CMD";
  EXPECT_EQ(resolve_program(u"robocopy", path, pathext, is_file),
            u"C:\\Windows\\System32\\robocopy.EXE");
  EXPECT_EQ(resolve_program(u"ROBOCOPY.EXE", u"D:\\tools\\", pathext, is_file),
            u"D:\\tools\\ROBOCOPY.EXE") << "as typed: the file system ignores case";
  EXPECT_EQ(resolve_program(u"C:\\s\\backup", path, pathext, is_file), u"C:\\s\\backup.CMD");
  EXPECT_EQ(resolve_program(u"C:\\s\\tool", path, pathext, is_file), std::nullopt)
      << "no extension and none of PATHEXT's";
  EXPECT_EQ(resolve_program(u"missing", path, pathext, is_file), std::nullopt);
  EXPECT_EQ(resolve_program(u"robocopy", u".", pathext, is_file), std::nullopt)
      << "never the current folder";
  EXPECT_EQ(resolve_program(u"robocopy", u"\"C:\\Windows\\System32\"", u"", is_file),
            u"C:\\Windows\\System32\\robocopy.EXE");
}

TEST(EnvironmentBlock, OwnVariablesReplacedSortedWithoutCaseAndDoubleNulEnded) {
  const auto block = environment_block(
      {u"=C:=C:\\work", u"Path=C:\\Windows", u"shadowctl_set_id=stale", u"TEMP=C:\\t",
       u"SHADOWCTL_SHADOW_1_ID=stale"},
      {{u"SHADOWCTL_SET_ID", u"{1}"}, {u"SHADOWCTL_DEVICE_C", u"\\\\?\\GLOBALROOT\\Device\\X\\"}});
  std::u16string expected;
  for (const std::u16string e : {u"=C:=C:\\work", u"Path=C:\\Windows",
                                 u"SHADOWCTL_DEVICE_C=\\\\?\\GLOBALROOT\\Device\\X\\",
                                 u"SHADOWCTL_SET_ID={1}", u"TEMP=C:\\t"})
    expected += e + u'\0';
  expected += u'\0';
  EXPECT_EQ(utf8(block), utf8(expected));
}

TEST(EnvironmentBlock, AnAdditionReplacesTheParentsVariableOfThatName) {
  const auto block = environment_block({u"nodefaultcurrentdirectoryinexepath=0", u"A=1"},
                                       {{u"NoDefaultCurrentDirectoryInExePath", u"1"}});
  EXPECT_EQ(utf8(block), utf8(std::u16string(u"A=1\0NoDefaultCurrentDirectoryInExePath=1\0\0", 42)));
}

TEST(Utf16, RoundTripsAndReplacesWhatIsNotUtf8) {
  EXPECT_EQ(utf8(utf16("caf\xc3\xa9 \xf0\x9f\x98\x80")), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(utf16("a\xff"), u"a\uFFFD");
}

}  // namespace
}  // namespace shadowctl::core
