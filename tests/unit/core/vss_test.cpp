#include <gtest/gtest.h>

#include "core/vss.h"

namespace shadowctl::core::vss {
namespace {

TEST(VssWriterStates, IndexedByValueWithTheSdkName) {
  for (std::size_t i = 0; i < kWriterStates.size(); ++i)
    EXPECT_EQ(kWriterStates[i].value, static_cast<long>(i)) << kWriterStates[i].name;
  EXPECT_EQ(writer_state(5)->name, "VSS_WS_WAITING_FOR_BACKUP_COMPLETE");
  EXPECT_FALSE(writer_state(16).has_value());
  EXPECT_FALSE(writer_state(-1).has_value());
}

TEST(VssWriterStates, OnlyFailedAtStatesAreFailures) {
  EXPECT_FALSE(writer_state_failed(1));  // STABLE
  EXPECT_FALSE(writer_state_failed(5));  // WAITING_FOR_BACKUP_COMPLETE: fine mid-backup
  EXPECT_TRUE(writer_state_failed(6));   // FAILED_AT_IDENTIFY
  EXPECT_TRUE(writer_state_failed(15));  // FAILED_AT_BACKUPSHUTDOWN
}

TEST(VssContexts, AreTheirAttributeCombinations) {
  // vss.h builds each context from attributes; so must ours.
  EXPECT_EQ(context::app_rollback, attr::persistent | attr::no_auto_release);
  EXPECT_EQ(context::nas_rollback, context::app_rollback | attr::no_writers);
  EXPECT_EQ(context::client_accessible,
            attr::persistent | attr::client_accessible | attr::no_auto_release | attr::no_writers);
  EXPECT_EQ(context::file_share_backup, attr::no_writers);
}

}  // namespace
}  // namespace shadowctl::core::vss
