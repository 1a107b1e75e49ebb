#include "session/expose.h"

#include <algorithm>
#include <string_view>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "session/open.h"
#include "session/privilege.h"
#include "session/volumes.h"

namespace shadowctl::session {
namespace {

[[noreturn]] void refuse(core::HResult hr, const std::string& detail) {
  throw core::Error({hr, "TARGET", detail});
}

// A name as ExposeSnapshot and Query give it back: no trailing backslash but on "X:\".
std::string as_vss_names_it(std::string name) {
  if (name.size() > 3 && name.back() == '\\') name.pop_back();
  if (name.size() == 3 && name[1] == ':' && name[2] == '\\') name.pop_back();
  return name;
}

core::ShadowCopy find_shadow(BackupComponents& components, const std::string& shadow_id) {
  core::ShadowCopy shadow;
  const core::HResult hr = components.snapshot_properties(shadow_id, shadow);
  if (hr == core::hr::vss_e_object_not_found)
    throw core::Error({hr, "GetSnapshotProperties", "no shadow copy has the id " + shadow_id});
  require(hr, "GetSnapshotProperties");
  return shadow;
}

}  // namespace

ExposeTarget check_local_target(Environment& environment, const std::string& text) {
  const auto spec = core::parse_volume(text);
  if (!spec || spec->kind == core::VolumeSpec::Kind::volume_name)
    throw core::Error({core::hr::shadowctl_e_usage, "TARGET",
                       "'" + text + "' is neither a drive letter (X:) nor an absolute folder "
                       "(C:\\Mount\\Shadow)"});
  if (spec->kind == core::VolumeSpec::Kind::drive) {
    ExposeTarget target{ExposeTarget::Kind::drive_letter, spec->text.substr(0, 2)};
    if (environment.drive_letter_in_use(target.name[0]))
      refuse(core::hr::error_already_assigned, target.name + " is already in use");
    return target;
  }
  ExposeTarget target{ExposeTarget::Kind::folder, as_vss_names_it(spec->text)};
  const FolderFacts folder = [&] {
    const PrivilegeSetAside aside(environment);
    return environment.examine_folder(target.name);
  }();
  if (core::failed(folder.error)) refuse(folder.error, "cannot use the folder " + target.name);
  if (!folder.directory) refuse(core::hr::error_directory, target.name + " is a file");
  if (folder.reparse_point)
    refuse(core::hr::shadowctl_e_reparse_point, target.name + " is a reparse point");
  if (folder.file_system != "NTFS")
    refuse(core::hr::shadowctl_e_not_ntfs,
           target.name + " is on " + (folder.file_system.empty() ? "an unknown file system"
                                                                 : folder.file_system));
  if (!folder.empty) refuse(core::hr::error_dir_not_empty, target.name + " is not empty");
  return target;
}

ExposeTarget check_share_name(const std::string& text) {
  // NNLEN (80) characters at most, and none that a share name cannot hold.
  const bool valid = !text.empty() && text.size() <= 80 &&
                     std::none_of(text.begin(), text.end(), [](char c) {
                       return static_cast<unsigned char>(c) < 0x20 ||
                              std::string_view("\\/:*?\"<>|").find(c) != std::string_view::npos;
                     });
  if (!valid)
    throw core::Error({core::hr::shadowctl_e_usage, "--share",
                       "'" + text + "' is not a share name (1 to 80 characters, none of "
                       "\\ / : * ? \" < > |)"});
  return {ExposeTarget::Kind::share, text};
}

core::ShadowCopy expose_shadow_copy(BackupComponents& components, const std::string& shadow_id,
                                    const ExposeTarget& target) {
  using namespace core::vss;
  core::ShadowCopy shadow = find_shadow(components, shadow_id);
  // Only app-rollback and nas-rollback copies: "Exposing and Surfacing Shadow Copied Volumes".
  if ((shadow.attributes & attr::client_accessible) != 0)
    throw core::Error(
        {core::hr::shadowctl_e_not_persistent, "expose",
         shadow_id + " is a client-accessible copy (Previous Versions, Shared Folders): "
                     "persistent, but Windows does not expose such copies",
         {},
         {},
         "Read its files with `shadowctl ls`, `shadowctl versions` or `shadowctl restore`, "
         "or expose a copy made by `shadowctl create` (app-rollback by default)."});
  if ((shadow.attributes & attr::persistent) == 0)
    throw core::Error({core::hr::shadowctl_e_not_persistent, "expose",
                       shadow_id + " lives only as long as the process that made it (a "
                                   "backup or file-share-backup copy)"});
  if (!shadow.exposed_name.empty())
    throw core::Error({core::hr::vss_e_object_already_exists, "expose",
                       shadow_id + " is already exposed as " + shadow.exposed_name});
  std::string exposed;
  require(components.expose_snapshot(shadow_id, target.kind == ExposeTarget::Kind::share,
                                     target.name, exposed),
          "ExposeSnapshot");
  return find_shadow(components, shadow_id);
}

core::ShadowCopy expose_shadow_copy(const System& system, const std::string& shadow_id,
                                    const ExposeTarget& target) {
  auto components = open_backup_components(system);
  require(components->set_context(core::vss::context::all), "SetContext");
  return expose_shadow_copy(*components, shadow_id, target);
}

core::ShadowCopy unexpose_shadow_copy(const System& system, const std::string& target_or_id) {
  // One object per operation (CreateVssBackupComponents: "a single backup, restore, or Query
  // operation"): the Query that finds the copy, then another object that unexposes it.
  std::vector<core::ShadowCopy> shadows;
  {
    auto query = open_backup_components(system);
    require(query->set_context(core::vss::context::all), "SetContext");
    require(query->query_snapshots(shadows), "Query");
  }

  const auto id = core::parse_guid(target_or_id);
  const auto spec = core::parse_volume(target_or_id);
  std::string name = target_or_id;
  if (spec && spec->kind == core::VolumeSpec::Kind::drive) name = spec->text.substr(0, 2);
  if (spec && spec->kind == core::VolumeSpec::Kind::mount_folder)
    name = as_vss_names_it(spec->text);
  const auto it = std::find_if(shadows.begin(), shadows.end(), [&](const auto& s) {
    return id ? same_ignoring_case(s.id, *id)
              : !s.exposed_name.empty() &&
                    same_ignoring_case(as_vss_names_it(s.exposed_name), name);
  });
  if (it == shadows.end())
    throw core::Error({core::hr::vss_e_object_not_found, "unexpose",
                       id ? "no shadow copy has the id " + *id
                          : "nothing is exposed at " + target_or_id,
                       {},
                       {},
                       id ? std::string()
                          : "Nothing to remove there. `shadowctl list shadows` shows where each "
                            "copy is exposed (its exposed name)."});
  if (it->exposed_name.empty())
    throw core::Error({core::hr::vss_e_object_not_found, "unexpose", *id + " is not exposed", {},
                       {}, "Nothing to remove: the copy is not exposed anywhere."});
  auto components = open_backup_components(system);
  require(components->set_context(core::vss::context::all), "SetContext");
  require(components->unexpose_snapshot(it->id), "UnexposeSnapshot");
  return *it;
}

}  // namespace shadowctl::session
