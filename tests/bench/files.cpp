// Files from a shadow copy at scale, in-process against the emulator's frozen trees, so no
// process start-up hides the tool's own cost: `diff` of trees of 10,000 and 100,000 entries
// against the live volume (1% of files changed, 0.5% added, 0.5% removed), and `versions` of
// a file held by 64 copies; and `prune` over 512 copies. Prints a table and writes the figures as
// JSON (argv[1], or stdout). Time: the median of the runs' wall time; memory: the peak of the heap
// above what was allocated before the run.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "measure.h"
#include "sim_backend.h"

namespace {

using namespace shadowctl;
namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct Figures {
  double median_ms = 0;
  std::size_t peak_bytes = 0;
  std::size_t output_bytes = 0;
};

// Runs `shadowctl ARGS` `runs` times (bench::run_in_process).
Figures measure(emulator::SimBackend& machine, const std::vector<std::string>& args, int runs) {
  Figures f;
  std::vector<double> wall;
  for (int run = 0; run < runs; ++run) {
    const bench::InProcessRun one = bench::run_in_process(machine, args);
    f.peak_bytes = std::max(f.peak_bytes, one.peak_bytes);
    f.output_bytes = one.output_bytes;
    wall.push_back(one.ms);
  }
  f.median_ms = bench::median(wall);
  return f;
}

// C:\tree as a shadow copy holds it and as it is today, `entries` entries each, made up as
// they are listed (MachineFacts::listings) so that the tool's own cost is measured, not the
// disk's: folders of 100 (the folder and 99 files of 100 bytes). Today, in every folder the
// first file is longer, the second is gone, and every other folder has one file more.
struct TreeMachine {
  emulator::MachineState state = emulator::default_machine();
  std::unique_ptr<emulator::SimBackend> machine;
  explicit TreeMachine(int entries) {
    emulator::MachineFacts facts;
    const int folders = entries / 100;
    facts.listings = [folders](const std::string& path, std::vector<core::FileEntry>& out) {
      const bool copy = path.rfind("\\\\?\\", 0) == 0;
      const std::size_t at = path.find("\\tree");
      const auto entry = [](std::string name, std::uint64_t size, std::uint32_t attributes) {
        core::FileEntry e;
        e.name = std::move(name);
        e.size = size;
        e.attributes = attributes;
        e.written_unix_us = e.created_unix_us = 1'700'000'000'000'000;
        return e;
      };
      if (at == std::string::npos) {  // the volume's root
        out.push_back(entry("tree", 0, core::file_attr::directory));
      } else if (at + 5 == path.size()) {  // C:\tree
        for (int f = 0; f < folders; ++f)
          out.push_back(entry(fmt::format("d{}", f), 0, core::file_attr::directory));
      } else {  // C:\tree\dN
        const int f = std::stoi(path.substr(at + 7));
        for (int i = 0; i < 99; ++i) {
          if (!copy && i == 1) continue;
          out.push_back(entry(fmt::format("f{}.txt", i), !copy && i == 0 ? 120 : 100,
                              core::file_attr::archive));
        }
        if (!copy && f % 2 == 0) out.push_back(entry("new.txt", 10, core::file_attr::archive));
      }
      return core::HResult{0};
    };
    machine = std::make_unique<emulator::SimBackend>(emulator::Scenario{}, facts, state);
    measure(*machine, {"create", "C:"}, 1);
  }
};

// D:\f.txt, rewritten with another size before each of 64 copies of D:.
struct VersionsMachine {
  fs::path root = fs::temp_directory_path() / "shadowctl-bench-versions";
  emulator::MachineState state = emulator::default_machine();
  std::unique_ptr<emulator::SimBackend> machine;
  VersionsMachine() {
    fs::remove_all(root);
    fs::create_directories(root / "store");
    fs::create_directories(root / "d");
    state.volumes[1].content_root = (root / "d").string();
    for (auto& storage : state.storage) storage.maximum = 1ull << 50;  // room for 64 copies
    state.contents_store = (root / "store").string();
    const emulator::MachineFacts facts;
    machine = std::make_unique<emulator::SimBackend>(emulator::Scenario{}, facts, state);
    for (int i = 0; i < 64; ++i) {
      write(root / "d" / "f.txt", std::string(static_cast<std::size_t>(1000 + i), 'x'));
      measure(*machine, {"create", "D:"}, 1);
    }
    write(root / "d" / "f.txt", std::string(1063, 'y'));  // today's: the last copy's size
  }
  ~VersionsMachine() { fs::remove_all(root); }
};

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::off);
  nlohmann::json results = nlohmann::json::array();
  std::printf("%-28s %10s %12s %12s\n", "what", "median ms", "peak heap", "output");
  const auto report = [&](const std::string& what, const Figures& f, int runs,
                          const nlohmann::json& extra) {
    std::printf("%-28s %10.1f %8.2f MiB %8zu KiB\n", what.c_str(), f.median_ms,
                static_cast<double>(f.peak_bytes) / (1024.0 * 1024.0), f.output_bytes / 1024);
    nlohmann::json r = {{"what", what},
                        {"runs", runs},
                        {"median_ms", f.median_ms},
                        {"peak_heap_bytes", f.peak_bytes},
                        {"output_bytes", f.output_bytes}};
    r.update(extra);
    results.push_back(std::move(r));
  };
  for (int entries : {10'000, 100'000}) {
    TreeMachine m(entries);
    for (bool json : {true, false}) {
      std::vector<std::string> args{"diff", "latest", "--path", "C:\\tree"};
      if (json) args.insert(args.begin(), "--json");
      const int runs = 5;
      report(fmt::format("diff {} {}", entries, json ? "json" : "human"),
             measure(*m.machine, args, runs), runs,
             {{"entries", entries}, {"form", json ? "json" : "human"}});
    }
  }
  {
    VersionsMachine m;
    for (bool compare : {false, true}) {
      std::vector<std::string> args{"--json", "versions", "D:\\f.txt"};
      if (compare) args.push_back("--compare");
      const int runs = 21;
      report(fmt::format("versions, 64 copies{}", compare ? " --compare" : ""),
             measure(*m.machine, args, runs), runs, {{"copies", 64}, {"compare", compare}});
    }
  }
  for (bool dry_run : {true, false}) {
    // 512 copies of C:, an hour apart; each real run on a machine of its own.
    std::vector<double> wall;
    Figures f;
    const int runs = 11;
    for (int run = 0; run < runs; ++run) {
      auto state = emulator::default_machine();
      const auto many = emulator::machine_with_shadows(1024);  // every other one is C:'s
      for (std::size_t i = 0; i < many.shadows.size(); i += 2) {
        state.shadows.push_back(many.shadows[i]);
        state.shadows.back().created_us =
            1'790'000'000'000'000 - static_cast<std::int64_t>(i) * 1'800'000'000;
      }
      const emulator::MachineFacts facts;
      emulator::SimBackend machine(emulator::Scenario{}, facts, state);
      std::vector<std::string> args{
          "--json",        "prune", "--volume",       "C:", "--keep-daily", "7",
          "--keep-weekly", "4",     "--keep-monthly", "6",  "--yes"};
      if (dry_run) args.push_back("--dry-run");
      const Figures one = measure(machine, args, 1);
      wall.push_back(one.median_ms);
      f.peak_bytes = std::max(f.peak_bytes, one.peak_bytes);
      f.output_bytes = one.output_bytes;
    }
    f.median_ms = bench::median(wall);
    report(fmt::format("prune, 512 copies{}", dry_run ? " --dry-run" : ""), f, runs,
           {{"copies", 512}, {"dry_run", dry_run}});
  }
  const std::string text =
      nlohmann::json{{"benchmark", "files_in_process"}, {"results", results}}.dump(2);
  if (argc > 1)
    std::ofstream(argv[1]) << text << '\n';
  else
    std::printf("%s\n", text.c_str());
  return 0;
}
