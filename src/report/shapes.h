#pragma once

// The one home of every JSON shape and shared human rendering: commands build their results
// from these, so a diagnosis or a shadow copy looks the same in every command's output.
// Conventions (docs/json-schema.json): GUIDs lower case in braces, times ISO 8601 UTC with
// a Z, sizes in bytes.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/diagnosis.h"
#include "core/event_catalogue.h"
#include "core/event_log.h"
#include "core/vss_objects.h"
#include "core/results.h"
#include "core/schedule.h"
#include "core/text.h"
#include "report/style.h"

namespace shadowctl::report {

// A diagnosis: hresult, decimal, name, meaning, remedy, phase, exit code and class,
// retryable, known. The document's "error" and `explain`'s result share it.
nlohmann::json diagnosis_json(const core::Diagnosis& d);
// Each warning as {"code", "message", "about", "error"}: a code a script can test, the text,
// what it is about (or null), the symbolic name of the HRESULT behind it (or null).
nlohmann::json warnings_json(const std::vector<core::Warning>& warnings);
// Component mode's selection: the components added, and what was left out and why.
nlohmann::json components_json(const std::vector<core::SelectedComponent>& components);
nlohmann::json left_out_json(const std::vector<core::LeftOut>& left_out);
// The attributes `--option` added to the context, as the words it takes ("no-autorecover").
nlohmann::json snapshot_options_json(long attributes);
void render_components(std::ostream& out, const std::vector<core::SelectedComponent>& components,
                       const std::vector<core::LeftOut>& left_out);
// A failed run's cleanup that failed too: each failed call explained, and each set left
// behind with the command that removes it (the diagnosis's "cleanup").
nlohmann::json cleanup_json(const std::vector<core::CleanupFailure>& failures,
                            const std::vector<core::LeftBehind>& left);
// The same for people: an "error:" line per failed call, a "left behind:" line and the
// command per set.
void render_cleanup(std::ostream& out, const Style& style,
                    const std::vector<core::CleanupFailure>& failures,
                    const std::vector<core::LeftBehind>& left);

// A reference to a diagnosis carried elsewhere in the document: hresult and name only.
nlohmann::json code_json(core::HResult hr);

nlohmann::json shadow_copy_json(const core::ShadowCopy& s);
// Appends shadow_copy_json(s).dump(2) to `out` without building the JSON tree, each line
// after the first prefixed with `indent`: for lists of thousands (docs/performance.md). A
// test holds the two equal.
void append_shadow_copy_json(std::string& out, const core::ShadowCopy& s,
                             std::string_view indent = {});
nlohmann::json writer_status_json(const core::WriterStatus& w);
// A writer's components and their files (`list writers --detailed`).
nlohmann::json writer_components_json(const std::vector<core::WriterComponent>& components);
nlohmann::json provider_json(const core::Provider& p);
nlohmann::json volume_json(const core::VolumeShadowing& v);
nlohmann::json storage_json(const core::StorageAssociation& s);

// Each command's result, named as docs/json-schema.json names it:
// create: the set, how it was asked for, what component mode selected and left out.
nlohmann::json made_set_json(const core::MadeSet& set);
// exec: the set, the command, and what became of both.
nlohmann::json exec_json(const core::MadeSet& set, const core::CommandRun& run);
// delete: "selected" (what the selection matched) and "deleted" (none in a dry run), their
// "count", and "gone" and "failed_id" when there are any.
nlohmann::json deletion_json(const core::DeletionReport& report);
// prune: every copy judged with the rules that keep it and what became of it, the copies left
// alone and why, and the counts.
nlohmann::json prune_json(const core::PruneReport& report);
// check: a row per check and the verdict.
nlohmann::json check_report_json(const core::CheckReport& report);
// One event read from the log: time, log, source, id, level, data, message; the catalogue's
// meaning and remedy where it has the event (or null), and each HRESULT in it decoded.
nlohmann::json logged_event_json(const core::LoggedEvent& e);
nlohmann::json logged_events_json(const std::vector<core::LoggedEvent>& events);
// People's form of the same, each event a line with its explanation indented below it.
void render_logged_events(std::ostream& out, const Style& style,
                          const std::vector<core::LoggedEvent>& events, std::string_view indent);
// explain --event: the ID asked and each catalogue entry with it.
nlohmann::json events_json(std::uint32_t id, const std::vector<const core::EventInfo*>& events);

// ls: the copy, the folder's two paths, and each entry (name, type file|folder|link, size,
// written, created, attribute words).
nlohmann::json folder_listing_json(const core::FolderListing& listing);
// The same as `dir` shows it: a header naming the copy, then a line an entry and the totals.
void render_folder_listing(std::ostream& out, const Style& style, const core::FolderListing& listing);

// versions: the path, the live file (null when gone), each copy's version newest first,
// and the copies that could not be read.
nlohmann::json file_versions_json(const core::FileVersions& found);
// The same as a table: the live version first, then each copy's.
void render_file_versions(std::ostream& out, const Style& style, const core::FileVersions& found);

// restore: where each PATH was read from, every item with what was done to it, the totals.
nlohmann::json restore_json(const core::RestoreReport& report);
// Human: the totals, then what was skipped or failed; a dry run lists every item.
void render_restore(std::ostream& out, const Style& style, const core::RestoreReport& report);

// diff: the two sides, the totals and what could not be read; the changes are items of
// "changes" (diff_change_json), streamed one to a line.
nlohmann::json diff_json(const core::TreeDiff& diff);
// One change on one line: what happened, the path, what differs, both sides' entries.
std::string diff_change_json(const core::TreeChange& change);
// Human: the two sides, a line a change, then the totals.
void render_diff(std::ostream& out, const Style& style, const core::TreeDiff& diff);

// schedule add: the task registered, when it runs, what it runs and where it logs.
nlohmann::json task_added_json(const core::TaskPlan& plan, bool replaced);
// schedule list: one task as the Task Scheduler gives it back; what it runs read from its
// XML, null where the Task Scheduler did not give it back.
nlohmann::json scheduled_task_json(const core::ScheduledTask& task);
// The TASK_STATE value as a word: "unknown", "disabled", "queued", "ready", "running".
std::string task_state_word(int state);
// schedule run: each step that ran and how it ended; `planned` steps in all.
nlohmann::json steps_run_json(const std::vector<core::StepRun>& runs, std::size_t planned);

// storage add|resize|delete: the association before and after, the copies named at risk
// first and those that went.
nlohmann::json storage_change_json(const core::StorageChange& change);

// "2026-11-25T06:34:38Z" for microseconds since 1970 UTC.
std::string utc_timestamp(std::int64_t unix_us);
// "2026-11-25 07:34:38 +01:00": the machine's local time, for people, with its offset from
// UTC so that a time read on another machine or copied into a ticket says which it is.
std::string local_time(std::int64_t unix_us);
using core::human_bytes;
// "93%": part of whole, rounded down; whole is not 0.
std::string percent(std::uint64_t part, std::uint64_t whole);
// The attribute bits as words ("persistent, no_auto_release, differential").
std::string attribute_words(long attributes);

}  // namespace shadowctl::report
