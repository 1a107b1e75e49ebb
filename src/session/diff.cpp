#include "session/diff.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "session/inventory.h"
#include "session/shadow_files.h"

namespace shadowctl::session {
namespace {

core::Error diff_usage(const std::string& detail) {
  return core::Error({core::hr::shadowctl_e_usage, "diff arguments", detail});
}

// The attributes a change is told by; the rest (compressed, indexed, ...) move on their own.
constexpr std::uint32_t kComparedAttributes = core::file_attr::read_only | core::file_attr::hidden |
                                              core::file_attr::system | core::file_attr::archive;

bool plain_folder(const core::FileEntry& e) { return e.is_folder() && !e.is_reparse_point(); }

int kind_of(const core::FileEntry& e) { return e.is_reparse_point() ? 2 : e.is_folder() ? 1 : 0; }

bool not_there(core::HResult hr) {
  return hr == core::hr::error_path_not_found || hr == core::hr::error_file_not_found;
}

// A folder to walk: where it is on each side (empty: that side has no such folder).
struct Pending {
  std::string user;  // as the user knows it
  std::string from;  // in the first copy
  std::string to;    // in the second copy, or live
};

class Walker {
 public:
  Walker(Environment& environment, const CancelToken& cancel, core::TreeDiff& diff)
      : environment_(environment), cancel_(cancel), diff_(diff) {}

  // The two sides of one entry that either side holds.
  void compare(const std::string& user, const std::string& from_path, const std::string& to_path,
               const core::FileEntry* before, const core::FileEntry* after) {
    ++diff_.entries;
    if (!before || !after) {
      one_sided(user, before ? from_path : to_path, before ? *before : *after, after != nullptr);
      return;
    }
    std::uint32_t what = 0;
    if (kind_of(*before) != kind_of(*after)) {
      what |= core::difference::kind;
    } else if (!plain_folder(*before)) {
      if (before->size != after->size) what |= core::difference::size;
      if (before->written_unix_us != after->written_unix_us) what |= core::difference::time;
    }
    if (((before->attributes ^ after->attributes) & kComparedAttributes) != 0)
      what |= core::difference::attributes;
    if (diff_.contents_compared && kind_of(*before) == 0 && kind_of(*after) == 0 &&
        before->size == after->size) {
      core::HResult hr = 0;
      const bool same = same_bytes(environment_, from_path, to_path, hr);
      if (core::failed(hr))
        diff_.unreadable.push_back({user, hr});  // either side: the file as the user knows it
      else if (!same)
        what |= core::difference::contents;
    }
    if (what != 0) {
      ++diff_.changed;
      if (!plain_folder(*after) && !after->is_reparse_point()) diff_.changed_bytes += after->size;
      diff_.changes.push_back({core::ChangeKind::changed, user, *before, *after, what});
    }
    // A folder on both sides is walked; one on one side only is added or removed whole.
    if (plain_folder(*before) && plain_folder(*after)) {
      add_folder(user, from_path, to_path);
    } else if ((what & core::difference::kind) != 0) {
      if (plain_folder(*before)) pending_.push_back({user, from_path, ""});
      if (plain_folder(*after)) pending_.push_back({user, "", to_path});
    }
  }

  // A folder both sides hold, walked by walk().
  void add_folder(const std::string& user, const std::string& from, const std::string& to) {
    pending_.push_back({user, from, to});
  }

  void walk() {
    while (!pending_.empty()) {
      if (cancel_.requested())
        throw core::Error({core::hr::error_cancelled, "diff", "stopped by Ctrl+C"});
      const Pending folder = std::move(pending_.back());
      pending_.pop_back();
      std::vector<core::FileEntry> from, to;
      if (!folder.from.empty() && !listed(folder.from, from)) continue;
      if (!folder.to.empty() && !listed(folder.to, to)) continue;
      merge(folder, from, to);
    }
  }

 private:
  bool listed(const std::string& path, std::vector<core::FileEntry>& entries) {
    const core::HResult hr = environment_.list_folder(path, entries);
    if (core::failed(hr)) {
      diff_.unreadable.push_back({path, hr});
      return false;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return lower_ascii(a.name) < lower_ascii(b.name);
    });
    return true;
  }

  // Entries of one folder on both sides, matched by name without regard to case.
  void merge(const Pending& folder, const std::vector<core::FileEntry>& from,
             const std::vector<core::FileEntry>& to) {
    const auto child = [](const std::string& parent, const std::string& name) {
      if (parent.empty()) return std::string();
      return parent.back() == '\\' ? parent + name : parent + "\\" + name;  // C:\ is a root
    };
    std::size_t i = 0, k = 0;
    while (i < from.size() || k < to.size()) {
      const core::FileEntry* before = i < from.size() ? &from[i] : nullptr;
      const core::FileEntry* after = k < to.size() ? &to[k] : nullptr;
      if (before && after) {
        const std::string a = lower_ascii(before->name), b = lower_ascii(after->name);
        if (a < b) after = nullptr;
        if (b < a) before = nullptr;
      }
      const std::string& name = before ? before->name : after->name;
      compare(child(folder.user, name), child(folder.from, name), child(folder.to, name), before,
              after);
      i += before ? 1 : 0;
      k += after ? 1 : 0;
    }
  }

