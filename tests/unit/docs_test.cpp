#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "report/catalogue_doc.h"

namespace shadowctl::report {
namespace {

TEST(Docs, ErrorsMdIsCurrent) {
  const std::string path = std::string(SHADOWCTL_SOURCE_DIR) + "/docs/errors.md";
  const std::string expected = errors_markdown();
  if (const char* update = std::getenv("SHADOWCTL_UPDATE_DOCS"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << expected;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream actual;
  actual << in.rdbuf();
  EXPECT_EQ(actual.str(), expected)
      << "docs/errors.md is stale: regenerate it with SHADOWCTL_UPDATE_DOCS=1 "
         "build/native/tests/unit/shadowctl_tests --gtest_filter=Docs.*";
}

}  // namespace
}  // namespace shadowctl::report
