#include "session/preflight.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string_view>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/storage.h"
#include "core/text.h"
#include "core/vss.h"
#include "session/inventory.h"
#include "session/open.h"
#include "session/create.h"
#include "session/events.h"
#include "session/snapshot_set_guard.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace shadowctl::session {
namespace {

using core::CheckItem;
using core::CheckStatus;

class PreflightRun {
 public:
  explicit PreflightRun(const System& system) : system_(system) {}

  void ok(std::string name, std::string detail, std::string about = {}) {
    report_.checks.push_back(
        {std::move(name), CheckStatus::ok, std::move(detail), {}, {}, std::move(about)});
  }

  // A deep item that failed or warned with a run's failure (a trial create's): its detail,
  // remedy and writer are the failure's. It fails the run but does not stop the other deep
  // items: one volume's failed trial says nothing of the next.
  void failed(CheckStatus status, std::string name, std::string about, const core::Failure& f,
              core::ExitStatus strict_exit = core::ExitStatus::success) {
    core::Diagnosis d = core::diagnose_failure(f, system_.environment.system_message(f.hr));
    if (strict_exit != core::ExitStatus::success) d.exit = strict_exit;
    const std::string detail = f.detail + (f.undone.empty() ? "" : "; " + f.undone);
    if (status == CheckStatus::fail && !report_.first_failure) report_.first_failure = d;
    report_.checks.push_back(
        {std::move(name), status, detail.empty() ? d.meaning : detail, d.remedy, d, std::move(about)});
  }

  core::CheckReport& report() { return report_; }

  void problem(CheckStatus status, std::string name, std::string detail, core::HResult hr,
               std::string phase) {
    core::Diagnosis d = core::diagnose(hr, phase, system_.environment.system_message(hr));
    spdlog::debug("check {}: {} {} during {}", name, d.name, core::format_hresult(hr), phase);
    CheckItem item{std::move(name), status, std::move(detail), d.remedy, d};
    if (status == CheckStatus::fail) {
      blocked_ = true;
      if (!report_.first_failure) report_.first_failure = d;
    }
    report_.checks.push_back(std::move(item));
  }

  // --strict: the last check's warning fails the run with `exit`, and the checks after it
  // still run (a full shadow storage is no reason not to look at the writers).
  void fail_if_warned(core::ExitStatus exit) {
    CheckItem& last = report_.checks.back();
    if (last.status != CheckStatus::warn || !last.diagnosis) return;
    last.status = CheckStatus::fail;
    last.diagnosis->exit = exit;
    if (!report_.first_failure) report_.first_failure = last.diagnosis;
  }

  void fail(std::string name, std::string detail, core::HResult hr, std::string phase) {
    problem(CheckStatus::fail, std::move(name), std::move(detail), hr, std::move(phase));
  }

  void skip(std::string name, std::string why = "not run: an earlier check failed") {
    report_.checks.push_back({std::move(name), CheckStatus::skip, std::move(why), {}, {}});
  }

  // A failure that makes later checks meaningless (not a --strict one).
  bool any_failed() const { return blocked_; }
  core::CheckReport take() { return std::move(report_); }