  // An entry on one side only: added (on the second side) or removed, a folder with what it holds.
  void one_sided(const std::string& user, const std::string& path, const core::FileEntry& entry,
                 bool added) {
    const bool file = !plain_folder(entry) && !entry.is_reparse_point();
    if (added) {
      ++diff_.added;
      if (file) diff_.added_bytes += entry.size;
      diff_.changes.push_back({core::ChangeKind::added, user, std::nullopt, entry, 0});
    } else {
      ++diff_.removed;
      if (file) diff_.removed_bytes += entry.size;
      diff_.changes.push_back({core::ChangeKind::removed, user, entry, std::nullopt, 0});
    }
    if (plain_folder(entry)) pending_.push_back({user, added ? "" : path, added ? path : ""});
  }

  Environment& environment_;
  const CancelToken& cancel_;
  core::TreeDiff& diff_;
  std::vector<Pending> pending_;
};

// The entry `path` names, found in its parent's listing; nullopt when the parent has none.
// hr: why the parent could not be listed (not there is no failure: the side lacks it).
std::optional<core::FileEntry> entry_at(Environment& environment, const std::string& parent,
                                        const std::string& name, core::HResult& hr) {
  std::vector<core::FileEntry> entries;
  hr = environment.list_folder(parent, entries);
  if (not_there(hr)) hr = 0;
  for (auto& e : entries)
    if (same_ignoring_case(e.name, name)) return std::move(e);
  return std::nullopt;
}

// Sorted by path as a tree is read: a folder directly before what it holds.
void sort_by_path(std::vector<core::TreeChange>& changes) {
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::string key = lower_ascii(changes[i].path);
    std::replace(key.begin(), key.end(), '\\', '\x01');
    keys.emplace_back(std::move(key), i);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<core::TreeChange> sorted;
  sorted.reserve(changes.size());
  for (const auto& k : keys) sorted.push_back(std::move(changes[k.second]));
  changes = std::move(sorted);
}

}  // namespace

core::TreeDiff diff_trees(const System& system, const VolumeTable& volumes,
                          const DiffRequest& request, const CancelToken& cancel) {
  std::string path = request.path;
  if (path.empty()) {
    // The whole volume of the copy, at the first place it is mounted.
    if (request.from == "latest")
      throw diff_usage("latest needs --path, which says whose volume's newest copy is meant");
    const auto id = core::parse_guid(request.from);
    if (!id) throw diff_usage("'" + request.from + "' is neither a shadow copy id nor \"latest\"");
    ShadowSelection selection;
    selection.ids = {*id};
    const auto found = query_shadow_copies(system, volumes, selection);
    if (found.empty())
      throw core::Error({core::hr::vss_e_object_not_found, "shadow copy",
                         "no shadow copy has the id " + request.from});
    const core::Volume* volume = volumes.by_name(found.front().original_volume);
    if (!volume || volume->mount_points.empty())
      throw diff_usage("the volume of " + request.from +
                  " has no drive letter or mount folder here: give --path");
    path = volume->mount_points.front();
  }
  const ShadowPath from = locate_in_shadow(system, volumes, request.from, path);
  core::TreeDiff diff;
  diff.path = from.path;
  diff.from_id = from.shadow.id;
  diff.from_created_unix_us = from.shadow.created_unix_us;
  diff.from_device_path = from.device_path;
  diff.contents_compared = request.compare_contents;
  if (request.to == "live") {
    diff.to_device_path = from.path;
  } else {
    const ShadowPath to = locate_in_shadow(system, volumes, request.to, path);
    diff.to_id = to.shadow.id;
    diff.to_created_unix_us = to.shadow.created_unix_us;
    diff.to_device_path = to.device_path;
  }

  Walker walker(system.environment, cancel, diff);
  const core::Volume& volume = volume_of(volumes, diff.path);
  const bool volume_root = std::any_of(
      volume.mount_points.begin(), volume.mount_points.end(), [&](const std::string& m) {
        return same_ignoring_case(without_trailing_backslash(m), diff.path);
      });
  if (volume_root) {
    walker.add_folder(diff.path, diff.from_device_path, diff.to_device_path);
  } else {
    // The path itself, as each side's parent folder lists it.
    const auto parent_of = [](const std::string& p) {
      const std::size_t slash = p.rfind('\\');
      return p.substr(0, slash == 2 ? 3 : slash);  // C:\x's parent is C:\, not C:
    };
    const std::string name = diff.path.substr(diff.path.rfind('\\') + 1);
    core::HResult from_hr = 0, to_hr = 0;
    const auto before =
        entry_at(system.environment, parent_of(diff.from_device_path), name, from_hr);
    const auto after = entry_at(system.environment, parent_of(diff.to_device_path), name, to_hr);
    for (const auto& [hr, where] :
         {std::pair{from_hr, diff.from_device_path}, std::pair{to_hr, diff.to_device_path}})
      if (core::failed(hr)) throw core::Error({hr, "FindFirstFileExW", "cannot read " + where});
    if (!before && !after)
      throw core::Error(
          {core::hr::error_path_not_found, "diff",
           diff.path + " is neither in the shadow copy " + diff.from_id + " nor " +
               (diff.to_id.empty() ? "on the live volume" : "in the shadow copy " + diff.to_id)});
    walker.compare(diff.path, diff.from_device_path, diff.to_device_path,
                   before ? &*before : nullptr, after ? &*after : nullptr);
  }
  walker.walk();
  sort_by_path(diff.changes);
  return diff;
}

}  // namespace shadowctl::session
