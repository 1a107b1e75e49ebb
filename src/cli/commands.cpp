// The command table: the one list of shadowctl's commands.
#include "cli/cmd_check.h"
#include "cli/cmd_create.h"
#include "cli/cmd_explain.h"
#include "cli/cmd_list.h"
#include "cli/command.h"

namespace shadowctl::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      check_command(),
      explain_command(),
      list_command(),
      create_command(),
  };
  return table;
}

session::WaitPolicy wait_policy(Context& context, std::chrono::milliseconds timeout) {
  report::Progress& progress = context.progress;
  return {timeout, context.cancel, [&progress](std::string_view phase, std::chrono::milliseconds t) {
            progress.show(phase, std::chrono::duration_cast<std::chrono::seconds>(t));
          }};
}

}  // namespace shadowctl::cli
