// The command table: the one list of shadowctl's commands.
#include "cli/cmd_check.h"
#include "cli/cmd_create.h"
#include "cli/cmd_delete.h"
#include "cli/cmd_diff.h"
#include "cli/cmd_exec.h"
#include "cli/cmd_explain.h"
#include "cli/cmd_expose.h"
#include "cli/cmd_list.h"
#include "cli/cmd_ls.h"
#include "cli/cmd_prune.h"
#include "cli/cmd_restore.h"
#include "cli/cmd_schedule.h"
#include "cli/cmd_storage.h"
#include "cli/cmd_versions.h"
#include "cli/command.h"

#include <fmt/format.h>

#include "core/arguments.h"
#include "core/error_catalogue.h"
#include "core/failure.h"

namespace shadowctl::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      check_command(),
      explain_command(),
      list_command(),
      create_command(),
      delete_command(),
      prune_command(),
      schedule_command(),
      storage_command(),
      exec_command(),
      expose_command(),
      unexpose_command(),
      ls_command(),
      versions_command(),
      diff_command(),
      restore_command(),
  };
  return table;
}

void add_timeout_option(CLI::App& app, int& seconds, const std::string& what) {
  app.add_option("--timeout", seconds, what)->check(CLI::Range(1, 86400))->capture_default_str();
}

std::optional<std::string> guid_option(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  const auto id = core::parse_guid(text);
  if (!id)
    throw core::Error({core::hr::shadowctl_e_usage, option,
                       fmt::format("{} '{}' is not a GUID: expected "
                                   "{{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}}, braces optional",
                                   option, text)});
  return id;
}

session::WaitPolicy wait_policy(Context& context, std::chrono::milliseconds timeout) {
  report::Progress& progress = context.progress;
  return {timeout, context.cancel, [&progress](std::string_view phase, std::chrono::milliseconds t) {
            progress.show(phase, std::chrono::duration_cast<std::chrono::seconds>(t));
          }};
}

}  // namespace shadowctl::cli
