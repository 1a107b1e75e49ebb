// The in-process machine as the session layer sees it.
#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "sim_backend.h"

namespace shadowctl::emulator {
namespace {

using namespace std::chrono_literals;

TEST(SimBackend, AnAsyncOperationOutlivesTheObjectThatStartedIt) {
  SimBackend machine;
  session::Async gathering;
  {
    std::unique_ptr<session::BackupComponents> c;
    ASSERT_EQ(machine.create_backup_components(c), core::hr::s_ok);
    ASSERT_EQ(c->initialize_for_backup(), core::hr::s_ok);
    ASSERT_EQ(c->gather_writer_metadata(gathering), core::hr::s_ok);
  }  // released first, as a requester may
  EXPECT_EQ(gathering->wait(10s), core::hr::vss_s_async_finished);
  const auto m = machine.journal().methods();
  EXPECT_EQ(m.back(), "GatherWriterMetadata:complete");
  gathering.reset();
  EXPECT_EQ(machine.journal().methods().back(), "Release") << "released with its last operation";
}

}  // namespace
}  // namespace shadowctl::emulator
