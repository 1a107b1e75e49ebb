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

}  // namespace
}  // namespace shadowctl::core::vss
