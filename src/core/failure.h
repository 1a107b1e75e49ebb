#pragma once

#include <stdexcept>
#include <string>

#include "core/hresult.h"

namespace shadowctl::core {

// What went wrong: the HRESULT and the phase (usually the VSS call) that returned it.
struct Failure {
  HResult hr = 0;
  std::string phase;
  std::string detail;  // extra context for humans, e.g. the argument that was rejected
};

// Thrown where a failure cannot be returned; the CLI's top-level handler reports it.
class Error : public std::runtime_error {
 public:
  explicit Error(Failure f);
  const Failure& failure() const { return failure_; }

 private:
  Failure failure_;
};

}  // namespace shadowctl::core
