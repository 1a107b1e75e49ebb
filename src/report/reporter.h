#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/exit_status.h"
#include "report/style.h"

namespace shadowctl::report {

// What a command hands back: never printed by the command itself.
struct Outcome {
  std::string command;
  nlohmann::json result;                             // the JSON "result"; null when none
  std::function<void(std::ostream&, const Style&)> human;  // renders the result for people
  std::vector<std::string> warnings;
  std::optional<core::Diagnosis> error;
  core::ExitStatus exit = core::ExitStatus::success;
};

struct OutputOptions {
  bool json = false;
  bool quiet = false;
  bool color = false;
};

// The JSON "error" object for a diagnosis.
nlohmann::json error_json(const core::Diagnosis& d);

// Owns stdout: writes exactly one document per run (JSON mode) or the human rendering, and
// the human error lines on stderr.
class Reporter {
 public:
  Reporter(std::ostream& out, std::ostream& err, OutputOptions options);
  // Writes the outcome; returns its exit code.
  int emit(const Outcome& outcome);

 private:
  std::ostream& out_;
  std::ostream& err_;
  OutputOptions options_;
  Style style_;
};

}  // namespace shadowctl::report
