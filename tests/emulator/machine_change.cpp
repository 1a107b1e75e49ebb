// Another process changing the emulated machine under a requester, as Windows would: a
// scenario's "run" starts it at a named call (docs/emulator.md). It works on the machine in
// SHADOWCTL_EMULATOR_STATE, under the state file's lock like any emulator process.
//   dismount MOUNT_POINT   the volume mounted there leaves the machine (`mountvol X: /p`, a
//                          disk taken offline); its shadow copies stay, as volsnap keeps them
//   delete-shadow ID       the shadow copy goes (`vssadmin delete shadows /shadow=ID`)
// Exit 0 when the change was made, 1 when there was nothing to change, 2 on a usage error.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lookup.h"
#include "state.h"

int main(int argc, char** argv) {
  using namespace shadowctl::emulator;
  const char* state_path = std::getenv("SHADOWCTL_EMULATOR_STATE");
  if (argc != 3 || !state_path ||
      (std::string(argv[1]) != "dismount" && std::string(argv[1]) != "delete-shadow")) {
    std::fprintf(stderr,
                 "usage: machine_change dismount MOUNT_POINT | delete-shadow ID "
                 "(with SHADOWCTL_EMULATOR_STATE set)\n");
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
    } else if (action == "delete-shadow") {
      changed = std::erase_if(m.shadows,
                              [&](const Shadow& s) { return lower(s.id) == lower(target); }) > 0;
    }
  });
  return changed ? 0 : 1;
}
