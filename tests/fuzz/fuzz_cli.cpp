// The whole command line, every command, against the in-process emulator: whatever the
// arguments, the run ends with a documented exit code, and with --json stdout holds exactly
// one JSON document of the envelope's shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "sim_backend.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl;
  // Arguments separated by NUL; --log-file is dropped with its value, as the one option
  // that writes to the real file system (every other file goes to the emulator's memory).
  std::vector<std::string> args = {"shadowctl", ""};
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      args.emplace_back();
    else
      args.back() += static_cast<char>(data[i]);
  }
  std::vector<std::string> kept = {"shadowctl"};
  bool json = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i].rfind("--log-file", 0) == 0) {
      if (args[i] == "--log-file") ++i;
      continue;
    }
    if (args[i] == "--") {
      kept.insert(kept.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (args[i] == "--json" || args[i].rfind("--json-file", 0) == 0) json = true;
    kept.push_back(args[i]);
  }
  // A --json-file document goes to the emulator's memory, not stdout.
  bool to_file = false;
  for (const auto& a : kept) to_file = to_file || a.rfind("--json-file", 0) == 0;

  // Every async phase finishes at once (the emulator's default is 20 ms, several a create):
  // the target is the command line, and at the default pace it ran some 200 inputs a second.
  static const emulator::Scenario at_once = emulator::async_at_once();
  emulator::SimBackend machine(at_once);
  session::CancelToken cancel;
  std::ostringstream out, err;
  std::istringstream in("n\n");
  const int code =
      cli::run(kept, {out, err, false, false, &in, false, {}, nullptr}, machine.system(), cancel);
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("fuzz"));  // as test_cli does

  static const std::set<int> documented = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 127, 130};
  if (!documented.count(code)) std::abort();
  if (json && !to_file) {
    // Exactly one document: parse() refuses anything after it. exec leaves stdout to its
    // command and reports on stderr, even for a command line it refuses (docs/commands/exec.md).
    const bool on_stderr = out.str().empty() && !err.str().empty();
    const auto doc = nlohmann::json::parse(on_stderr ? err.str() : out.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) std::abort();
    if (on_stderr && doc["command"] != "exec") std::abort();
    if (doc["exit_code"] != code || !doc.contains("ok") || !doc.contains("machine") ||
        !doc.contains("tool") || !doc.contains("time"))
      std::abort();
    if (doc["ok"] == true && code != 0) std::abort();
  }
  return 0;
}
