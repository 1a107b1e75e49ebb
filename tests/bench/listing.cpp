// Listing at scale, in-process: `list shadows --json` and the human table over 0, 100, 1,000
// and 10,000 shadow copies against the emulator, natively, so no process start-up hides the
// tool's own cost. Prints a table and writes the figures as JSON (argv[1], or stdout).
//
// Time: the median of the runs' wall time, and the part of it spent outside the emulator's
// calls (the journal's start and end of each). Memory: the peak of bytes allocated on the
// heap during a run above what was allocated before it (operator new is counted here).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "measure.h"
#include "sim_backend.h"

namespace {

using namespace shadowctl;
using bench::median;

struct Figures {
  double median_ms = 0;
  double own_median_ms = 0;  // outside the emulator's calls
  std::size_t peak_bytes = 0;
  std::size_t output_bytes = 0;
};

Figures measure(int shadows, bool json, int runs) {
  Figures f;
  std::vector<double> wall, own;
  for (int run = 0; run < runs; ++run) {
    const emulator::MachineFacts facts;  // a named object: GCC 12 at -O3 misreads a temporary
    emulator::SimBackend machine({}, facts, emulator::machine_with_shadows(shadows));
    std::vector<std::string> args;
    if (json) args.push_back("--json");
    args.insert(args.end(), {"list", "shadows"});
    const bench::InProcessRun run_figures = bench::run_in_process(machine, args);
    f.peak_bytes = std::max(f.peak_bytes, run_figures.peak_bytes);
    f.output_bytes = run_figures.output_bytes;
    const double total = run_figures.ms;
    double inside = 0;
    for (const auto& e : machine.journal().entries())
      inside += static_cast<double>(e.end_us - e.start_us) / 1000.0;
    wall.push_back(total);
    own.push_back(total - inside);
  }
  f.median_ms = median(wall);
  f.own_median_ms = median(own);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  nlohmann::json results = nlohmann::json::array();
  std::printf("%-8s %-6s %10s %12s %12s %12s\n", "shadows", "form", "median ms", "own ms",
              "peak heap", "output");
  // BENCH_SHADOWS=N measures N shadow copies only (for a profiler).
  std::vector<int> sizes{0, 100, 1000, 10000};
  if (const char* only = std::getenv("BENCH_SHADOWS")) sizes = {std::atoi(only)};
  for (int shadows : sizes) {
    for (bool json : {true, false}) {
      const int runs = shadows >= 10000 ? 7 : 21;
      const Figures f = measure(shadows, json, runs);
      std::printf("%-8d %-6s %10.2f %12.2f %10.2f MiB %8zu KiB\n", shadows, json ? "json" : "human",
                  f.median_ms, f.own_median_ms,
                  static_cast<double>(f.peak_bytes) / (1024.0 * 1024.0), f.output_bytes / 1024);
      results.push_back({{"shadows", shadows},
                         {"form", json ? "json" : "human"},
                         {"runs", runs},
                         {"median_ms", f.median_ms},
                         {"own_median_ms", f.own_median_ms},
                         {"peak_heap_bytes", f.peak_bytes},
                         {"output_bytes", f.output_bytes}});
    }
  }
  const std::string text =
      nlohmann::json{{"benchmark", "listing_in_process"}, {"results", results}}.dump(2);
  if (argc > 1)
    std::ofstream(argv[1]) << text << '\n';
  else
    std::printf("%s\n", text.c_str());
  return 0;
}
