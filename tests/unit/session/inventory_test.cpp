#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/inventory.h"
#include "sim_backend.h"
#include "test_cli.h"

namespace shadowctl::session {
namespace {

using emulator::SimBackend;
using namespace std::chrono_literals;

constexpr const char* kC = "\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000c}\\";
constexpr const char* kD = "\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000d}\\";

emulator::Shadow shadow(std::string id, std::string set, std::string volume, std::int64_t created,
                        long context) {
  emulator::Shadow s;
  s.id = std::move(id);
  s.set_id = std::move(set);
  s.original_volume = std::move(volume);
  s.provider_id = "{b5946137-7b9f-4925-af80-51abd60b20d5}";
  s.created_us = created;
  s.context = context;
  s.attributes = context;
  return s;
}

emulator::MachineState three_shadows() {
  auto state = emulator::default_machine();
  state.shadows = {shadow("{1}", "{a}", kC, 100, core::vss::context::app_rollback),
                   shadow("{2}", "{b}", kD, 300, core::vss::context::client_accessible),
                   shadow("{3}", "{a}", kD, 200, core::vss::context::nas_rollback)};
  return state;
}

std::vector<std::string> ids(const std::vector<core::ShadowCopy>& shadows) {
  std::vector<std::string> out;
  for (const auto& s : shadows) out.push_back(s.id);
  return out;
}

TEST(QueryShadowCopies, EveryContextNewestFirstWithMountPointAndProviderName) {
  SimBackend machine({}, {}, three_shadows());
  const auto volumes = VolumeTable::read(machine.system());
  const auto shadows = query_shadow_copies(machine.system(), volumes);
  EXPECT_EQ(ids(shadows), (std::vector<std::string>{"{2}", "{3}", "{1}"}));
  EXPECT_EQ(shadows[2].original_mount_point, "C:\\");
  EXPECT_EQ(shadows[0].provider_name, "Microsoft Software Shadow Copy provider 1.0");
  const auto m = machine.journal().methods();
  // One Query for all of them: never a query per shadow copy.
  EXPECT_EQ(std::count(m.begin(), m.end(), "Query"), 1);
}

TEST(QueryShadowCopies, SelectionByVolumeSetAndId) {
  SimBackend machine({}, {}, three_shadows());
  const auto volumes = VolumeTable::read(machine.system());
  ShadowSelection by_volume;
  by_volume.volumes = {kD};
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, by_volume)),
            (std::vector<std::string>{"{2}", "{3}"}));
  ShadowSelection by_set;
  by_set.set_id = "{A}";  // any case
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, by_set)),
            (std::vector<std::string>{"{3}", "{1}"}));
  ShadowSelection both;
  both.set_id = "{a}";
  both.volumes = {kC};
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, both)),
            (std::vector<std::string>{"{1}"}));
}

TEST(QueryShadowCopies, SelectionByContextAndAge) {
  SimBackend machine({}, {}, three_shadows());
  const auto volumes = VolumeTable::read(machine.system());
  ShadowSelection by_context;
  by_context.context = core::vss::context::nas_rollback;
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, by_context)),
            (std::vector<std::string>{"{3}"}));
  ShadowSelection older;
  older.created_before_unix_us = 300;  // before, not at
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, older)),
            (std::vector<std::string>{"{3}", "{1}"}));
  older.context = core::vss::context::app_rollback;  // every field must pass
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, older)),
            (std::vector<std::string>{"{1}"}));
}

// Rank counts within each volume, newest first, among what the other fields let through.
TEST(QueryShadowCopies, SelectionByRankWithinEachVolume) {
  auto state = three_shadows();
  state.shadows.push_back(shadow("{4}", "{c}", kD, 100, core::vss::context::app_rollback));
  state.shadows.push_back(shadow("{5}", "{c}", kC, 500, core::vss::context::app_rollback));
  SimBackend machine({}, {}, state);  // C: {5} 500, {1} 100; D: {2} 300, {3} 200, {4} 100
  const auto volumes = VolumeTable::read(machine.system());
  ShadowSelection newest;
  newest.newest = 1;
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, newest)),
            (std::vector<std::string>{"{5}", "{2}"}));
  ShadowSelection oldest;
  oldest.oldest = 2;
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, oldest)),
            (std::vector<std::string>{"{5}", "{3}", "{1}", "{4}"}));
  ShadowSelection either;
  either.newest = 1;
  either.oldest = 1;
  either.volumes = {kD};
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, either)),
            (std::vector<std::string>{"{2}", "{4}"}));
  ShadowSelection ranked_after_age;
  ranked_after_age.created_before_unix_us = 300;
  ranked_after_age.newest = 1;
  EXPECT_EQ(ids(query_shadow_copies(machine.system(), volumes, ranked_after_age)),
            (std::vector<std::string>{"{3}", "{1}"}));
}

