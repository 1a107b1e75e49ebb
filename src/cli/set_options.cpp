#include "cli/set_options.h"

#include "core/arguments.h"
#include "core/vss.h"
#include "session/output_file.h"

namespace shadowctl::cli {
namespace {

// The attributes --option names, or a usage outcome for a combination diskshadow's `set
// option` does not allow: "[differential | plex]", and "noautorecover can't be used with
// txfrecover or rollbackrecover".
// https://learn.microsoft.com/windows-server/administration/windows-commands/set-option
std::optional<report::Outcome> snapshot_options(const std::vector<std::string>& words,
                                                const std::string& command, long& attributes) {
  using namespace core::vss;
  for (const auto& word : words)
    for (const auto& o : kSnapshotOptions)
      if (o.word == word) attributes |= o.value;
  if ((attributes & attr::differential) && (attributes & attr::plex))
    return usage_outcome(command, "--option differential and --option plex do not go together: "
                                  "a shadow copy is one or the other");
  if ((attributes & attr::no_autorecovery) && (attributes & attr::txf_recovery))
    return usage_outcome(command, "--option no-autorecover and --option txf-recover do not go "
                                  "together: TxF recovery is an auto-recovery");
  return std::nullopt;
}

}  // namespace

void add_set_options(CLI::App& app, SetOptions& options, SetCommand command) {
  app.add_option("volumes", options.volumes,
                 "C, C:, C:\\, a mount folder, or \\\\?\\Volume{GUID}\\ (one or more)")
      ->required();
  std::vector<std::string> contexts;
  for (const auto& c : core::vss::kContexts) contexts.emplace_back(c.word);
  one_of(app.add_option("--context", options.context, "The snapshot context"), contexts,
         options.context);
  app.add_flag("--no-writers", options.no_writers,
               "The writer-less counterpart of the context (nas-rollback for app-rollback)");
  std::vector<std::string> types;
  for (const auto& t : core::vss::kBackupTypes) types.emplace_back(t.word);
  one_of(app.add_option("--backup-type", options.backup_type,
                        "What writers are told: copy leaves their logs alone; full lets them "
                        "truncate"),
         types, options.backup_type);
  app.add_option("--provider", options.provider, "A provider id (default: the system's choice)");
  app.add_option("--include-writer", options.include_writers,
                 "Only this writer takes part, by name or writer id (repeatable; component mode)");
  app.add_option("--exclude-writer", options.exclude_writers,
                 "Every writer but this one takes part, by name or writer id (repeatable; "
                 "component mode)");
  app.add_option("--require-writer", options.require_writers,
                 "This writer must take part in full, by name or writer id (repeatable; "
                 "component mode): the run fails before anything starts if the set's volumes "
                 "do not hold all its components")
      ->type_name("WRITER");
  one_of(app.add_option("--bootable-system-state", options.bootable_system_state,
                        "What SetBackupState is told (default: true when the System or ASR "
                        "writer takes part in component mode)"),
         {"true", "false"});
  std::vector<std::string> words;
  for (const auto& o : core::vss::kSnapshotOptions)
    if (o.on_create) words.emplace_back(o.word);
  one_of(app.add_option("--option", options.options,
                        "An attribute added to the context, as diskshadow's `set option` "
                        "(repeatable)"),
         words);
  add_timeout_option(app, options.timeout_seconds,
                     "Seconds each async phase may take");
  add_number(app, "--retry", options.retries, "N", 0, 10,
             "Retries of what can succeed later (a set in progress, a provider veto, flush or "
             "hold timeouts, retryable writer errors)");
  add_number(app, "--retry-wait", options.retry_wait_seconds, "SECONDS", 0, 86400,
             "Seconds between attempts (default: 600 after a flush or hold timeout, a provider "
             "veto or a retryable writer error, as Microsoft advises; 10 otherwise)");
  if (command == SetCommand::create)
    app.add_option("--script", options.script,
                   "Write the set id and each shadow copy's id, volume and device as SET lines "
                   "(.cmd) or PowerShell assignments (.ps1), only when the whole set succeeded");
  app.add_option("--save-bcd", options.save_bcd,
                 "Write the Backup Components Document (SaveAsXML), only when the whole set "
                 "succeeded");
}

std::optional<report::Outcome> fill_create_request(const SetOptions& options,
                                                   const std::string& command, Context& context,
                                                   const session::VolumeTable& volumes,
                                                   session::CreateRequest& request) {
  for (const auto& c : core::vss::kContexts)
    if (c.word == options.context)
      request.context = options.no_writers ? c.without_writers : c.value;
  for (const auto& t : core::vss::kBackupTypes)
    if (t.word == options.backup_type) request.backup_type = t.value;
  if (!options.provider.empty()) {
    const auto id = core::parse_guid(options.provider);
    if (!id)
      return usage_outcome(command, "--provider '" + options.provider + "' is not a GUID");
    request.provider_id = *id;
  }
  if (auto refused = snapshot_options(options.options, command, request.attributes))
    return refused;
  request.retries = options.retries;
  if (options.retry_wait_seconds)
    request.retry_wait = std::chrono::seconds(*options.retry_wait_seconds);
  if (!options.bootable_system_state.empty())
    request.bootable_system_state = options.bootable_system_state == "true";
  const bool writers = (request.context & core::vss::attr::no_writers) == 0;
  // The backup type is what writers are told; with none, another than copy means nothing.
  if (!writers && options.backup_type != "copy")
    return usage_outcome(command, "--backup-type " + options.backup_type +
                                      " needs writers, whom it tells what kind of backup this "
                                      "is; this context has none (drop --no-writers, or the "
                                      "--backup-type)");
  if (!options.include_writers.empty() && !options.exclude_writers.empty())
    return usage_outcome(command, "--include-writer and --exclude-writer do not go together");
  if (!writers && (!options.include_writers.empty() || !options.exclude_writers.empty() ||
                   !options.require_writers.empty() || !options.save_bcd.empty() ||
                   !options.bootable_system_state.empty()))
    return usage_outcome(command, "--include-writer, --exclude-writer, --require-writer, "
                                  "--bootable-system-state and --save-bcd need writers; this "
                                  "context has none");
  for (const auto& [option, file] :
       {std::pair{"--script", &options.script}, std::pair{"--save-bcd", &options.save_bcd}})
    if (!file->empty())
      if (const std::string why = session::refuse_output_file(context.system.environment, *file);
          !why.empty())
        return usage_outcome(command, std::string(option) + " '" + *file + "' is refused: " + why);
  request.writers = {options.include_writers, options.exclude_writers, options.require_writers};
  request.script_path = options.script;
  request.document_path = options.save_bcd;
  for (const core::Volume* v : volumes.resolve(options.volumes)) {
    if (std::find(request.volumes.begin(), request.volumes.end(), v->name) ==
        request.volumes.end())
      request.volumes.push_back(v->name);
  }
  return std::nullopt;
}

}  // namespace shadowctl::cli