 private:
  const System& system_;
  core::CheckReport report_;
  bool blocked_ = false;
};

void check_architecture(const System& system, PreflightRun& run) {
  const ArchitectureFacts a = system.environment.architecture();
  if (a.machine.empty()) {
    run.fail("architecture", "not running on Windows", core::hr::shadowctl_e_not_windows,
             "architecture");
  } else if (a.process != a.machine && a.process == "x86") {
    run.fail("architecture",
             fmt::format("32-bit ({}) process on 64-bit Windows ({}): use the x86_64 build",
                         a.process, a.machine),
             core::hr::shadowctl_e_wow64_process, "architecture");
  } else {
    run.ok("architecture", fmt::format("{} process on {} Windows", a.process, a.machine));
  }
}

void check_elevation(const System& system, PreflightRun& run) {
  const TokenFacts t = system.environment.token();
  if (t.error != 0) {
    run.fail("elevation", "the process token could not be read", t.error, "OpenProcessToken");
    return;
  }
  std::string groups = t.administrators && t.backup_operators ? "Administrators, Backup Operators"
                       : t.administrators                     ? "Administrators"
                       : t.backup_operators                   ? "Backup Operators"
                                                              : "";
  if (!t.elevated) {
    run.fail("elevation", "the process is not elevated", core::hr::error_elevation_required,
             "TokenElevation");
  } else if (groups.empty()) {
    run.fail("elevation", "elevated, but not a member of Administrators or Backup Operators",
             core::hr::e_accessdenied, "CheckTokenMembership");
  } else {
    run.ok("elevation", "elevated; member of " + groups);
  }
}

void check_privilege(const System& system, PreflightRun& run) {
  const PrivilegeFacts p = system.environment.enable_backup_privilege();
  if (!p.present) {
    run.fail("backup_privilege", "SeBackupPrivilege is not in the process token",
             p.error != 0 ? p.error : core::hr::error_privilege_not_held, "SeBackupPrivilege");
  } else if (!p.enabled) {
    run.fail("backup_privilege", "SeBackupPrivilege is present but could not be enabled",
             p.error != 0 ? p.error : core::hr::error_privilege_not_held, "AdjustTokenPrivileges");
  } else {
    run.ok("backup_privilege", p.was_enabled ? "SeBackupPrivilege present and enabled"
                                             : "SeBackupPrivilege present; enabled by shadowctl");
  }
}

const char* start_name(ServiceStart s) {
  switch (s) {
    case ServiceStart::automatic: return "automatic";
    case ServiceStart::manual: return "manual";
    case ServiceStart::disabled: return "disabled";
    case ServiceStart::unknown: break;
  }
  return "unknown";
}

void check_service(const System& system, PreflightRun& run) {
  const ServiceFacts s = system.environment.vss_service();
  if (s.error == core::hr::error_service_does_not_exist) {
    run.fail("vss_service", "the VSS service is not installed", s.error, "OpenService(VSS)");
  } else if (s.error != 0) {
    // Not being allowed to ask the service manager does not mean VSS cannot work.
    run.problem(CheckStatus::warn, "vss_service", "the VSS service's state could not be read",
                s.error, "OpenService(VSS)");
  } else if (s.start == ServiceStart::disabled) {
    run.fail("vss_service", "the VSS service is disabled", core::hr::error_service_disabled,
             "QueryServiceConfig(VSS)");
  } else {
    run.ok("vss_service",
           fmt::format("start type {}, {}", start_name(s.start),
                       s.running ? "running" : "stopped (VSS starts it on demand)"));
  }
}

void check_com(const System& system, PreflightRun& run) {
  const core::HResult com = system.vss.initialize_com();
  if (com == core::hr::rpc_e_too_late)
    run.problem(CheckStatus::warn, "com", "COM security was already set by this process", com,
                "CoInitializeSecurity");
  else if (core::failed(com))
    run.fail("com", "COM could not be initialised for VSS", com, "CoInitializeSecurity");
  else
    run.ok("com", "multithreaded; CoInitializeSecurity with packet privacy, identify (RPC_C_IMP_LEVEL_IDENTIFY)");
}

void check_vssapi(const System& system, PreflightRun& run) {
  const LibraryFacts lib = system.vss.load_vssapi();
  if (lib.error != 0)
    run.fail("vssapi", "vssapi.dll could not be used from System32", lib.error,
             "LoadLibraryExW(vssapi.dll)");
  else
    run.ok("vssapi", "loaded " + lib.path);
}

void check_backup_components(const System& system, PreflightRun& run) {
  std::unique_ptr<BackupComponents> components;
  const core::HResult created = system.vss.create_backup_components(components);
  if (core::failed(created) || !components) {
    run.fail("backup_components", "VSS could not create a backup object",
             core::failed(created) ? created : core::hr::e_pointer, "CreateVssBackupComponents");
    return;
  }
  const core::HResult initialised = components->initialize_for_backup();
  if (core::failed(initialised)) {
    run.fail("backup_components", "the backup object could not be initialised", initialised,
             "InitializeForBackup");
    return;
  }
  run.ok("backup_components", "CreateVssBackupComponents and InitializeForBackup succeeded");
}

// Runs one health probe; a probe that cannot run is a warning naming why, never a failure:
// the machine can still make shadow copies.
template <typename Probe>
void health(PreflightRun& run, const char* name, Probe&& probe) {
  try {
    probe();
  } catch (const core::Error& e) {
    run.problem(CheckStatus::warn, name, "could not be checked: " + e.failure().detail,
                e.failure().hr, e.failure().phase);
  }
}

void check_writers(const System& system, const WaitPolicy& wait, PreflightRun& run) {
  const auto writers = query_writers(system, wait);
  std::string failed;
  core::HResult first = 0;
  for (const auto& w : writers.status) {
    if (!core::vss::writer_state_failed(w.state)) continue;
    const auto state = core::vss::writer_state(w.state);
    failed += fmt::format("{}{} is {}", failed.empty() ? "" : "; ", w.name,
                          state ? state->name : std::string_view("failed"));
    if (!first) first = w.failure ? w.failure : core::hr::vss_e_unexpected_writer_error;
  }
  if (failed.empty())
    run.ok("writers", fmt::format("{} writers, none failed", writers.status.size()));
  else
    run.problem(CheckStatus::warn, "writers", failed, first, "GatherWriterStatus");
}

void check_storage(const System& system, const VolumeTable& volumes, PreflightRun& run) {
  std::string full;
  for (const auto& s : query_storage(system, volumes)) {
    if (s.maximum == 0 || s.used * 10 < s.maximum * 9) continue;
    full += fmt::format("{}{} uses {}% of its shadow storage maximum", full.empty() ? "" : "; ",
                        volumes.display_name_of(s.for_volume), s.used * 100 / s.maximum);
  }
  if (full.empty())
    run.ok("shadow_storage", "every volume below 90% of its shadow storage maximum");
  else
    run.problem(CheckStatus::warn, "shadow_storage",
                full + ": VSS deletes the oldest shadow copies to make room",
                core::hr::vss_e_insufficient_storage, "QueryDiffAreasForVolume");
}

// 512 shadow copies per volume, 64 of them client-accessible: warn at 90%.
void check_limits(const System& system, const VolumeTable& volumes, PreflightRun& run) {
  std::map<std::string, std::pair<long, long>> counts;  // all, client-accessible
  for (const auto& s : query_shadow_copies(system, volumes)) {
    auto& [all, client] = counts[s.original_volume];
    ++all;
    if (s.attributes & core::vss::attr::client_accessible) ++client;
  }
  std::string close_to_limit;
  for (const auto& [volume, count] : counts) {
    const auto [all, client] = count;
    if (all * 10 >= core::vss::kMaxShadowsPerVolume * 9)
      close_to_limit += fmt::format("{}{} has {} of {} shadow copies", close_to_limit.empty() ? "" : "; ",
                          volumes.display_name_of(volume), all, core::vss::kMaxShadowsPerVolume);
    else if (client * 10 >= core::vss::kMaxClientAccessiblePerVolume * 9)
      close_to_limit += fmt::format("{}{} has {} of {} client-accessible shadow copies",
                          close_to_limit.empty() ? "" : "; ", volumes.display_name_of(volume), client,
                          core::vss::kMaxClientAccessiblePerVolume);
  }
  if (close_to_limit.empty())
    run.ok("shadow_limits", "every volume below 90% of its shadow copy limits");
  else
    run.problem(CheckStatus::warn, "shadow_limits", close_to_limit,
                core::hr::vss_e_maximum_number_of_snapshots_reached, "Query");
}

// No VSS call reports a set in creation; StartSnapshotSet answers that one exists. The set
// this starts is empty and aborted at once (the guard calls AbortBackup): nothing is made.
void check_set_in_creation(const System& system, PreflightRun& run) {
  auto components = open_backup_components(system);
  std::string set_id;
  const core::HResult started = components->start_snapshot_set(set_id);
  if (started == core::hr::vss_e_snapshot_set_in_progress) {
    run.problem(CheckStatus::warn, "set_in_creation",
                "another snapshot set is being created on this machine", started,
                "StartSnapshotSet");
    return;
  }
  require(started, "StartSnapshotSet");
  SnapshotSetGuard guard(*components);
  guard.started(set_id);
  require(guard.undo().abort_hr, "AbortBackup");
  run.ok("set_in_creation", "no other snapshot set is being created");
}

// What a row's check is given: the machine, the phases' deadline, the options, and the
// volume table the health checks share (read once, by the first that needs it).
struct Checking {
  const System& system;
  const WaitPolicy& wait;
  const PreflightOptions& options;
  PreflightRun& run;
  std::optional<VolumeTable> volumes;
  const VolumeTable& volume_table() {
    if (!volumes) volumes = VolumeTable::read(system);
    return *volumes;
  }
  // The volumes the deep items are about: those asked for, else every local volume.
  std::vector<std::string> deep_volumes() {
    if (!options.volumes.empty()) return options.volumes;
    std::vector<std::string> names;
    for (const auto& v : volume_table().all()) names.push_back(v.name);
    return names;
  }
};

std::string seconds_since(std::chrono::steady_clock::time_point start) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  return fmt::format("{}.{:02} s", ms / 1000, ms % 1000 / 10);
}

