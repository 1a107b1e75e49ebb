#include "session/restore.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/text.h"
#include "session/inventory.h"
#include "session/privilege.h"
#include "session/shadow_files.h"

namespace shadowctl::session {
namespace {

using core::RestoreAction;
using core::RestoreItem;
using core::RestoreState;

core::Error refusal(const std::string& detail, core::HResult hr = core::hr::shadowctl_e_usage) {
  return core::Error({hr, "restore", detail});
}

std::string join(const std::string& folder, const std::string& name) {
  return folder.back() == '\\' ? folder + name : folder + "\\" + name;
}

// Whether `path` is `folder` or lies below it, whatever the case.
bool within(const std::string& path, std::string folder) {
  if (folder.empty()) return false;
  if (folder.back() != '\\') folder += '\\';
  const std::string p = lower_ascii(path) + (path.back() == '\\' ? "" : "\\");
  return p.rfind(lower_ascii(folder), 0) == 0;
}

// The copy PATH is read from: the one named, else the newest of its volume (made before
// `before` when given). `all` is newest first.
const core::ShadowCopy& copy_for(const std::vector<core::ShadowCopy>& all,
                                 const core::Volume& volume, const RestoreRequest& request,
                                 const std::string& path) {
  if (request.from != "latest") {
    const auto id = core::parse_guid(request.from);
    if (!id) throw refusal("'" + request.from + "' is neither a shadow copy id nor \"latest\"");
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const auto& s) { return same_ignoring_case(s.id, *id); });
    if (it == all.end())
      throw core::Error({core::hr::vss_e_object_not_found, "shadow copy",
                         "no shadow copy has the id " + request.from});
    if (!same_ignoring_case(it->original_volume, volume.name))
      throw refusal("the shadow copy " + it->id + " is of " + core::display_volume(*it) +
                    ", and '" + path + "' is on " + core::display_name(volume));
    return *it;
  }
  for (const auto& s : all)
    if (same_ignoring_case(s.original_volume, volume.name) &&
        (!request.before_unix_us || s.created_unix_us < *request.before_unix_us))
      return s;
  throw core::Error({core::hr::vss_e_object_not_found, "shadow copy",
                     "no shadow copy of " + core::display_name(volume) +
                         (request.before_unix_us ? " was made before the time given" : " exists")});
}

// The entry `name` of `folder` whatever its case; nullopt when the folder has none or is
// not there. Throws for any other failure to list it.
std::optional<core::FileEntry> entry_in(Environment& environment, const std::string& folder,
                                        const std::string& name) {
  std::vector<core::FileEntry> entries;
  const core::HResult hr = environment.list_folder(folder, entries);
  if (hr == core::hr::error_path_not_found || hr == core::hr::error_file_not_found) return {};
  if (core::failed(hr)) throw core::Error({hr, "FindFirstFileExW", "cannot list " + folder});
  for (auto& e : entries)
    if (same_ignoring_case(e.name, name)) return std::move(e);
  return {};
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('\\');
  return slash <= 2 ? path.substr(0, 3) : path.substr(0, slash);
}

// Walks the copy and decides what happens to each file and folder.
class Planner {
 public:
  Planner(Environment& environment, const RestoreRequest& request, core::RestoreReport& report)
      : environment_(environment), request_(request), report_(report) {}

  // `existing`: what is at the destination now.
  void add(const std::string& path, const std::string& source, const std::string& destination,
           const core::FileEntry& entry, const std::optional<core::FileEntry>& existing) {
    RestoreItem item;
    item.path = path;
    item.source = source;
    item.destination = destination;
    item.entry = entry;
    // Two names Windows cannot hold side by side (a copy from a case-sensitive folder, or
    // two PATHs of the same name): the first goes, the second is said.
    if (!planned_.insert(lower_ascii(destination)).second) {
      skip(item,
           "another file or folder of the copy is restored to the same name, whatever "
           "its case: Windows cannot hold both");
      return;
    }
    if (entry.is_reparse_point()) {
      skip(item,
           "a link (junction, symbolic link or mount point) in the copy: never followed, "
           "not restored");
      return;
    }
    if (existing && existing->is_reparse_point()) {
      skip(item, "a link is at the destination: never followed, not replaced");
      return;
    }
    if (entry.is_folder()) {
      add_folder(std::move(item), existing);
      return;
    }
    if (existing && existing->is_folder()) {
      conflict(item, "a folder is at the destination");
      return;
    }
    if (existing) {
      if (request_.in_place) {
        if (existing->size == entry.size && existing->written_unix_us == entry.written_unix_us) {
          skip(item, "unchanged since the copy was made (same size and last-write time)");
          return;
        }
        item.action = RestoreAction::replace;
        item.reason = "the current file differs";
        if (request_.keep_current) item.kept_as = kept_name(destination, request_.now_unix_us);
      } else if (request_.existing == WhenExisting::overwrite) {
        item.action = RestoreAction::replace;
        item.reason = "a file is there (--overwrite)";
      } else if (request_.existing == WhenExisting::skip) {
        skip(item, "a file is there (--skip-existing)");
        return;
      } else {
        conflict(item, "a file is there");
        return;
      }
    }
    ++report_.files;
    report_.bytes += entry.size;
    report_.items.push_back(std::move(item));
  }

