#pragma once

namespace shadowctl::core {

// The process exit codes; docs/exit-codes.md lists them for users and scripts.
enum class ExitStatus : int {
  success = 0,
  failure = 1,
  usage = 2,
  access_denied = 3,
  vss_unavailable = 4,
  writer_failure = 5,
  timeout = 6,
  not_found = 7,
  busy = 8,
  limit_reached = 9,
  interrupted = 130,
};

// The short name used in JSON and in `explain` ("access_denied").
const char* exit_status_name(ExitStatus status);

constexpr int to_int(ExitStatus status) { return static_cast<int>(status); }

}  // namespace shadowctl::core