// A shadow copy of each volume, writer-less and non-persistent (VSS_CTX_FILE_SHARE_BACKUP),
// made through create's own flow and deleted at once by it: what tonight's backup of the
// volume needs from the provider and the shadow storage, without a writer's freeze.
void check_trial_copies(Checking& c) {
  const VolumeTable& table = c.volume_table();
  for (const std::string& name : c.deep_volumes()) {
    const std::string shown = table.display_name_of(name);
    CreateRequest request;
    request.volumes = {name};
    request.context = core::vss::context::file_share_backup;
    request.keep = false;
    const auto start = std::chrono::steady_clock::now();
    try {
      create_snapshot_set(c.system, table, request, c.wait);
      c.run.ok("trial_copy",
               fmt::format("{}: a writer-less, non-persistent shadow copy made and deleted in {}",
                           shown, seconds_since(start)),
               shown);
    } catch (const core::Error& e) {
      c.run.failed(CheckStatus::fail, "trial_copy", shown, e.failure());
    }
  }
}

// One set of every volume with the writers (VSS_CTX_BACKUP, non-persistent; backup type
// copy, so that no writer truncates a log or records a backup), and each writer's state
// after the freeze, gathered while they wait for BackupComplete.
void check_trial_writers(Checking& c) {
  if (!c.options.trial_writers) {
    c.run.skip("trial_writers",
               "not run: it freezes every writer for a moment; `shadowctl check --deep "
               "--writers` runs it");
    return;
  }
  const VolumeTable& table = c.volume_table();
  CreateRequest request;
  request.volumes = c.deep_volumes();
  request.context = core::vss::context::backup;
  request.backup_type = core::vss::backup_type::copy;
  request.keep = false;
  std::vector<core::WriterStatus> after;
  request.use = [&](BackupComponents& components, const CreatedSet&) {
    Async op;
    require(components.gather_writer_status(op), "GatherWriterStatus");
    require(await_phase(*op, "GatherWriterStatus", c.wait), "GatherWriterStatus");
    require(components.writer_status(after), "GetWriterStatus");
    require(components.free_writer_status(), "FreeWriterStatus");
    return true;
  };
  const auto start = std::chrono::steady_clock::now();
  try {
    create_snapshot_set(c.system, table, request, c.wait);
    std::map<std::string, int> by_state;
    for (const auto& w : after) {
      const auto state = core::vss::writer_state(w.state);
      ++by_state[state ? std::string(state->name) : fmt::format("state {}", w.state)];
    }
    std::string states;
    for (const auto& [state, n] : by_state)
      states += fmt::format("{}{} {}", states.empty() ? "" : ", ", n, state);
    c.run.ok("trial_writers",
             fmt::format("{} took part in a trial of {} (copy backup type) in {}; after the "
                         "freeze: {}",
                         core::counted(after.size(), "writer", "writers"),
                         core::counted(request.volumes.size(), "volume", "volumes"),
                         seconds_since(start), states.empty() ? "none reported" : states));
  } catch (const core::Error& e) {
    c.run.failed(CheckStatus::fail, "trial_writers", {}, e.failure());
  }
}

