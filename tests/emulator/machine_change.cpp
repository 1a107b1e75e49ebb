// Another process changing the emulated machine under a requester, as Windows would: a
// scenario's "run" starts it at a named call (docs/emulator.md). It works on the machine in
// SHADOWCTL_EMULATOR_STATE, under the state file's lock like any emulator process.
//   dismount MOUNT_POINT   the volume mounted there leaves the machine (`mountvol X: /p`, a
//                          disk taken offline); its shadow copies stay, as volsnap keeps them
//   delete-shadow ID       the shadow copy goes (`vssadmin delete shadows /shadow=ID`)
//   write MOUNT_POINT BYTES  the volume is written to: copy-on-write grows its newest shadow
//                          copy's storage by BYTES; past the storage's maximum, the oldest
//                          copies are deleted until the rest fit, as volsnap does (event 33)
// Exit 0 when the change was made, 1 when there was nothing to change, 2 on a usage error.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lookup.h"
#include "state.h"

int main(int argc, char** argv) {
  using namespace shadowctl::emulator;
  const char* state_path = std::getenv("SHADOWCTL_EMULATOR_STATE");
  const std::string verb = argc > 1 ? argv[1] : "";
  if (!state_path || !((argc == 3 && (verb == "dismount" || verb == "delete-shadow")) ||
                       (argc == 4 && verb == "write"))) {
    std::fprintf(stderr,
                 "usage: machine_change dismount MOUNT_POINT | delete-shadow ID | write "
                 "MOUNT_POINT BYTES (with SHADOWCTL_EMULATOR_STATE set)\n");
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
      remove_shadows(m, [&](const Shadow& s) {
        return s.original_volume == name && storage->used > storage->maximum;
      });
      changed = true;
    } else if (action == "delete-shadow") {
      changed = std::erase_if(m.shadows,
                              [&](const Shadow& s) { return lower(s.id) == lower(target); }) > 0;
    }
  });
  return changed ? 0 : 1;
}
