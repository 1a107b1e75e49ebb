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

emulator::Shadow shadow(std::string id, std::string set, std::int64_t created, long context) {
  emulator::Shadow s;
  s.id = std::move(id);
  s.set_id = std::move(set);
  s.original_volume = "\\\\?\\Volume{00000000-0000-0000-0000-00000000000c}\\";
  s.created_us = created;
  s.context = context;
  s.attributes = context;
  return s;
}

TEST(QueryShadowCopies, EveryContextNewestFirst) {
  auto state = emulator::default_machine();
  state.shadows = {shadow("{1}", "{a}", 100, core::vss::context::app_rollback),
                   shadow("{2}", "{b}", 300, core::vss::context::client_accessible),
                   shadow("{3}", "{a}", 200, core::vss::context::nas_rollback)};
  SimBackend machine({}, {}, state);
  const auto shadows = query_shadow_copies(machine.system());
  ASSERT_EQ(shadows.size(), 3u);
  EXPECT_EQ(shadows[0].id, "{2}");
  EXPECT_EQ(shadows[1].id, "{3}");
  EXPECT_EQ(shadows[2].id, "{1}");
  const auto m = machine.journal().methods();
  EXPECT_EQ(m, (std::vector<std::string>{"CreateVssBackupComponents", "InitializeForBackup",
                                         "SetContext", "Query", "Release"}));
}

TEST(QueryShadowCopies, NoneIsAnEmptyListNotAnError) {
  SimBackend machine;
  EXPECT_TRUE(query_shadow_copies(machine.system()).empty());
}

TEST(QueryShadowCopies, FailureNamesTheCall) {
  SimBackend machine(test::fault("Query", core::hr::vss_e_unexpected));
  try {
    query_shadow_copies(machine.system());
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.failure().hr, core::hr::vss_e_unexpected);
    EXPECT_EQ(e.failure().phase, "Query");
  }
}

}  // namespace
}  // namespace shadowctl::session
