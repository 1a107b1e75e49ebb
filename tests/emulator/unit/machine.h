#pragma once

// A machine for the emulator's tests: a service in memory (or on a state file), and a
// requester walked to a given point of the documented call sequence.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "model.h"

namespace shadowctl::emulator::test {

// IVssAsync::Wait's INFINITE.
inline constexpr std::uint32_t kWaitForever = 0xFFFFFFFF;

namespace hr = core::hr;
using core::HResult;

// A requester walked to a given point of the documented call sequence.
struct Machine {
  Journal journal;
  Service service;
  explicit Machine(Scenario s = {}, std::string state_path = {},
                   MachineState initial = default_machine())
      : service(std::move(s), journal, std::move(state_path), std::move(initial)) {}

  static bool with_writers(long ctx) { return (ctx & attr::no_writers) == 0; }

  // InitializeForBackup, SetContext, and with writers SetBackupState(COPY) and
  // GatherWriterMetadata ("Shadow Copy Creation Details").
  std::unique_ptr<Requester> requester(long ctx = context::backup) {
    std::unique_ptr<Requester> r;
    EXPECT_EQ(service.create_backup_components(r), hr::s_ok);
    EXPECT_EQ(r->initialize_for_backup({}), hr::s_ok);
    if (ctx != context::backup) {
      EXPECT_EQ(r->set_context(ctx), hr::s_ok);
    }
    if (with_writers(ctx)) {
      EXPECT_EQ(r->set_backup_state(false, false, 5, false), hr::s_ok);
      EXPECT_EQ(finish([&](auto* a) { return r->gather_writer_metadata(a); }),
                hr::vss_s_async_finished);
    }
    return r;
  }
  // Then StartSnapshotSet, AddToSnapshotSet(C:\), and with writers PrepareForBackup.
  std::unique_ptr<Requester> prepared(long ctx = context::backup) {
    auto r = requester(ctx);
    std::string set, shadow;
    EXPECT_EQ(r->start_snapshot_set(&set), hr::s_ok);
    EXPECT_EQ(r->add_to_snapshot_set("C:\\", "", &shadow), hr::s_ok);
    if (with_writers(ctx)) {
      EXPECT_EQ(finish([&](auto* a) { return r->prepare_for_backup(a); }),
                hr::vss_s_async_finished);
    }
    return r;
  }
  template <typename Start>
  HResult finish(Start start) {
    std::shared_ptr<Async> a;
    const HResult started = start(&a);
    if (started != hr::s_ok) return started;
    a->wait(kWaitForever);
    HResult status = 0;
    a->query_status(&status);
    return status;
  }
  HResult snapshot(Requester& r) {
    return finish([&](auto* a) { return r.do_snapshot_set(a); });
  }
  HResult complete(Requester& r) {
    return finish([&](auto* a) { return r.backup_complete(a); });
  }
  std::size_t shadows() { return service.store().read().shadows.size(); }
};

// A service in memory and one requester fresh from CreateVssBackupComponents.
struct FreshRequester {
  Journal journal;
  Service service;
  std::unique_ptr<Requester> requester;
  explicit FreshRequester(Scenario s = {}) : service(std::move(s), journal) {
    service.create_backup_components(requester);
  }
};

}  // namespace shadowctl::emulator::test