// What each volume's shadow storage can still take: what is left of its maximum, but no
// more than the free space of the volume it is stored on (plus what it holds unused).
void check_headroom(Checking& c) {
  const VolumeTable& table = c.volume_table();
  const auto wanted = c.deep_volumes();
  bool any = false;
  for (const auto& s : query_storage(c.system, table)) {
    if (std::find(wanted.begin(), wanted.end(), s.for_volume) == wanted.end()) continue;
    any = true;
    const std::string shown = table.display_name_of(s.for_volume);
    const std::string on = table.display_name_of(s.on_volume);
    const std::uint64_t free = c.system.environment.volume_free_space(s.on_volume);
    const std::uint64_t unused = s.allocated > s.used ? s.allocated - s.used : 0;
    const std::uint64_t of_maximum =
        s.maximum == 0 ? UINT64_MAX : (s.maximum > s.used ? s.maximum - s.used : 0);
    const std::uint64_t room = free == 0 ? of_maximum : std::min(of_maximum, free + unused);
    const std::string maximum = s.maximum == 0 ? "no maximum" : core::human_bytes(s.maximum) + " maximum";
    std::string detail = fmt::format("{}: {} used of {} on {}", shown, core::human_bytes(s.used),
                                     maximum, on);
    detail += free == 0 ? " (its free space could not be read)"
                        : fmt::format(", which has {} free", core::human_bytes(free));
    if (room < core::kShadowStorageMinimum) {
      core::Failure f{core::hr::vss_e_insufficient_storage, "QueryDiffAreasForVolume",
                      detail + fmt::format(": room for {} of changes, less than the {} a new "
                                           "shadow copy's storage starts at",
                                           core::human_bytes(room),
                                           core::human_bytes(core::kShadowStorageMinimum))};
      f.volume = s.for_volume;
      f.remedy = "Make room: `shadowctl delete --volume " + shown +
                 " --oldest`, `shadowctl prune`, or `shadowctl storage resize --for " + shown +
                 " --max 20%` (and free space on " + on + ")";
      c.run.failed(CheckStatus::warn, "storage_headroom", shown, f);
      if (c.options.strict) c.run.fail_if_warned(core::ExitStatus::limit_reached);
    } else if (free != 0 && free + unused < of_maximum) {
      core::Failure f{core::hr::vss_e_insufficient_storage, "GetDiskFreeSpaceExW",
                      detail + fmt::format(": {} can hold only {} more, short of the maximum",
                                           on, core::human_bytes(free + unused))};
      f.volume = s.for_volume;
      f.remedy = "Free space on " + on + ", or move the shadow storage of " + shown +
                 " to a volume with room (`shadowctl storage add --for " + shown + " --on D:`)";
      c.run.failed(CheckStatus::warn, "storage_headroom", shown, f);
      if (c.options.strict) c.run.fail_if_warned(core::ExitStatus::limit_reached);
    } else {
      c.run.ok("storage_headroom",
               detail + fmt::format(": room for {} of changes",
                                    room == UINT64_MAX ? std::string("any amount")
                                                       : core::human_bytes(room)),
               shown);
    }
  }
  if (!any)
    c.run.ok("storage_headroom",
             "no shadow storage yet: VSS makes it with the first shadow copy of a volume");
}

