// Component selection over random machines whose writers' files span volumes (mount points
// inside a volume counting as other volumes, components that come with others, dependencies
// across writers): no component whose data lie outside the set is ever added, and every
// writer named by --require-writer (or --include-writer) takes part in full (or at all) or
// the run fails before PrepareForBackup. The expected selection is computed here from
// "Overview of the Backup Discovery Phase", independently of session/writer_selection.cpp;
// the emulator's writers check the set at the freeze as well (exit 5 if one was wronged).
#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

using emulator::Component;
using emulator::MachineState;
using emulator::Scenario;
using emulator::SimBackend;
using emulator::Writer;

// Where files may lie, and the volume each place is on (the mount folder is its own volume).
struct Place {
  std::string path;
  std::string volume;  // as create takes it
};
const Place kPlaces[] = {{"C:\\Data", "C:"},
                         {"D:\\Data", "D:"},
                         {"E:\\Data", "E:"},
                         {"C:\\Mount\\Logs\\db", "C:\\Mount\\Logs\\"}};

MachineState random_machine(std::mt19937& random) {
  MachineState m = emulator::default_machine();
  m.volumes.push_back({"\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000e}\\", {"E:\\"}, "NTFS",
                       "More", true, 64ull << 30});
  m.volumes.push_back({"\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000f}\\",
                       {"C:\\Mount\\Logs\\"}, "NTFS", "Logs", true, 64ull << 30});
  for (std::size_t i = m.storage.size(); i < m.volumes.size(); ++i)
    m.storage.push_back({m.volumes[i].name, m.volumes[i].name, 0, 0, 10ull << 30});
  m.writers.clear();
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const int writers = 2 + pick(4);
  for (int w = 0; w < writers; ++w) {
    Writer writer;
    writer.id = fmt::format("{{0000000{}-0000-4000-8000-000000000000}}", w);
    writer.instance_id = emulator::new_guid();
    writer.name = fmt::format("Writer{}", w);
    const int components = 1 + pick(4);
    for (int c = 0; c < components; ++c) {
      Component k;
      k.name = fmt::format("c{}", c);
      // One level of nesting: a later component may come with an earlier top-level one.
      if (c > 0 && pick(3) == 0 && writer.components[0].logical_path.empty())
        k.logical_path = writer.components[0].name;
      k.type = pick(2) == 0 ? 1 : 2;
      k.selectable = pick(10) < 7;
      const int files = 1 + pick(2);
      for (int f = 0; f < files; ++f)
        k.files.push_back({kPlaces[pick(4)].path, fmt::format("f{}.dat", f), false});
      if (k.type == 1 && pick(2) == 0) k.log_files.push_back({kPlaces[pick(4)].path, "log.ldf", false});
      // A dependency on a component of an earlier writer, now and then.
      if (w > 0 && pick(5) == 0) {
        const Writer& other = m.writers[static_cast<std::size_t>(pick(w))];
        const Component& target = other.components[static_cast<std::size_t>(
            pick(static_cast<int>(other.components.size())))];
        k.dependencies.push_back({other.id, target.logical_path, target.name});
      }
      writer.components.push_back(std::move(k));
    }
    m.writers.push_back(std::move(writer));
  }
  return m;
}

// --- The reference selection ---------------------------------------------------------

std::string path_of(const Component& c) {
  return c.logical_path.empty() ? c.name : c.logical_path + "\\" + c.name;
}
bool under(const Component& top, const Component& c) {
  return &top == &c || c.logical_path == path_of(top);  // one level of nesting, as generated
}
std::string volume_of(const std::string& path) {
  for (const auto& p : kPlaces)
    if (p.path == path) return p.volume;
  return "?";
}

// Every file the backup of `top` needs lies on a volume of the set.
bool fits(const MachineState& m, const Writer& w, const Component& top,
          const std::set<std::string>& set, std::set<const Component*>& seen) {
  for (const auto& c : w.components) {
    if (!under(top, c) || !seen.insert(&c).second) continue;
    for (const auto* files : {&c.files, &c.log_files})
      for (const auto& f : *files)
        if (!set.contains(volume_of(f.path))) return false;
    for (const auto& d : c.dependencies)
      for (const auto& other : m.writers)
        if (other.id == d.writer_id)
          for (const auto& target : other.components)
            if (target.logical_path == d.logical_path && target.name == d.component_name &&
                !fits(m, other, target, set, seen))
              return false;
  }
  return true;
}

struct Expected {
  std::set<std::string> added;  // "Writer\path"
  bool refused = false;         // a writer named must take part and cannot
};

