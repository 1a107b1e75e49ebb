// Another process changing the emulated machine under a requester, as Windows would: a
// scenario's "run" starts it at a named call (docs/emulator.md). It works on the machine in
// SHADOWCTL_EMULATOR_STATE, under the state file's lock like any emulator process.
//   dismount MOUNT_POINT   the volume mounted there leaves the machine (`mountvol X: /p`, a
//                          disk taken offline); its shadow copies stay, as volsnap keeps them
//   delete-shadow ID       the shadow copy goes (`vssadmin delete shadows /shadow=ID`)
//   write MOUNT_POINT BYTES  the volume is written to: copy-on-write grows its newest shadow
//                          copy's storage by BYTES; past the storage's maximum, the oldest
//                          copies are deleted until the rest fit, as volsnap does, writing
//                          event 33 for each to the System log
//   event LOG SOURCE ID LEVEL [DATA...]  an event is written to the machine's log (what a
//                          scenario adds: a writer's own source, an event from yesterday)
// Exit 0 when the change was made, 1 when there was nothing to change, 2 on a usage error.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "event_log.h"
#include "lookup.h"
#include "state.h"

int main(int argc, char** argv) {
  using namespace shadowctl::emulator;
  const char* state_path = std::getenv("SHADOWCTL_EMULATOR_STATE");
  const std::string verb = argc > 1 ? argv[1] : "";
  if (!state_path || !((argc == 3 && (verb == "dismount" || verb == "delete-shadow")) ||
                       (argc == 4 && verb == "write") || (argc >= 6 && verb == "event"))) {
    std::fprintf(stderr,
                 "usage: machine_change dismount MOUNT_POINT | delete-shadow ID | write "
                 "MOUNT_POINT BYTES | event LOG SOURCE ID LEVEL [DATA...] (with "
                 "SHADOWCTL_EMULATOR_STATE set)\n");
    return 2;
  }
  const std::string action = argv[1], target = argv[2];
  bool changed = false;
  StateStore store(state_path, default_machine());
  store.update([&](MachineState& m) {
    if (action == "dismount") {
      const Volume* v = find_volume(m, target);
      if (!v) return;
      const std::string name = v->name;
      std::erase_if(m.volumes, [&](const Volume& each) { return each.name == name; });
      changed = true;
    } else if (action == "write") {
      const Volume* v = find_volume(m, target);
      if (!v) return;
      const std::string name = v->name;
      Shadow* newest = nullptr;
      for (auto& s : m.shadows)
        if (s.original_volume == name && (!newest || s.created_us > newest->created_us)) newest = &s;
      auto storage = std::find_if(m.storage.begin(), m.storage.end(),
                                  [&](const Storage& s) { return s.for_volume == name; });
      if (!newest || storage == m.storage.end()) return;
      const std::uint64_t bytes = std::strtoull(argv[3], nullptr, 10);
      newest->storage_bytes += bytes;
      storage->used += bytes;
      storage->allocated = std::max(storage->allocated, storage->used);
      std::stable_sort(m.shadows.begin(), m.shadows.end(),
                       [](const Shadow& a, const Shadow& b) { return a.created_us < b.created_us; });
      std::string mount = v->mount_points.empty() ? name : v->mount_points.front();
      if (mount.size() == 3 && mount[1] == ':') mount.pop_back();  // volsnap writes "C:"

      const long removed = remove_shadows(m, [&](const Shadow& s) {
        return s.original_volume == name && storage->used > storage->maximum;
      });
      // "The oldest shadow copy of volume C: was deleted to keep disk space usage for shadow
      // copies of volume C: below the user defined limit" (volsnap 33, System log).
      for (long i = 0; i < removed; ++i)
        write_event(m, {"System", "volsnap", 33, 4, 0, {mount, mount}});
      changed = true;
    } else if (action == "event") {
      RecordedEvent e{argv[2], argv[3], static_cast<std::uint32_t>(std::strtoul(argv[4], nullptr, 10)),
                      std::atoi(argv[5])};
      for (int i = 6; i < argc; ++i) e.data.push_back(argv[i]);
      write_event(m, std::move(e));
      changed = true;
    } else if (action == "delete-shadow") {
      changed = std::erase_if(m.shadows,
                              [&](const Shadow& s) { return lower(s.id) == lower(target); }) > 0;
    }
  });
  return changed ? 0 : 1;
}
