// The command table: the one list of shadowctl's commands.
#include "cli/cmd_check.h"
#include "cli/cmd_completion.h"
#include "cli/cmd_create.h"
#include "cli/cmd_delete.h"
#include "cli/cmd_diff.h"
#include "cli/cmd_exec.h"
#include "cli/cmd_events.h"
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
#include "core/retention.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

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
      events_command(),
      completion_command(),
  };
  return table;
}

void add_timeout_option(CLI::App& app, int& seconds, const std::string& what) {
  add_number(app, "--timeout", seconds, "SECONDS", 1, 86400, what);
}

namespace {

// CLI11 runs a check on the word before converting it: a word that is no number is refused
// here too, in the same words.
CLI::Validator number_between(int lo, int hi, const std::string& unit) {
  return CLI::Validator(
      [lo, hi, unit](const std::string& word) -> std::string {
        long long n = 0;
        const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), n);
        if (error != std::errc() || end != word.data() + word.size())
          return fmt::format("'{}' is not a whole number ({} from {} to {})", word, unit, lo, hi);
        if (n < lo || n > hi)
          return fmt::format("{} is out of range: {} from {} to {}", word, unit, lo, hi);
        return {};
      },
      "", "number_between");
}

}  // namespace

CLI::Option* add_number(CLI::App& app, const std::string& name, int& value, const std::string& unit,
                        int lo, int hi, const std::string& description) {
  return app.add_option(name, value, description)
      ->check(number_between(lo, hi, unit))
      ->type_name(fmt::format("{} ({}-{}, default {})", unit, lo, hi, value));
}

CLI::Option* add_number(CLI::App& app, const std::string& name, std::optional<int>& value,
                        const std::string& unit, int lo, int hi, const std::string& description) {
  return app.add_option(name, value, description)
      ->check(number_between(lo, hi, unit))
      ->type_name(fmt::format("{} ({}-{})", unit, lo, hi));
}

CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& words,
                    const std::string& shown_default) {
  const std::string list = fmt::format("{}", fmt::join(words, "|"));
  return option
      ->check(CLI::Validator(
          [words](const std::string& word) -> std::string {
            if (std::find(words.begin(), words.end(), word) != words.end()) return {};
            return fmt::format("'{}' is not one of: {}", word, fmt::join(words, ", "));
          },
          "", "one_of"))
      ->type_name(shown_default.empty() ? list : list + " (default " + shown_default + ")");
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

std::int64_t duration_option(const std::string& text, const char* option) {
  const auto us = core::parse_duration(text);
  if (!us)
    throw core::Error({core::hr::shadowctl_e_usage, option,
                       fmt::format("{} '{}' is not a duration such as 90m, 36h, 10d or 2w",
                                   option, text)});
  return *us;
}

session::WaitPolicy wait_policy(Context& context, std::chrono::milliseconds timeout) {
  report::Progress& progress = context.progress;
  return {timeout, context.cancel, [&progress](std::string_view phase, std::chrono::milliseconds t) {
            progress.show(phase, std::chrono::duration_cast<std::chrono::seconds>(t));
          }};
}

}  // namespace shadowctl::cli
