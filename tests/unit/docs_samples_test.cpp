// Every sample output in the docs is the tool's own: each "> shadowctl ARGS" line of a plain
// code block is run in-process against the emulated machine and what it prints must be what
// the block shows after it. Ids, times and durations differ from run to run and are compared
// as what they are; a line "  ..." ends what is compared. SHADOWCTL_UPDATE_DOCS=1 rewrites
// the samples from the tool's output. Comment lines just before a block set up its machine:
// `<!-- sample scenario: JSON -->` gives it a scenario (faults, writer states: docs/emulator.md),
// and `<!-- sample before: STEP && STEP -->` runs each STEP first: a shadowctl command line,
// `write PATH TEXT` (a file on C: or D:, whose volumes hold files), `remove PATH`, or
// `program PATH` (a program exec finds and starts; it exits 0). A GUID
// in a sample's command line stands for the newest shadow copy's id, which differs per run.
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/command_line.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = SHADOWCTL_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What varies between two runs of the same command, as what it is.
std::string normalised(std::string line) {
  static const std::regex guid(R"(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})");
  static const std::regex time(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d)");
  static const std::regex duration(R"(\d+\.\d+ s\b)");
  static const std::regex device(R"(HarddiskVolumeShadowCopy\d+)");
  line = std::regex_replace(line, guid, "{GUID}");
  line = std::regex_replace(line, time, "TIME");
  line = std::regex_replace(line, duration, "N s");
  return std::regex_replace(line, device, "HarddiskVolumeShadowCopyN");
}

std::vector<std::string> arguments(const std::string& command_line) {
  std::vector<std::string> args;
  for (const auto& word : core::split_command_line(core::utf16(command_line)))
    args.push_back(core::utf8(word));
  return args;
}

// One "> shadowctl ..." line and the lines after it that show its output.
struct Sample {
  std::size_t command_line;    // index of the "> shadowctl" line
  std::size_t first, last;     // the output's lines: [first, last)
  std::string command;         // what follows "> shadowctl "
};

// A plain block's samples, the steps its machine runs first, and its scenario.
struct Block {
  std::vector<std::string> before;
  std::string scenario;
  std::vector<Sample> samples;
};

std::vector<Block> blocks_of(const std::vector<std::string>& lines) {
  std::vector<Block> blocks;
  std::vector<std::string> before;
  std::string scenario;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::string scenario_marker = "<!-- sample scenario: ";
    if (line.rfind(scenario_marker, 0) == 0) {
      scenario = line.substr(scenario_marker.size(), line.find(" -->") - scenario_marker.size());
      continue;
    }
    const std::string marker = "<!-- sample before: ";
    if (line.rfind(marker, 0) == 0) {
      before.clear();
      std::string rest = line.substr(marker.size(), line.find(" -->") - marker.size());
      for (std::size_t at; (at = rest.find(" && ")) != std::string::npos; rest.erase(0, at + 4))
        before.push_back(rest.substr(0, at));
      before.push_back(rest);
      continue;
    }
    if (line.rfind("```", 0) != 0) continue;
    // A block to its closing fence; only plain ones hold transcripts.
    std::size_t j = i + 1;
    while (j < lines.size() && lines[j].rfind("```", 0) != 0) ++j;
    if (line != "```") {
      before.clear();
      scenario.clear();
      i = j;
      continue;
    }
    Block block{std::move(before), std::move(scenario), {}};
    before.clear();
    scenario.clear();
    j = i + 1;
    for (; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) {
      if (lines[j].rfind("> shadowctl ", 0) != 0) continue;
      if (!block.samples.empty()) block.samples.back().last = j;
      block.samples.push_back({j, j + 1, j + 1, lines[j].substr(12)});
    }
    if (!block.samples.empty()) block.samples.back().last = j;
    // A blank line before the next command separates; it is not output.
    for (auto& s : block.samples)
      while (s.last > s.first && lines[s.last - 1].empty()) --s.last;
    if (!block.samples.empty()) blocks.push_back(std::move(block));
    i = j;
  }
  return blocks;
}

