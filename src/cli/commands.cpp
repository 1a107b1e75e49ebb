// The command table: the one list of shadowctl's commands.
#include "cli/cmd_check.h"
#include "cli/cmd_explain.h"
#include "cli/cmd_list.h"
#include "cli/command.h"

namespace shadowctl::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      check_command(),
      explain_command(),
      list_command(),
  };
  return table;
}

}  // namespace shadowctl::cli
