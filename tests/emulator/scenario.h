#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::emulator {

// One injected fault: `method` returns `hr` on its Nth call (nth > 0) or on every call.
struct Fault {
  std::string method;
  core::HResult hr = 0;
  int nth = 0;  // 0: every call; 1: the first; N: the Nth
};

// The faults named by the file in SHADOWCTL_EMULATOR_SCENARIO (docs/emulator.md).
class Scenario {
 public:
  // Parses scenario JSON; throws std::runtime_error naming what is wrong.
  static Scenario parse(const std::string& json_text);
  // Reads the file; an empty path gives the empty scenario.
  static Scenario load(const std::string& path);

  void add(Fault fault) { faults_.push_back(std::move(fault)); }
  // The fault for the `call`-th call (1-based) of method, if any.
  std::optional<core::HResult> fault_for(const std::string& method, int call) const;

 private:
  std::vector<Fault> faults_;
};

}  // namespace shadowctl::emulator