TEST(ShadowSelection, OnlyIdsAloneNameTheirCopies) {
  ShadowSelection s;
  s.ids = {"{1}"};
  EXPECT_TRUE(s.by_id_only());
  s.oldest = 1;
  EXPECT_FALSE(s.by_id_only());
  s.oldest = 0;
  s.created_before_unix_us = 1;
  EXPECT_FALSE(s.by_id_only());
  EXPECT_FALSE(ShadowSelection{}.by_id_only());
}

TEST(QueryShadowCopies, NoneIsAnEmptyListNotAnError) {
  SimBackend machine;
  EXPECT_TRUE(query_shadow_copies(machine.system(), VolumeTable::read(machine.system())).empty());
}

TEST(QueryShadowCopies, FailureNamesTheCall) {
  SimBackend machine(test::fault("Query", core::hr::vss_e_unexpected));
  try {
    query_shadow_copies(machine.system(), VolumeTable::read(machine.system()));
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::vss_e_unexpected);
    EXPECT_EQ(e.failure().phase, "Query");
  }
}

TEST(VolumeTable, EveryFormOfAVolumeResolvesToItsName) {
  SimBackend machine;
  const auto volumes = VolumeTable::read(machine.system());
  for (const char* argument : {"C", "c", "C:", "c:\\", "\\\\?\\VOLUME{3F1A2B4C-0000-4000-8000-00000000000C}",
                               kC})
    EXPECT_EQ(volumes.resolve({argument}).at(0)->name, kC) << argument;
}

TEST(VolumeTable, MountFolderResolvesWithOrWithoutTrailingBackslash) {
  auto state = emulator::default_machine();
  state.volumes[1].mount_points.push_back("C:\\mnt\\data\\");
  SimBackend machine({}, {}, state);
  const auto volumes = VolumeTable::read(machine.system());
  EXPECT_EQ(volumes.resolve({"c:\\MNT\\data"}).at(0)->name, kD);
  EXPECT_EQ(volumes.resolve({"C:\\mnt\\data\\"}).at(0)->name, kD);
}

TEST(VolumeTable, MalformedIsUsageAndAbsentIsNotFoundNamingTheArgument) {
  SimBackend machine;
  const auto volumes = VolumeTable::read(machine.system());
  try {
    volumes.resolve({"C:", "C:relative"});
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::shadowctl_e_usage);
    EXPECT_NE(e.failure().detail.find("'C:relative'"), std::string::npos);
  }
  try {
    volumes.resolve({"Q:"});
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::vss_e_object_not_found);
    EXPECT_NE(e.failure().detail.find("Q:\\"), std::string::npos);
  }
}

TEST(QueryVolumes, SupportSnapshotsAndCountsPerVolume) {
  auto state = three_shadows();
  state.volumes[1].supported = false;
  SimBackend machine({}, {}, state);
  const auto rows = query_volumes(machine.system(), VolumeTable::read(machine.system()));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].supported);
  EXPECT_TRUE(rows[0].snapshotted);
  EXPECT_EQ(rows[0].shadow_count, 1);
  EXPECT_FALSE(rows[1].supported);
  EXPECT_EQ(rows[1].shadow_count, 2);
}

TEST(QueryStorage, OneAssociationPerVolume) {
  SimBackend machine;
  const auto storage = query_storage(machine.system(), VolumeTable::read(machine.system()));
  ASSERT_EQ(storage.size(), 2u);
  EXPECT_EQ(storage[0].for_volume, kC);
  EXPECT_EQ(storage[0].maximum, 10ull << 30);
}

TEST(QueryWriters, MetadataOnlyWhenAskedAndEverythingFreed) {
  SimBackend machine;
  CancelToken cancel;
  const auto plain = query_writers(machine.system(), {10s, cancel, {}});
  EXPECT_EQ(plain.status.size(), 4u);
  EXPECT_TRUE(plain.metadata.empty());
  const auto detailed = query_writers(machine.system(), {10s, cancel, {}}, true);
  ASSERT_EQ(detailed.metadata.size(), 4u);
  EXPECT_EQ(detailed.metadata[1].name, "SqlServerWriter");
  EXPECT_EQ(detailed.metadata[1].components[0].type, "database");
}

}  // namespace
}  // namespace shadowctl::session
