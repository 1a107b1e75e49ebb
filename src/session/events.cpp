#include "session/events.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"

namespace shadowctl::session {

namespace {

// `abandoned`: the caller stopped waiting; no further log is asked (the one being asked
// answers into nothing), so a late reader does not outlive what it reads through by more
// than the call it is in.
EventReading read_now(EventLog& log, const core::EventFilter& filter,
                      const std::function<bool()>& abandoned) {
  EventReading reading;
  for (std::string_view name : core::kEventLogs) {
    if (abandoned()) break;
    std::vector<RenderedEvent> rendered;
    const core::HResult hr =
        log.query_events(std::string(name), core::event_query(name, filter),
                         core::kMostEventsPerLog, rendered);
    if (core::failed(hr)) {
      const core::Diagnosis d = core::diagnose(hr);
      reading.unread += fmt::format("{}the {} log could not be read ({}: {})",
                                    reading.unread.empty() ? "" : "; ", name, d.name, d.meaning);
      if (!reading.error) reading.error = hr;
      continue;
    }
    reading.any_read = true;
    for (const RenderedEvent& r : rendered) {
      auto event = core::parse_event_xml(r.xml);
      if (!event) continue;  // not an event as EvtRender writes one: nothing to report of it
      if (event->log.empty()) event->log = std::string(name);
      event->message = r.message;
      reading.events.push_back(std::move(*event));
    }
  }
  std::stable_sort(reading.events.begin(), reading.events.end(),
                   [](const core::LoggedEvent& a, const core::LoggedEvent& b) {
                     return a.time_unix_us < b.time_unix_us;
                   });
  return reading;
}

}  // namespace

EventReading read_events(EventLog& log, const core::EventFilter& filter,
                         std::chrono::milliseconds bound) {
  // The read runs on a thread of its own so that a log that does not answer costs the run
  // `bound` at most; a read still running then finishes into state nobody looks at again.
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<EventReading> reading;
    bool abandoned = false;
  };
  auto shared = std::make_shared<Shared>();
  std::thread([shared, &log, filter] {
    EventReading r = read_now(log, filter, [&shared] {
      std::lock_guard lock(shared->mutex);
      return shared->abandoned;
    });
    std::lock_guard lock(shared->mutex);
    shared->reading = std::move(r);
    shared->done.notify_all();
  }).detach();
  std::unique_lock lock(shared->mutex);
  if (!shared->done.wait_for(lock, bound, [&] { return shared->reading.has_value(); })) {
    shared->abandoned = true;
    EventReading late;
    late.error = core::hr::error_timeout;
    late.unread = fmt::format("the event log did not answer within {} ms",
                              std::chrono::duration_cast<std::chrono::milliseconds>(bound).count());
    return late;
  }
  return std::move(*shared->reading);
}

bool is_vss_failure(const core::Diagnosis& d) {
  using core::ExitStatus;
  // A command line refused, an object that is not there, a run the user stopped or a
  // program that could not start: no event explains those.
  if (d.exit == ExitStatus::usage || d.exit == ExitStatus::not_found ||
      d.exit == ExitStatus::interrupted || d.exit == ExitStatus::command_not_run ||
      d.hr == core::hr::shadowctl_e_not_confirmed)
    return false;
  // VSS's own codes (FACILITY_ITF 0x2300-0x25FF: VSS_E_*, the writer errors, ASR's).
  if (core::failed(d.hr) && core::facility_of(d.hr) == 4 && (d.hr & 0xFFFFu) >= 0x2300 &&
      (d.hr & 0xFFFFu) < 0x2600)
    return true;
  // The service unreachable, a writer failed, a phase out of time, the machine busy with
  // another set, or at a limit: what the service and the writers log about.
  if (d.exit == ExitStatus::vss_unavailable || d.exit == ExitStatus::writer_failure ||
      d.exit == ExitStatus::timeout || d.exit == ExitStatus::busy ||
      d.exit == ExitStatus::limit_reached)
    return true;
  // Any other code from a VSS call (E_ACCESSDENIED from GatherWriterMetadata, E_OUTOFMEMORY
  // from DoSnapshotSet); not from a file the tool reads or writes, the Task Scheduler or the
  // event log itself.
  static constexpr std::string_view kVssCalls[] = {
      "IVss", "CreateVssBackupComponents", "InitializeForBackup", "SetContext",
      "SetBackupState", "StartSnapshotSet", "AddToSnapshotSet", "PrepareForBackup",
      "DoSnapshotSet", "BackupComplete", "AbortBackup", "GatherWriter", "GetWriter",
      "FreeWriter", "Query", "DeleteSnapshots", "ExposeSnapshot", "UnexposeSnapshot",
      "GetSnapshotProperties", "IsVolumeSupported", "IsVolumeSnapshotted", "AddDiffArea",
      "ChangeDiffAreaMaximumSize", "AddComponent", "SetBackupSucceeded", "SetBackupOptions",
      "SaveAsXML", "DisableWriter", "EnableWriter", "writer "};
  return std::any_of(std::begin(kVssCalls), std::end(kVssCalls),
                     [&](std::string_view call) { return d.phase.starts_with(call); });
}

void add_events(core::Diagnosis& d, EventLog& log, std::int64_t run_started_unix_us) {
  constexpr std::int64_t kMinuteUs = 60'000'000;
  const core::EventFilter filter{run_started_unix_us - run_started_unix_us % kMinuteUs, {}};
  EventReading reading = read_events(log, filter, kEventsBesideFailureBound);
  if (!reading.unread.empty()) spdlog::info("events: {}", reading.unread);
  d.events_unread = std::move(reading.unread);
  if (reading.any_read) d.events = std::move(reading.events);
}

}  // namespace shadowctl::session