  const std::vector<std::string>& conflicts() const { return conflicts_; }

 private:
  void add_folder(RestoreItem item, const std::optional<core::FileEntry>& existing) {
    item.action = existing ? RestoreAction::merge : RestoreAction::create;
    if (!existing) ++report_.folders;
    const std::string source = item.source;
    const std::string destination = item.destination;
    const std::string path = item.path;
    const std::size_t at = report_.items.size();
    report_.items.push_back(std::move(item));

    std::vector<core::FileEntry> children;
    const core::HResult hr = environment_.list_folder(source, children);
    if (core::failed(hr)) {
      report_.items[at].state = RestoreState::failed;
      report_.items[at].error = hr;
      ++report_.failed;
      return;
    }
    std::map<std::string, core::FileEntry> there;  // by lower-case name
    if (existing) {
      std::vector<core::FileEntry> entries;
      environment_.list_folder(destination, entries);
      for (auto& e : entries) there.emplace(lower_ascii(e.name), std::move(e));
    }
    std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
      return lower_ascii(a.name) < lower_ascii(b.name) ||
             (lower_ascii(a.name) == lower_ascii(b.name) && a.name < b.name);
    });
    for (const auto& child : children) {
      const auto found = there.find(lower_ascii(child.name));
      add(join(path, child.name), join(source, child.name), join(destination, child.name), child,
          found == there.end() ? std::nullopt : std::optional(found->second));
    }
  }

  void skip(RestoreItem& item, std::string reason) {
    item.action = RestoreAction::skip;
    item.reason = std::move(reason);
    ++report_.skipped;
    report_.items.push_back(std::move(item));
  }

  // Something is at the destination and nothing was said about it: in a dry run or with
  // --skip-existing it is a skip; otherwise the whole restore is refused, naming it.
  void conflict(RestoreItem& item, const std::string& what) {
    if (request_.existing != WhenExisting::skip) conflicts_.push_back(item.destination);
    skip(item, what + (request_.existing == WhenExisting::skip ? " (--skip-existing)" : ""));
  }

  Environment& environment_;
  const RestoreRequest& request_;
  core::RestoreReport& report_;
  std::set<std::string> planned_;
  std::vector<std::string> conflicts_;
};

// Which side of a copy failed: a file that cannot be read is that file's failure; a
// destination that cannot be written stops the run (the next file would fail the same way).
struct CopyResult {
  core::HResult hr = 0;
  bool stops = false;
};

class Copier {
 public:
  Copier(Environment& environment, const CancelToken& cancel, const ShowRestoreProgress& progress,
         RestoreProgress& done)
      : environment_(environment),
        cancel_(cancel),
        progress_(progress),
        done_(done),
        buffer_(1 << 20) {}

  CopyResult copy(const RestoreItem& item) {
    std::unique_ptr<FileReader> reader;
    // SeBackupPrivilege only around the open: access is checked there, and nothing written
    // to the destination is ever done with it.
    environment_.enable_backup_privilege();
    core::HResult hr = environment_.open_to_read(item.source, reader);
    environment_.restore_backup_privilege();
    if (core::failed(hr)) return {hr, false};
    std::unique_ptr<FileWriter> writer;
    if (hr = environment_.create_file(item.destination, writer); core::failed(hr))
      return {hr, !exists_error(hr)};
    for (;;) {
      if (cancel_.requested()) return {core::hr::error_cancelled, true};
      std::size_t got = 0;
      if (hr = reader->read(buffer_.data(), buffer_.size(), got); core::failed(hr))
        return {hr, false};
      if (got == 0) break;
      if (hr = writer->write(buffer_.data(), got); core::failed(hr)) return {hr, true};
      done_.bytes += got;
      if (progress_) progress_(done_);
    }
    // In place, the current file steps aside only once the old version is whole beside it,
    // and comes back if the old version cannot take its place.
    if (!item.kept_as.empty()) {
      if (hr = environment_.rename_file(item.destination, item.kept_as); core::failed(hr))
        return {hr, true};
    }
    const bool replace = item.action == RestoreAction::replace && item.kept_as.empty();
    if (hr = writer->finish(item.entry, replace); core::failed(hr)) {
      if (!item.kept_as.empty()) environment_.rename_file(item.kept_as, item.destination);
      return {hr, !exists_error(hr)};
    }
    ++done_.files;
    if (progress_) progress_(done_);
    return {};
  }

