// IVssAdmin, IVssSnapshotMgmt and shadow storage management.
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "machine.h"
#include "os.h"

namespace shadowctl::emulator::test {
namespace {

TEST(EmulatorManagement, ProvidersAndSupportedVolumes) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.volumes[1].supported = false; });
  std::vector<Provider> providers;
  EXPECT_EQ(m.service.query_providers(&providers), hr::s_ok);
  ASSERT_EQ(providers.size(), 1u);
  std::vector<Volume> volumes;
  EXPECT_EQ(m.service.query_volumes_supported(providers[0].id, &volumes), hr::s_ok);
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].mount_points[0], "C:\\");
  EXPECT_EQ(m.service.query_volumes_supported("{00000000-0000-4000-8000-000000000000}", &volumes),
            core::hr::vss_e_provider_not_registered);
}

TEST(EmulatorManagement, IsVolumeSnapshottedFollowsItsPage) {
  Machine m;
  bool present = true;
  long capability = -1;
  EXPECT_EQ(m.service.is_volume_snapshotted("C:\\", &present, &capability), hr::s_ok);
  EXPECT_FALSE(present);
  EXPECT_EQ(capability, 0);
  EXPECT_EQ(m.service.is_volume_snapshotted("C:", &present, &capability), hr::e_invalidarg)
      << "the name must end in a backslash";
  EXPECT_EQ(m.service.is_volume_snapshotted("Q:\\", &present, &capability),
            core::hr::vss_e_object_not_found);
  EXPECT_EQ(m.service.is_volume_snapshotted("C:\\", nullptr, &capability), hr::e_invalidarg);
  auto r = m.requester(context::app_rollback);
  std::string set, shadow;
  ASSERT_EQ(r->start_snapshot_set(&set), hr::s_ok);
  ASSERT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
  ASSERT_EQ(m.finish([&](auto* a) { return r->prepare_for_backup(a); }), hr::vss_s_async_finished);
  ASSERT_EQ(m.snapshot(*r), hr::vss_s_async_finished);
  EXPECT_EQ(m.service.is_volume_snapshotted(m.service.store().read().volumes[0].name, &present,
                                            &capability),
            hr::s_ok);
  EXPECT_TRUE(present);
}

TEST(EmulatorManagement, IsVolumeSupportedAnswersOrNamesWhatIsMissing) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.volumes[1].supported = false; });
  auto r = m.requester();
  bool supported = false;
  EXPECT_EQ(r->is_volume_supported("C:\\", "", &supported), hr::s_ok);
  EXPECT_TRUE(supported);
  EXPECT_EQ(r->is_volume_supported("D:\\", "", &supported), hr::s_ok);
  EXPECT_FALSE(supported);
  EXPECT_EQ(r->is_volume_supported("Q:\\", "", &supported), core::hr::vss_e_object_not_found);
  EXPECT_EQ(r->is_volume_supported("C:\\", "{00000000-0000-4000-8000-000000000000}", &supported),
            core::hr::vss_e_provider_not_registered);
}

TEST(EmulatorManagement, DiffAreaAssociations) {
  Machine m;
  m.service.store().update([](MachineState& s) { s.storage.pop_back(); });  // D: has none
  EXPECT_EQ(m.service.add_diff_area("D:\\", "Q:\\", 1 << 30), core::hr::vss_e_object_not_found);
  EXPECT_EQ(m.service.add_diff_area("C:\\", "C:\\", 1 << 30), core::hr::vss_e_object_already_exists);
  EXPECT_EQ(m.service.add_diff_area("D:\\", "C:\\", 1 << 30), hr::s_ok);
  std::vector<Storage> on_c;
  EXPECT_EQ(m.service.query_diff_areas("C:\\", false, &on_c), hr::s_ok);
  EXPECT_EQ(on_c.size(), 2u);
  std::vector<Storage> for_d;
  EXPECT_EQ(m.service.query_diff_areas("D:\\", true, &for_d), hr::s_ok);
  ASSERT_EQ(for_d.size(), 1u);
  EXPECT_EQ(for_d[0].maximum, 1u << 30);
}

TEST(EmulatorManagement, ShrinkingStorageDeletesTheOldestShadows) {
  Machine m;
  std::vector<std::string> ids;
  std::vector<std::unique_ptr<Requester>> keep;
  for (int i = 0; i < 3; ++i) {
    auto r = m.prepared(context::client_accessible);
    m.snapshot(*r);
    keep.push_back(std::move(r));
  }
  const auto before = m.service.store().read().shadows;
  EXPECT_EQ(m.service.change_diff_area_maximum("C:\\", "C:\\",
                                               static_cast<std::int64_t>(kShadowStorageCharge)),
            hr::s_ok);
  const auto after = m.service.store().read();
  ASSERT_EQ(after.shadows.size(), 1u);
  EXPECT_EQ(after.shadows[0].id, before.back().id);  // the newest stays
  EXPECT_EQ(after.storage[0].used, kShadowStorageCharge);
  std::vector<Shadow> on_c;
  EXPECT_EQ(m.service.query_snapshots_by_volume("C:\\", &on_c), hr::s_ok);
  EXPECT_EQ(on_c.size(), 1u);
}

// AddDiffArea's page: at least 320 MB or -1; the system provider stores on NTFS only.
TEST(EmulatorManagement, AddingStorageBelowTheMinimumOrOnAVolumeNotNtfsIsRefused) {
  Machine m;
  m.service.store().update([](MachineState& s) {
    s.storage.clear();
    s.volumes[1].file_system = "FAT32";
  });
  const auto small = static_cast<std::int64_t>(kShadowStorageMinimum) - 1;
  EXPECT_EQ(m.service.add_diff_area("C:\\", "C:\\", small), hr::e_invalidarg);
  EXPECT_EQ(m.service.add_diff_area("C:\\", "D:\\", -1), core::hr::vss_e_volume_not_supported);
  EXPECT_TRUE(m.service.store().read().storage.empty());
  EXPECT_EQ(m.service.add_diff_area("C:\\", "C:\\", -1), hr::s_ok);
  EXPECT_EQ(m.service.add_diff_area("C:\\", "C:\\", -1), core::hr::vss_e_object_already_exists);
}

// ChangeDiffAreaMaximumSize's page: 0 deletes the association, refused while copies use it.
TEST(EmulatorManagement, AMaximumOfZeroDeletesStorageThatNoCopyUses) {
  Machine m;
  auto r = m.prepared(context::app_rollback);
  m.snapshot(*r);
  EXPECT_EQ(m.service.change_diff_area_maximum("C:\\", "C:\\", 0), core::hr::vss_e_volume_in_use);
  EXPECT_EQ(m.service.store().read().storage.size(), 2u);
  EXPECT_EQ(m.service.change_diff_area_maximum("D:\\", "D:\\", 0), hr::s_ok);
  const auto after = m.service.store().read();
  ASSERT_EQ(after.storage.size(), 1u);
  EXPECT_EQ(after.shadows.size(), 1u);
  EXPECT_EQ(m.service.change_diff_area_maximum("D:\\", "D:\\", 0), core::hr::vss_e_object_not_found);
}

}  // namespace
}  // namespace shadowctl::emulator::test
