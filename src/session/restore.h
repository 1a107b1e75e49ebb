#pragma once

// Getting files back from a shadow copy: the copy each PATH is read from, the plan of what
// goes where, and the copying itself, reading with backup semantics and writing each file
// whole or not at all.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/results.h"
#include "session/cancel.h"
#include "session/system.h"
#include "session/volumes.h"

namespace shadowctl::session {

// What to do where a file is already at a destination (--to; in place always replaces).
enum class WhenExisting { refuse, overwrite, skip };

struct RestoreRequest {
  std::vector<std::string> paths;  // absolute, as the user knows them
  // The copy: an id, or "latest" (the newest of each PATH's volume), or with `before` the
  // newest made before that instant.
  std::string from = "latest";
  std::optional<std::int64_t> before_unix_us;
  std::string destination;  // an absolute folder; empty in place
  bool in_place = false;
  bool keep_current = true;  // in place: the file replaced is kept as NAME.shadowctl-TIMESTAMP
  WhenExisting existing = WhenExisting::refuse;
  bool dry_run = false;
  bool yes = false;              // --yes: in place is confirmed already
  std::int64_t now_unix_us = 0;  // the run's time, for the kept files' names
};

// Asks before an in-place restore writes: the question names what will be put back.
using ConfirmRestore = std::function<bool(const std::string& question)>;

// How far the copying is: files and bytes written, of those planned.
struct RestoreProgress {
  std::uint64_t files = 0;
  std::uint64_t files_planned = 0;
  std::uint64_t bytes = 0;
  std::uint64_t bytes_planned = 0;
};
using ShowRestoreProgress = std::function<void(const RestoreProgress&)>;

// The whole flow. Refused before anything is read or written (core::Error): a PATH not on a
// volume of its copy or not in it, a destination inside a shadow copy or an exposure of one,
// or at a link, files already at their destinations without --overwrite or --skip-existing
// (all named), an in-place restore not confirmed. Then, unless a dry run, it writes: a file
// it cannot read is failed and the rest go on; a destination that cannot be written (full,
// refused) or Ctrl+C stops the run, named in `stopped`. No file is ever left part-written,
// and a link in the copy is never followed: it is skipped, with its reason.
core::RestoreReport restore_files(const System& system, const VolumeTable& volumes,
                                  const RestoreRequest& request, const ConfirmRestore& confirm,
                                  const CancelToken& cancel, const ShowRestoreProgress& progress);

// The name an in-place restore keeps the replaced file under: NAME.shadowctl-20261206T183000Z.
std::string kept_name(const std::string& path, std::int64_t now_unix_us);

}  // namespace shadowctl::session