// The VSS, volsnap and writer events since `events_since_unix_us`: a warning when any is an
// error; a log that cannot be read (Wine) is a skip with its reason, never a failure.
void check_events(Checking& c) {
  core::CheckReport& report = c.run.report();
  report.events_since_unix_us = c.options.events_since_unix_us;
  EventReading reading = read_events(c.system.environment, {c.options.events_since_unix_us, {}},
                                     kEventsBesideFailureBound);
  if (!reading.any_read) {
    c.run.skip("events", "not read: " + reading.unread);
    return;
  }
  std::map<std::string, int> errors;
  std::size_t error_count = 0;
  core::HResult first = 0;
  for (const auto& e : reading.events) {
    if (e.level != 1 && e.level != 2) continue;
    ++errors[fmt::format("{} {}", e.source, e.id)];
    ++error_count;
    if (!first) {
      const auto codes = core::event_hresults(e);
      first = codes.empty() ? core::hr::vss_e_unexpected : codes.front();
    }
  }
  const std::size_t n = reading.events.size();
  report.events = std::move(reading.events);
  report.events_read = true;
  if (errors.empty()) {
    c.run.ok("events", fmt::format("{} from VSS, volsnap or the writers, none an error{}",
                                   core::counted(n, "event", "events"),
                                   reading.unread.empty() ? "" : " (" + reading.unread + ")"));
    return;
  }
  std::string which;
  for (const auto& [event, count] : errors)
    which += fmt::format("{}{}{}", which.empty() ? "" : ", ", event,
                         count > 1 ? fmt::format(" (x{})", count) : "");
  core::Failure f{first, "event log",
                  fmt::format("{} logged: {}", core::counted(error_count, "error", "errors"), which)};
  f.remedy =
      "Read each event (`shadowctl events` lists them; `shadowctl explain --event ID` explains "
      "one)";
  c.run.failed(CheckStatus::warn, "events", {}, f);
}