Expected expect(const MachineState& m, const std::set<std::string>& set,
                const std::vector<std::string>& include, const std::vector<std::string>& exclude,
                const std::vector<std::string>& require) {
  Expected e;
  const auto named = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (const auto& w : m.writers) {
    if (!include.empty() && !named(include, w.name)) continue;
    if (named(exclude, w.name)) continue;
    std::vector<std::string> added;
    bool dropped = false, short_of_something = false;
    for (const auto& c : w.components) {
      const bool comes_with_another = std::any_of(w.components.begin(), w.components.end(),
          [&](const Component& a) { return &a != &c && a.selectable && under(a, c); });
      if (comes_with_another) continue;
      std::set<const Component*> seen;
      if (fits(m, w, c, set, seen)) {
        added.push_back(w.name + "\\" + path_of(c));
      } else {
        short_of_something = true;
        if (!c.selectable) dropped = true;
      }
    }
    if (added.empty() && short_of_something) dropped = true;
    if ((named(include, w.name) && dropped) || (named(require, w.name) && (dropped || short_of_something)))
      e.refused = true;
    if (!dropped) e.added.insert(added.begin(), added.end());
  }
  return e;
}

TEST(CliComponentSelectionProperty, NothingOutsideTheSetIsAddedAndRequiredWritersTakePartOrTheRunFails) {
  // Async phases finish at once: the selection is what is tested, not the pace.
  const Scenario at_once = emulator::async_at_once();
  std::mt19937 random(20261206);
  int succeeded = 0, refused = 0, components_added = 0;
  for (int run = 0; run < 200; ++run) {
    const MachineState machine = random_machine(random);
    SimBackend backend(at_once, {}, machine);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    std::set<std::string> set;
    std::vector<std::string> args{"--json", "create"};
    for (const auto& p : kPlaces)
      if (pick(2) == 0 && set.insert(p.volume).second) args.push_back(p.volume);
    if (set.empty()) {
      set.insert("C:");
      args.push_back("C:");
    }
    std::vector<std::string> include, exclude, require;
    const auto some_writer = [&] { return machine.writers[pick(machine.writers.size())].name; };
    switch (pick(4)) {
      case 0: include.push_back(some_writer()); break;
      case 1: exclude.push_back(some_writer()); break;
      case 2: require.push_back(some_writer()); break;
      default: include.push_back(some_writer()); require.push_back(include.back()); break;
    }
    for (const auto& w : include) args.insert(args.end(), {"--include-writer", w});
    for (const auto& w : exclude) args.insert(args.end(), {"--exclude-writer", w});
    for (const auto& w : require) args.insert(args.end(), {"--require-writer", w});
    args.insert(args.end(), {"--backup-type", "full"});
    const std::string shown = fmt::format("run {}: {}", run, fmt::join(args, " "));

    const Expected expected = expect(machine, set, include, exclude, require);
    const auto r = run_cli(args, backend);
    const auto doc = nlohmann::json::parse(r.out);
    const auto methods = backend.journal().methods();
    if (expected.refused) {
      ++refused;
      EXPECT_EQ(r.exit, 2) << shown << "\n" << r.out;
      EXPECT_EQ(doc["error"]["name"], "SHADOWCTL_E_WRITER_DATA_OUTSIDE_SET") << shown;
      EXPECT_EQ(std::find(methods.begin(), methods.end(), "PrepareForBackup"), methods.end())
          << shown << ": the run failed only after writers prepared";
    } else {
      ++succeeded;
      ASSERT_EQ(r.exit, 0) << shown << "\n" << r.out;  // 5: a writer found its data missing
      std::set<std::string> added;
      for (const auto& c : doc["result"]["components"])
        added.insert(c["writer"].get<std::string>() + "\\" +
                     (c["logical_path"].get<std::string>().empty()
                          ? c["name"].get<std::string>()
                          : c["logical_path"].get<std::string>() + "\\" + c["name"].get<std::string>()));
      EXPECT_EQ(added, expected.added) << shown << "\n" << r.out << "\n"
                                       << emulator::to_json_text(machine);
      components_added += static_cast<int>(added.size());
    }
    const auto state = backend.service().store().read();
    EXPECT_FALSE(state.in_creation.has_value()) << shown;
    EXPECT_EQ(backend.service().ledger().aborts_owed, 0) << shown;
  }
  // The generator reaches both outcomes, or the property says little.
  EXPECT_GT(succeeded, 40);
  EXPECT_GT(refused, 20);
  EXPECT_GT(components_added, 100);
  RecordProperty("succeeded", succeeded);
  RecordProperty("refused", refused);
}

}  // namespace
}  // namespace shadowctl::test
