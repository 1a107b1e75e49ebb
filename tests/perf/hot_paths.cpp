// One hot path of the tool, run in-process against the emulator with only the command itself
// instrumented (callgrind's client requests; no-ops outside valgrind): guard.py counts its
// instructions under callgrind and holds them to baseline.json. Counts are repeatable where
// times are not, so this is the test that catches a slower path; the figures in
// docs/performance.md still come from the benchmarks.
//   hot_paths list-json | list-table | create | explain-all
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <valgrind/callgrind.h>

#include "cli/app.h"
#include "sim_backend.h"

using namespace shadowctl;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "";
  std::vector<std::string> args{"shadowctl"};
  int shadows = 0;
  if (path == "list-json") {
    args.insert(args.end(), {"--json", "list", "shadows"});
    shadows = 1000;
  } else if (path == "list-table") {
    args.insert(args.end(), {"list", "shadows"});
    shadows = 1000;
  } else if (path == "create") {
    args.insert(args.end(), {"--json", "create", "C:"});
  } else if (path == "explain-all") {
    args.insert(args.end(), {"--json", "explain", "--all"});
  } else {
    std::fprintf(stderr, "hot_paths: list-json, list-table, create or explain-all\n");
    return 2;
  }
  // Async phases finish at once: a wait is no instruction of the tool's.
  const emulator::MachineFacts facts;
  emulator::SimBackend machine(emulator::async_at_once(), facts,
                               emulator::machine_with_shadows(shadows));
  std::ostringstream out, err;
  session::CancelToken cancel;
  CALLGRIND_START_INSTRUMENTATION;
  const int code =
      cli::run(args, {out, err, false, false, nullptr, false, {}, {}}, machine.system(), cancel);
  CALLGRIND_STOP_INSTRUMENTATION;
  if (code != 0) {
    std::fprintf(stderr, "hot_paths %s exited %d: %s\n", path.c_str(), code, err.str().c_str());
    return 1;
  }
  std::printf("%s: %zu bytes of output\n", path.c_str(), out.str().size());
  return 0;
}
