#include "session/deletion.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "core/text.h"
#include "session/open.h"

namespace shadowctl::session {
namespace {

std::string copies(std::size_t n) { return core::shadow_copies_text(n); }

}  // namespace

bool needs_confirmation(const ShadowSelection& selection) { return !selection.by_id_only(); }

void check_named_exist(const ShadowSelection& selection,
                       const std::vector<core::ShadowCopy>& found) {
  for (const auto& id : selection.ids)
    if (std::none_of(found.begin(), found.end(), [&](const auto& s) { return s.id == id; }))
      throw core::Error({core::hr::vss_e_object_not_found, "--id", "no shadow copy has the id " + id});
  if (selection.set_id &&
      std::none_of(found.begin(), found.end(),
                   [&](const auto& s) { return s.set_id == *selection.set_id; }))
    throw core::Error({core::hr::vss_e_object_not_found, "--set",
                       "no snapshot set has the id " + *selection.set_id});
}

DeleteOutcome delete_shadow_copies(const System& system,
                                   const std::vector<core::ShadowCopy>& shadows) {
  DeleteOutcome outcome;
  if (shadows.empty()) return outcome;
  auto components = open_backup_components(system);
  // Every context, or a copy another tool made in another context would not be found.
  require(components->set_context(core::vss::context::all), "SetContext");
  for (const auto& s : shadows) {
    DeleteResult result;
    const core::HResult hr = components->delete_snapshots(s.id, false, result);
    // Another process (vssadmin, Windows Backup, the storage limit) got there first.
    if (hr == core::hr::vss_e_object_not_found) {
      outcome.gone.push_back(s);
      continue;
    }
    if (core::failed(hr)) {
      outcome.failure = core::Failure{hr, "DeleteSnapshots", "stopped at " + s.id};
      outcome.failed_id = s.id;
      break;
    }
    outcome.deleted.push_back(s);
  }
  return outcome;
}

DeleteOutcome confirm_then_delete(const System& system, const std::vector<core::ShadowCopy>& chosen,
                                  bool ask, bool yes, const ConfirmDeletion& confirm,
                                  const std::string& command) {
  if (chosen.empty()) return {};
  if (ask && !yes) {
    if (!confirm)
      throw core::Error({core::hr::shadowctl_e_usage, command,
                         "refusing to delete " + copies(chosen.size()) +
                             " without --yes when no one can confirm at a terminal; nothing "
                             "was deleted (see them with --dry-run)"});
    if (!confirm("Delete " + copies(chosen.size()) + "?", chosen))
      throw core::Error(
          {core::hr::shadowctl_e_not_confirmed, command, "not confirmed; nothing was deleted"});
  }
  return delete_shadow_copies(system, chosen);
}

DeletionReport delete_selection(const System& system, const VolumeTable& volumes,
                                const DeleteRequest& request, const ConfirmDeletion& confirm) {
  DeletionReport report;
  report.selected = query_shadow_copies(system, volumes, request.selection);
  check_named_exist(request.selection, report.selected);
  report.dry_run = request.dry_run;
  if (request.dry_run) return report;
  report.done = confirm_then_delete(system, report.selected, needs_confirmation(request.selection),
                                    request.yes, confirm, "delete");
  return report;
}

}  // namespace shadowctl::session
