#include <cstdlib>

#include "platform/platform.h"

namespace shadowctl::platform {

bool no_color_requested() {
  const char* value = std::getenv("NO_COLOR");
  return value != nullptr && *value != '\0';
}

}  // namespace shadowctl::platform