std::vector<fs::path> markdown_files() {
  std::vector<fs::path> files = {kSource / "README.md"};
  for (const auto& e : fs::recursive_directory_iterator(kSource / "docs"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  return files;
}

TEST(DocsSamples, AreTheToolsOwnOutputAgainstTheEmulator) {
  const bool update = [] {
    const char* u = std::getenv("SHADOWCTL_UPDATE_DOCS");
    return u && *u == '1';
  }();
  const ScopedTimeZone zone("UTC0");
  std::size_t checked = 0;
  for (const auto& path : markdown_files()) {
    std::stringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    std::vector<std::string> lines = lines_of(text.str());
    const auto blocks = blocks_of(lines);
    // Rewritten from the last sample up, so that earlier indices stay valid.
    std::vector<std::pair<const Sample*, std::vector<std::string>>> rewrites;
    for (const auto& block : blocks) {
      // The emulated machine, with a C: of files where %ProgramData% is (schedule's logs).
      // The emulated machine, its C: and D: holding files (C: with %ProgramData%).
      const fs::path root = unique_temp_path("docs-sample");
      fs::remove_all(root);
      fs::create_directories(root / "c" / "ProgramData");
      fs::create_directories(root / "d");
      auto state = emulator::default_machine();
      state.volumes[0].content_root = (root / "c").string();
      state.volumes[1].content_root = (root / "d").string();
      fs::create_directories(root / "store");
      state.contents_store = (root / "store").string();  // where the frozen trees are kept
      emulator::SimBackend machine(
          block.scenario.empty() ? emulator::Scenario{} : emulator::Scenario::parse(block.scenario),
          emulator::MachineFacts{}, state);
      machine.facts().environment.push_back(u"ProgramData=C:\\ProgramData");
      // A path on C: or D: as the file it is under the block's folder.
      const auto local = [&root](std::string windows_path) {
        for (auto& c : windows_path)
          if (c == '\\') c = '/';
        const char drive = static_cast<char>(std::tolower(static_cast<unsigned char>(windows_path[0])));
        return root / std::string(1, drive) / windows_path.substr(3);
      };
      for (const auto& b : block.before) {
        if (b.rfind("program ", 0) == 0) {  // a program exec can find and start
          machine.facts().program_files.push_back(core::utf16(b.substr(8)));
          continue;
        }
        if (b.rfind("write ", 0) == 0 || b.rfind("remove ", 0) == 0) {
          const auto words = arguments(b);
          const fs::path file = local(words.at(1));
          if (words[0] == "remove") {
            fs::remove_all(file);
            continue;
          }
          fs::create_directories(file.parent_path());
          std::ofstream(file, std::ios::binary) << words.at(2);
          continue;
        }
        const auto r = run_cli(arguments(b), machine);
        ASSERT_EQ(r.exit, 0) << path << ": before: " << b << "\n" << r.err;
      }
      for (const auto& s : block.samples) {
        // A GUID in the command line is the newest shadow copy's id.
        std::string command = s.command;
        static const std::regex guid(R"(\{[0-9a-fA-F-]{36}\})");
        if (std::regex_search(command, guid)) {
          const auto listed = run_cli({"--json", "list", "shadows"}, machine);
          const auto doc = nlohmann::json::parse(listed.out);
          if (!doc["result"].empty())
            command = std::regex_replace(command, guid, doc["result"][0]["id"].get<std::string>());
        }
        const auto r = run_cli(arguments(command), machine);
        std::vector<std::string> actual = lines_of(r.out);
        for (const auto& l : lines_of(r.err)) actual.push_back(l);
        std::vector<std::string> shown(lines.begin() + static_cast<std::ptrdiff_t>(s.first),
                                       lines.begin() + static_cast<std::ptrdiff_t>(s.last));
        // "  ..." ends what is compared: the sample shows the start.
        std::size_t compared = shown.size();
        for (std::size_t k = 0; k < shown.size(); ++k)
          if (shown[k] == "  ..." || shown[k] == "...") compared = k;
        const bool elided = compared < shown.size();
        std::vector<std::string> want, got;
        for (std::size_t k = 0; k < compared; ++k) want.push_back(normalised(shown[k]));
        for (std::size_t k = 0; k < actual.size() && (!elided || k < compared); ++k)
          got.push_back(normalised(actual[k]));
        ++checked;
        if (update && want != got) {
          std::vector<std::string> replacement(
              actual.begin(),
              actual.begin() + static_cast<std::ptrdiff_t>(elided ? std::min(compared, actual.size())
                                                                  : actual.size()));
          if (elided) replacement.push_back("  ...");
          rewrites.emplace_back(&s, std::move(replacement));
          continue;
        }
        std::string expected_text, got_text;
        for (const auto& l : want) expected_text += l + "\n";
        for (const auto& l : got) got_text += l + "\n";
        EXPECT_EQ(got_text, expected_text)
            << fs::relative(path, kSource).generic_string() << ":" << s.command_line + 1
            << ": the sample of `shadowctl " << s.command
            << "` is not what it prints; regenerate with SHADOWCTL_UPDATE_DOCS=1";
      }
      fs::remove_all(root);
    }
    if (rewrites.empty()) continue;
    for (auto it = rewrites.rbegin(); it != rewrites.rend(); ++it) {
      const Sample& s = *it->first;
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(s.first),
                  lines.begin() + static_cast<std::ptrdiff_t>(s.last));
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(s.first), it->second.begin(),
                   it->second.end());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) out << l << '\n';
  }
  EXPECT_GE(checked, 14u) << "the docs' samples were not found";
}

}  // namespace
}  // namespace shadowctl::test
