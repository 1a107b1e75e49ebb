#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "report/reporter.h"
#include "report/table.h"

namespace shadowctl::report {
namespace {

Outcome failing_outcome() {
  Outcome o;
  o.command = "check";
  o.result = {{"x", 1}};
  o.error = core::diagnose(core::hr::e_accessdenied, "CreateVssBackupComponents");
  o.exit = o.error->exit;
  o.warnings = {{"odd_thing", "something odd", "C:\\", core::hr::e_accessdenied}};
  o.human = [](std::ostream& out, const Style&) { out << "human body\n"; };
  return o;
}

TEST(Reporter, JsonModeWritesExactlyOneDocumentAndNothingElse) {
  std::ostringstream out, err;
  const int code = Reporter(out, err, {true, false, false}).emit(failing_outcome());
  EXPECT_EQ(code, 3);
  const auto doc = nlohmann::json::parse(out.str());  // throws on a second document
  EXPECT_EQ(doc["schema"], "shadowctl/v1");
  EXPECT_EQ(doc["command"], "check");
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["exit_code"], 3);
  EXPECT_EQ(doc["error"]["hresult"], "0x80070005");
  EXPECT_EQ(doc["error"]["name"], "E_ACCESSDENIED");
  EXPECT_EQ(doc["error"]["phase"], "CreateVssBackupComponents");
  // A warning a script can test by its code, with what it is about and the code behind it.
  EXPECT_EQ(doc["warnings"][0],
            nlohmann::json({{"code", "odd_thing"},
                            {"message", "something odd"},
                            {"about", "C:\\"},
                            {"error", "E_ACCESSDENIED"}}));
  EXPECT_EQ(out.str().find("human body"), std::string::npos);
  EXPECT_TRUE(err.str().empty());
}

TEST(Reporter, HumanErrorGoesToStderrWithNamePhaseMeaningAndHint) {
  std::ostringstream out, err;
  Reporter(out, err, {false, false, false}).emit(failing_outcome());
  EXPECT_EQ(out.str(), "human body\n");
  EXPECT_NE(err.str().find("warning: something odd\n"), std::string::npos);
  EXPECT_NE(err.str().find("error: E_ACCESSDENIED (0x80070005) during CreateVssBackupComponents: "
                           "VSS refused to create a backup object"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("\nhint: Run from an elevated console"), std::string::npos);
}

TEST(Reporter, NoEscapeSequencesWithoutColourAndSomeWithIt) {
  std::ostringstream out, err, out2, err2;
  Reporter(out, err, {false, false, false}).emit(failing_outcome());
  EXPECT_EQ(err.str().find('\x1b'), std::string::npos);
  Reporter(out2, err2, {false, false, true}).emit(failing_outcome());
  EXPECT_NE(err2.str().find("\x1b[31m"), std::string::npos);
}

TEST(Reporter, InvalidUtf8StillGivesParseableJson) {
  std::ostringstream out, err;
  Outcome o;
  o.command = "check";
  o.result = {{"label", std::string("bad \xff byte")}};
  Reporter(out, err, {true, false, false}).emit(o);
  const auto doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["result"]["label"], "bad \xEF\xBF\xBD byte");
}

TEST(Table, ColumnsFitTheirWidestCellCountingCodePoints) {
  Table t({"VOLUME", "LABEL"});
  t.add({"C:\\", "Système"});
  t.add({"D:\\Données\\", "x"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(),
            "VOLUME       LABEL\n"
            "C:\\          Système\n"
            "D:\\Données\\  x\n");
}

// A cell as the terminal shows it: a control character escaped (four columns for one), a
// wide character two columns, a combining accent none; every column still starts in line.
TEST(Table, EscapedWideAndCombiningCellsStayAligned) {
  EXPECT_EQ(display_width("\xE6\xBC\xA2\xE5\xAD\x97"), 4u);  // two CJK ideographs
  EXPECT_EQ(display_width("\xF0\x9F\x98\x80"), 2u);          // an emoji
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);                 // e + combining acute
  EXPECT_EQ(display_width("\xEF\xBF\xBD"), 1u);              // U+FFFD
  Table t({"WRITER", "STATE"});
  t.add({"Sys\x07tem", "STABLE"});
  t.add({"Emoji \xF0\x9F\x98\x80", "STABLE"});
  t.add({"\xE6\xBC\xA2\xE5\xAD\x97", "FAILED"});
  t.add({"Cafe\xCC\x81", "STABLE"});
  t.add({"Bad\xEF\xBF\xBDname", "STABLE"});
  std::ostringstream out;
  t.print(out);
  EXPECT_NE(out.str().find("Sys\\x07tem  STABLE"), std::string::npos) << out.str();
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line))
    EXPECT_EQ(display_width(line) - display_width(line.substr(line.rfind("  ") + 2)), 12u) << line;
}

}  // namespace
}  // namespace shadowctl::report
