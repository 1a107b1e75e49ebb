#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>

#include "report/generated_docs.h"

namespace shadowctl::report {
namespace {

// Compares a committed doc with what the code generates; SHADOWCTL_UPDATE_DOCS=1 rewrites it.
void expect_current(const std::string& relative, const std::string& expected) {
  const std::string path = std::string(SHADOWCTL_SOURCE_DIR) + "/" + relative;
  if (const char* update = std::getenv("SHADOWCTL_UPDATE_DOCS"); update && *update == '1')
    std::ofstream(path, std::ios::binary) << expected;
  std::ifstream in(path, std::ios::binary);
  std::stringstream actual;
  actual << in.rdbuf();
  EXPECT_EQ(actual.str(), expected)
      << relative << " is stale: regenerate it with SHADOWCTL_UPDATE_DOCS=1 "
      << "build/native/tests/unit/shadowctl_tests --gtest_filter=GeneratedDocs.*";
}

TEST(GeneratedDocs, ErrorsMdIsCurrent) { expect_current("docs/errors.md", errors_markdown()); }

TEST(GeneratedDocs, TroubleshootingMdIsCurrent) {
  expect_current("docs/troubleshooting.md", troubleshooting_markdown());
}

TEST(GeneratedDocs, ExitCodesMdIsCurrent) {
  expect_current("docs/exit-codes.md", exit_codes_markdown());
}

}  // namespace
}  // namespace shadowctl::report
