#pragma once

#include "session/environment.h"
#include "session/vss_api.h"

namespace shadowctl::session {

// The machine a command runs against: the environment probe and the VSS entry point, owned
// by main (the real ones) or by a test (the emulator's).
struct System {
  Environment& environment;
  VssApi& vss;
};

}  // namespace shadowctl::session
