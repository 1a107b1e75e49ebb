// NO_COLOR, as https://no-color.org defines it.
#include <gtest/gtest.h>

#include "os.h"
#include "platform/platform.h"

namespace shadowctl::platform {
namespace {

TEST(NoColor, SetAndNonEmptyMeansNoColour) {
  emulator::os::set_environment("NO_COLOR", "1");
  EXPECT_TRUE(platform::no_color_requested());
  emulator::os::set_environment("NO_COLOR", "");
  EXPECT_FALSE(platform::no_color_requested());
  emulator::os::unset_environment("NO_COLOR");
  EXPECT_FALSE(platform::no_color_requested());
}


}  // namespace
}  // namespace shadowctl::platform
