// NO_COLOR, as https://no-color.org defines it.
#include <cstdlib>

#include <gtest/gtest.h>

#include "platform/platform.h"

namespace shadowctl::platform {
namespace {

TEST(NoColor, SetAndNonEmptyMeansNoColour) {
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_TRUE(platform::no_color_requested());
  ::setenv("NO_COLOR", "", 1);
  EXPECT_FALSE(platform::no_color_requested());
  ::unsetenv("NO_COLOR");
  EXPECT_FALSE(platform::no_color_requested());
}


}  // namespace
}  // namespace shadowctl::platform