// When a check runs. Every environment check runs; a failure there skips every later stage
// (SeBackupPrivilege and the rest come before any VSS call: a requester that skips them only
// meets the same problem later, as a vaguer code). Each VSS check needs the ones before it.
// A health probe that cannot run is a warning, never a failure: the machine can still make
// shadow copies.
// The deep items run only with --deep, whatever failed before them among themselves; the
// events too, even when VSS itself failed: they may say why.
enum class Stage { environment, vss, health, deep, deep_always };

// One check: its name as reports and scripts know it, its stage, how it runs, and the exit
// code its warning fails a --strict check with (success: a warning never fails it).
struct CheckRow {
  std::string_view name;
  Stage stage;
  void (*run)(Checking&);
  core::ExitStatus strict_exit = core::ExitStatus::success;
};

constexpr CheckRow kChecks[] = {
    {"architecture", Stage::environment, [](Checking& c) { check_architecture(c.system, c.run); }},
    {"elevation", Stage::environment, [](Checking& c) { check_elevation(c.system, c.run); }},
    {"backup_privilege", Stage::environment, [](Checking& c) { check_privilege(c.system, c.run); }},
    {"vss_service", Stage::environment, [](Checking& c) { check_service(c.system, c.run); }},
    {"com", Stage::vss, [](Checking& c) { check_com(c.system, c.run); }},
    {"vssapi", Stage::vss, [](Checking& c) { check_vssapi(c.system, c.run); }},
    {"backup_components", Stage::vss,
     [](Checking& c) { check_backup_components(c.system, c.run); }},
    {"writers", Stage::health, [](Checking& c) { check_writers(c.system, c.wait, c.run); },
     core::ExitStatus::writer_failure},
    {"shadow_storage", Stage::health,
     [](Checking& c) { check_storage(c.system, c.volume_table(), c.run); },
     core::ExitStatus::limit_reached},
    {"shadow_limits", Stage::health,
     [](Checking& c) { check_limits(c.system, c.volume_table(), c.run); },
     core::ExitStatus::limit_reached},
    // StartSnapshotSet takes the machine's one set-in-creation slot: a backup starting at
    // that moment would fail with VSS_E_SNAPSHOT_SET_IN_PROGRESS, so only a deep check asks.
    {"set_in_creation", Stage::health,
     [](Checking& c) {
       if (c.options.deep)
         check_set_in_creation(c.system, c.run);
       else
         c.run.skip("set_in_creation",
                    "not run: it takes the machine's one set-in-creation slot for a moment; "
                    "`shadowctl check --deep` runs it");
     }},
    {"trial_copy", Stage::deep, check_trial_copies},
    {"trial_writers", Stage::deep, check_trial_writers, core::ExitStatus::writer_failure},
    {"storage_headroom", Stage::deep, check_headroom},
    {"events", Stage::deep_always, check_events},
};

}  // namespace

core::CheckReport run_preflight(const System& system, const WaitPolicy& wait,
                                const PreflightOptions& options) {
  PreflightRun run(system);
  Checking checking{system, wait, options, run, std::nullopt};
  for (const CheckRow& row : kChecks) {
    const std::string name(row.name);
    const bool deep = row.stage == Stage::deep || row.stage == Stage::deep_always;
    if (deep && !options.deep) continue;  // not listed: plain check is what it always was
    if (row.stage != Stage::environment && row.stage != Stage::deep_always && run.any_failed()) {
      run.skip(name);  // an earlier stage, or an earlier VSS check, failed
      continue;
    }
    if (row.stage == Stage::health || deep)
      health(run, name.c_str(), [&] { row.run(checking); });
    else
      row.run(checking);
    if (options.strict && row.strict_exit != core::ExitStatus::success)
      run.fail_if_warned(row.strict_exit);
  }
  return run.take();
}

}  // namespace shadowctl::session
