// Names from the system and the user's own words reach a terminal unable to act on it.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "core/command_line.h"
#include "report/style.h"
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
  const Style style(true);
  {
    TerminalSafeStream s(target, true);
    const std::string red = style.bad("red");
    s << red.substr(0, 2);  // a marked sequence split across writes ...
    s << red.substr(2)      // ... is joined
      << "\x1b[8m"  // an unmarked one, as a name from the system could hold: escaped
      << "\x1b]52;c;aGk=\x07";
    s << "\xE2\x80";  // the first two bytes of U+202E ...
    s << "\xAE"
      << "\n";  // ... and its last
  }
  EXPECT_EQ(target.str().substr(0, 4), "\x1b[31") << "the marker is not written";
  EXPECT_EQ(target.str().substr(target.str().find("red")),
            "red\x1b[0m\\x1B[8m\\x1B]52;c;aGk=\\x07\\u{202E}\n");
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

// Windows names are kept as WTF-8 inside (so a file named with a lone surrogate can be opened
// again); what a user sees holds one U+FFFD for it, as Windows' own conversion gives.
TEST(TerminalSafeCli, ALoneSurrogateShowsAsOneReplacementCharacter) {
  auto state = emulator::default_machine();
  state.writers[0].name = core::wtf8(u"Sys\xD800tem");
  emulator::SimBackend machine({}, {}, state);
  EXPECT_EQ(terminal_safe(state.writers[0].name), "Sys\uFFFDtem");
  const auto table = test::run_cli({"list", "writers"}, machine);
  EXPECT_NE(table.out.find("Sys\uFFFDtem "), std::string::npos) << table.out;
  const auto doc = nlohmann::json::parse(test::run_cli({"--json", "list", "writers"}, machine).out);
  bool found = false;
  for (const auto& w : doc["result"]) found = found || w["name"] == "Sys\uFFFDtem";
  EXPECT_TRUE(found) << doc.dump();
}

TEST(OneLine, EscapesLineBreaksTooForWhatShowsInsideALine) {
  EXPECT_EQ(one_line("x\r\nerror: FORGED"), "x\\x0D\\x0Aerror: FORGED");
  EXPECT_EQ(one_line("a\nb\x1b[8m"), "a\\x0Ab\\x1B[8m");
  EXPECT_EQ(one_line("plain é"), "plain é");
}

// The review's cases, with colour on as at a terminal: a component named to forge an error
// line, a writer named to hide what follows (ESC [ 8 m). Neither acts on the terminal, in
// the output or in the log lines.
TEST(TerminalSafeCli, NamesCannotForgeLinesOrHideTextWithColourOn) {
  auto state = emulator::default_machine();
  state.writers[0].name = "Hidden\x1b[8mWriter";
  state.writers[3].components[0].name = "x\r\nerror: FORGED";
  emulator::SimBackend machine({}, {}, state);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"shadowctl", "-vv", "list", "writers", "--detailed"},
        std::vector<std::string>{"shadowctl", "-vv", "create", "C:", "--include-writer",
                                 "SqlServerWriter"}}) {
    std::ostringstream out, err;
    session::CancelToken cancel;
    cli::run(args, {out, err, true, true, nullptr, false, {}, nullptr}, machine.system(), cancel);
    for (const std::string& text : {out.str(), err.str()}) {
      EXPECT_EQ(text.find("\nerror: FORGED"), std::string::npos) << text;
      EXPECT_EQ(text.find("\x1b[8m"), std::string::npos) << text;
      EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    }
    EXPECT_NE(out.str().find("x\\x0D\\x0Aerror: FORGED"), std::string::npos) << out.str();
  }
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
