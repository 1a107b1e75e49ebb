// Names from the system and the user's own words reach a terminal unable to act on it.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/table.h"
#include "report/terminal.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::report {
namespace {

TEST(TerminalSafe, EscapesC0DelC1AndBidiControlsAndKeepsTheRest) {
  EXPECT_EQ(terminal_safe("plain é ß 日本\n"), "plain é ß 日本\n");
  EXPECT_EQ(terminal_safe("a\rb\tc\x1b[2Jd\x7f"), "a\\x0Db\\x09c\\x1B[2Jd\\x7F");
  EXPECT_EQ(terminal_safe("line\r\nnext\r"), "line\r\nnext\\x0D");  // CR LF ends a line
  EXPECT_EQ(terminal_safe("x\xC2\x9B"
                          "31m"),
            "x\\u{009B}31m");                                           // C1 CSI
  EXPECT_EQ(terminal_safe("abc\u202Eexe.txt"), "abc\\u{202E}exe.txt");  // right-to-left override
  EXPECT_EQ(terminal_safe("\u2066\u2069\u200E\u061C"), "\\u{2066}\\u{2069}\\u{200E}\\u{061C}");
  EXPECT_EQ(terminal_safe("bad\xFF\xC0\x80!"), "bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
  EXPECT_EQ(terminal_safe("cut\xE2\x80"), "cut\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TerminalSafeStream, PassesStyleColoursOnlyWhenColourIsOnAndJoinsSplitWrites) {
  std::ostringstream target;
  {
    TerminalSafeStream s(target, true);
    s << "\x1b[31m"
      << "red"
      << "\x1b[0m"
      << "\x1b]52;c;aGk=\x07";
    s << "\xE2\x80";  // the first two bytes of U+202E ...
    s << "\xAE"
      << "\n";  // ... and its last
  }
  EXPECT_EQ(target.str(), "\x1b[31mred\x1b[0m\\x1B]52;c;aGk=\\x07\\u{202E}\n");
  std::ostringstream plain;
  {
    TerminalSafeStream s(plain, false);
    s << "\x1b[31mred";
  }
  EXPECT_EQ(plain.str(), "\\x1B[31mred");
}

// A writer named to attack the terminal, a volume labelled with a right-to-left override:
// the human output escapes them and the table stays aligned; the JSON carries them as data.
TEST(TerminalSafeCli, HostileNamesFromTheSystemAreEscapedInTablesAndKeptInJson) {
  auto state = emulator::default_machine();
  state.writers[0].name = "Evil\r\x1b[2K\x1b]52;c;ZGVsIC9z\x07Writer";
  state.volumes[0].label = "Data\u202Etxt.exe";
  emulator::SimBackend machine({}, {}, state);
  const auto writers = test::run_cli({"list", "writers"}, machine);
  EXPECT_NE(writers.out.find("Evil\\x0D\\x1B[2K\\x1B]52;c;ZGVsIC9z\\x07Writer"), std::string::npos)
      << writers.out;
  EXPECT_EQ(writers.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(writers.out.find('\r'), std::string::npos);
  const auto volumes = test::run_cli({"list", "volumes"}, machine);
  EXPECT_NE(volumes.out.find("Data\\u{202E}txt.exe"), std::string::npos) << volumes.out;
  // Every line of the table starts its columns where the header does (in display columns).
  const auto column_starts = [](const std::string& line) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 2; i < line.size(); ++i)
      if (line[i] != ' ' && line[i - 1] == ' ' && line[i - 2] == ' ')
        starts.push_back(display_width(line.substr(0, i)));
    return starts;
  };
  std::istringstream lines(volumes.out);
  std::string header, line;
  std::getline(lines, header);
  const auto expected = column_starts(header);
  ASSERT_GE(expected.size(), 2u) << header;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const auto starts = column_starts(line);
    ASSERT_GE(starts.size(), 2u) << line;
    EXPECT_EQ(starts[0], expected[0]) << line;
  }
  const auto doc = nlohmann::json::parse(test::run_cli({"--json", "list", "writers"}, machine).out);
  bool found = false;
  for (const auto& w : doc["result"]) found = found || w["name"] == state.writers[0].name;
  EXPECT_TRUE(found) << "the JSON keeps the name as it is";
}

// The user's own words echoed back in an error are escaped too.
TEST(TerminalSafeCli, EchoedArgumentsAreEscapedInErrors) {
  emulator::SimBackend machine;
  const auto r = test::run_cli({"explain", "\x1b[8mhidden"}, machine);
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("'\\x1B[8mhidden' is not an error code"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace shadowctl::report