 private:
  // Something appeared at the destination after the plan: that file's failure alone.
  static bool exists_error(core::HResult hr) {
    return hr == core::hr::error_file_exists || hr == core::hr::error_already_exists;
  }

  Environment& environment_;
  const CancelToken& cancel_;
  const ShowRestoreProgress& progress_;
  RestoreProgress& done_;
  std::vector<char> buffer_;
};

std::string conflict_text(const std::vector<std::string>& conflicts) {
  std::string named;
  for (std::size_t i = 0; i < conflicts.size() && i < 5; ++i)
    named += (i ? ", " : "") + conflicts[i];
  if (conflicts.size() > 5) named += fmt::format(" and {} more", conflicts.size() - 5);
  return fmt::format(
      "{} already there, and restore replaces nothing unless told: {}; pass "
      "--overwrite or --skip-existing, or restore --to another folder (--dry-run "
      "lists every file)",
      conflicts.size() == 1 ? "one file or folder is"
                            : fmt::format("{} files or folders are", conflicts.size()),
      named);
}

}  // namespace

std::string kept_name(const std::string& path, std::int64_t now_unix_us) {
  using namespace std::chrono;
  const sys_seconds t = floor<seconds>(sys_time<microseconds>(microseconds(now_unix_us)));
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss clock{t - day};
  return fmt::format("{}.shadowctl-{:04}{:02}{:02}T{:02}{:02}{:02}Z", path, int(date.year()),
                     unsigned(date.month()), unsigned(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count());
}

core::RestoreReport restore_files(const System& system, const VolumeTable& volumes,
                                  const RestoreRequest& request, const ConfirmRestore& confirm,
                                  const CancelToken& cancel, const ShowRestoreProgress& progress) {
  Environment& environment = system.environment;
  core::RestoreReport report;
  report.destination = request.in_place ? "" : without_trailing_backslash(request.destination);
  report.in_place = request.in_place;
  report.dry_run = request.dry_run;

  // Every PATH is checked before anything is listed.
  std::vector<const core::Volume*> path_volumes;
  for (const auto& path : request.paths) path_volumes.push_back(&volume_of(volumes, path));
  const auto copies = query_shadow_copies(system, volumes);

  // The destination: never a shadow copy, through its device path or an exposure.
  if (!request.in_place) {
    const std::string& dest = report.destination;
    const bool absolute =
        (dest.size() >= 3 && dest[1] == ':' && dest[2] == '\\') || dest.rfind("\\\\", 0) == 0;
    if (!absolute) throw refusal("--to '" + dest + "' is not an absolute folder");
    if (within(dest, "\\\\?\\GLOBALROOT\\"))
      throw refusal("--to '" + dest + "' is inside a shadow copy, which is read-only");
    for (const auto& s : copies) {
      const std::string exposure =
          s.exposed_name.size() == 2 ? s.exposed_name + "\\" : s.exposed_name;
      if (within(dest, s.device_path) || within(dest, exposure))
        throw refusal("--to '" + dest + "' is inside the shadow copy " + s.id + " (exposed at " +
                      s.exposed_name + "), which is read-only");
    }
  }

  // The plan: each PATH in its copy, and what is at its destination now.
  Planner planner(environment, request, report);
  std::optional<FolderFacts> destination_facts;
  if (!request.in_place) {
    const PrivilegeSetAside aside(environment);  // the user's own folder, with the user's rights
    destination_facts = environment.examine_folder(report.destination);
    if (!destination_facts->error &&
        (!destination_facts->directory || destination_facts->reparse_point))
      throw refusal("--to '" + report.destination + "' is " +
                    (destination_facts->reparse_point ? "a link" : "a file") +
                    ", not a folder: restore writes into a folder, never through a link");
    if (destination_facts->error && destination_facts->error != core::hr::error_path_not_found &&
        destination_facts->error != core::hr::error_file_not_found)
      throw core::Error({destination_facts->error, "restore",
                         "cannot examine --to '" + report.destination + "'"});
  }
  const bool make_destination = destination_facts && destination_facts->error;
  for (std::size_t i = 0; i < request.paths.size(); ++i) {
    const core::Volume& volume = *path_volumes[i];
    const std::string path = without_trailing_backslash(request.paths[i]);
    const core::ShadowCopy& copy = copy_for(copies, volume, request, path);
    const std::string source = inside(copy, volume, path);
    report.sources.push_back({path, copy.id, copy.created_unix_us, source});
    const bool root = path.size() == 3;
    core::FileEntry entry;
    if (root) {
      entry.attributes = core::file_attr::directory;
    } else {
      const auto slash = path.rfind('\\');
      auto found =
          entry_in(environment, inside(copy, volume, folder_of(path)), path.substr(slash + 1));
      if (!found)
        throw core::Error({core::hr::error_file_not_found, "restore",
                           "'" + path + "' is not in the shadow copy " + copy.id});
      entry = std::move(*found);
    }
    const std::string name = root ? "" : entry.name;
    const std::string destination =
        request.in_place ? path : (root ? report.destination : join(report.destination, name));
    std::optional<core::FileEntry> existing;
    if (request.in_place || root) {
      if (root) {
        existing = core::FileEntry{};
        existing->attributes = core::file_attr::directory;
        if (make_destination) existing.reset();
      } else {
        existing = entry_in(environment, folder_of(path), entry.name);
      }
    } else if (!make_destination) {
      existing = entry_in(environment, report.destination, name);
    }
    planner.add(path, source, destination, entry, existing);
  }
  if (!planner.conflicts().empty() && !request.dry_run)
    throw refusal(conflict_text(planner.conflicts()), core::hr::error_file_exists);
  if (request.dry_run) return report;

  if (request.in_place && !request.yes) {
    if (!confirm)
      throw refusal(
          "an in-place restore replaces files at their own paths: add --yes to "
          "confirm it where no one can answer a prompt");
    const std::string question = fmt::format(
        "Put back {}, {} bytes, from the shadow copy at their own paths{}?",
        core::counted(report.files, "file", "files"), report.bytes,
        request.keep_current ? ", keeping each current file as NAME.shadowctl-TIMESTAMP"
                             : ", replacing the current files (--no-backup)");
    if (!confirm(question))
      throw refusal("the in-place restore was not confirmed: nothing written",
                    core::hr::shadowctl_e_not_confirmed);
  }

  // The writing, with the user's own rights: SeBackupPrivilege only around each read.
  const PrivilegeSetAside aside(environment);
  RestoreProgress done{0, report.files, 0, report.bytes};
  Copier copier(environment, cancel, progress, done);
  std::vector<const RestoreItem*> made;  // folders to stamp once their contents are in
  auto stop = [&](core::HResult hr, const std::string& detail) {
    report.stopped = core::Failure{hr, "restore", detail};
  };
  if (make_destination) {
    if (const core::HResult hr = environment.make_folder(report.destination); core::failed(hr))
      throw core::Error({hr, "CreateDirectoryW", "cannot make --to '" + report.destination + "'"});
  }
  for (auto& item : report.items) {
    if (item.state != RestoreState::planned) continue;
    if (cancel.requested()) {
      stop(core::hr::error_cancelled, "stopped by Ctrl+C");
      break;
    }
    if (item.action == RestoreAction::skip || item.action == RestoreAction::merge) {
      item.state = RestoreState::done;
      continue;
    }
    if (item.entry.is_folder()) {
      core::HResult hr = environment.make_folder(item.destination);
      if (hr == core::hr::error_already_exists) {  // made since the plan (--to itself, too)
        const FolderFacts there = environment.examine_folder(item.destination);
        if (!there.error && there.directory && !there.reparse_point) hr = 0;
      }
      if (core::failed(hr)) {
        item.state = RestoreState::failed;
        item.error = hr;
        ++report.failed;
        stop(hr, "cannot make the folder " + item.destination);
        break;
      }
      item.state = RestoreState::done;
      made.push_back(&item);
      continue;
    }
    const CopyResult result = copier.copy(item);
    if (core::failed(result.hr)) {
      item.state = RestoreState::failed;
      item.error = result.hr;
      ++report.failed;
      if (result.stops) {
        stop(result.hr, result.hr == core::hr::error_cancelled
                            ? "stopped by Ctrl+C"
                            : "cannot write " + item.destination);
        break;
      }
      continue;
    }
    item.state = RestoreState::done;
  }
  // Children first: writing into a folder moves its last-write time.
  for (auto it = made.rbegin(); it != made.rend(); ++it)
    environment.set_folder_facts((*it)->destination, (*it)->entry);
  // What was counted as planned is now what was done.
  report.files = done.files;
  report.bytes = 0;
  report.folders = made.size();
  for (const auto& item : report.items)
    if (item.state == RestoreState::done && !item.entry.is_folder() &&
        item.action != RestoreAction::skip)
      report.bytes += item.entry.size;
  return report;
}

}  // namespace shadowctl::session
