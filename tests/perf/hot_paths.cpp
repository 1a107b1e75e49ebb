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
#include "core/vss.h"
#include "sim_backend.h"

namespace {

using namespace shadowctl;

// A machine with `count` persistent shadow copies, half on each volume.
emulator::MachineState machine_with(int count) {
  auto m = emulator::default_machine();
  for (int i = 0; i < count; ++i) {
    emulator::Shadow s;
    s.id = "{00000000-0000-4000-8000-" + std::to_string(100000000000 + i) + "}";
    s.set_id = s.id;
    s.device_object = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy" + std::to_string(i + 1);
    s.original_volume = m.volumes[static_cast<std::size_t>(i % 2)].name;
    s.originating_machine = s.service_machine = m.machine_name;
    s.provider_id = m.providers[0].id;
    s.context = core::vss::context::app_rollback;
    s.attributes = core::vss::attr::persistent | core::vss::attr::no_auto_release;
    s.created_us = 1'700'000'000'000'000 + i * 1'000'000LL;
    m.shadows.push_back(std::move(s));
  }
  return m;
}

}  // namespace

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
  const auto at_once = emulator::Scenario::parse(R"({"async": [
      {"method": "GatherWriterMetadata", "behaviour": "late", "delay_ms": 0},
      {"method": "GatherWriterStatus", "behaviour": "late", "delay_ms": 0},
      {"method": "PrepareForBackup", "behaviour": "late", "delay_ms": 0},
      {"method": "DoSnapshotSet", "behaviour": "late", "delay_ms": 0},
      {"method": "BackupComplete", "behaviour": "late", "delay_ms": 0}]})");
  const emulator::MachineFacts facts;
  emulator::SimBackend machine(at_once, facts, machine_with(shadows));
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
