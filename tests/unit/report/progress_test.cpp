#include <sstream>

#include <gtest/gtest.h>

#include "report/reporter.h"

namespace shadowctl::report {
namespace {

using namespace std::chrono_literals;

TEST(Progress, RedrawsOneLineInPlaceAndClearsIt) {
  std::ostringstream err;
  Progress progress(err, true);
  progress.show("PrepareForBackup", 3s);
  progress.show("DoSnapshotSet", 12s);
  progress.clear();
  // The second line pads over the longer first one; clearing blanks it and returns.
  EXPECT_EQ(err.str(),
            "\rPrepareForBackup (3 s)\rDoSnapshotSet (12 s)  \r" + std::string(20, ' ') + "\r");
}

TEST(Progress, ReporterSilencesItForJsonQuietAndNoTerminal) {
  std::ostringstream out, err;
  EXPECT_TRUE(Reporter(out, err, {false, false, false, true}).progress().enabled());
  EXPECT_FALSE(Reporter(out, err, {true, false, false, true}).progress().enabled());
  EXPECT_FALSE(Reporter(out, err, {false, true, false, true}).progress().enabled());
  EXPECT_FALSE(Reporter(out, err, {false, false, false, false}).progress().enabled());
  Reporter silent(out, err, {true, false, false, true});
  silent.progress().show("DoSnapshotSet", 1s);
  EXPECT_EQ(err.str(), "");
}

TEST(Progress, EmitClearsTheLineBeforeTheResult) {
  std::ostringstream out, err;
  Reporter reporter(out, err, {false, false, false, true});
  reporter.progress().show("Query", 0s);
  Outcome outcome;
  outcome.warnings = {{"test", "careful"}};
  reporter.emit(outcome);
  EXPECT_EQ(err.str(), "\rQuery (0 s)\r           \rwarning: careful\n");
}

}  // namespace
}  // namespace shadowctl::report
