#include "cli/completion.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "core/text.h"
#include "core/vss.h"
#include "report/reporter.h"
#include "report/shapes.h"
#include "report/terminal.h"
#include "cli/command.h"
#include "session/inventory.h"
#include "session/volumes.h"

namespace shadowctl::cli {

namespace {

bool begins_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         core::same_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// The machine's values an option takes, by its name: what the user would type there.
enum class Kind { none, volume, writer, shadow_copy };

Kind kind_of(const CLI::Option& option) {
  const std::string name = option.get_name();
  for (const char* n : {"--volume", "--for", "--on", "volumes", "volume", "VOLUME", "VOLUMES"})
    if (name == n) return Kind::volume;
  for (const char* n : {"--include-writer", "--exclude-writer", "--require-writer", "--writer"})
    if (name == n) return Kind::writer;
  for (const char* n : {"--id", "--from", "id", "ID", "shadow", "SHADOW"})
    if (name == n) return Kind::shadow_copy;
  return Kind::none;
}

// An option's fixed words, as cli::one_of declared them: "a|b|c (default a)".
std::vector<Completion> fixed_words(const CLI::Option& option) {
  std::string type = option.get_type_name();
  type = type.substr(0, type.find(' '));
  if (type.find('|') == std::string::npos) return {};
  std::vector<Completion> words;
  for (std::size_t at = 0; at <= type.size();) {
    const std::size_t bar = std::min(type.find('|', at), type.size());
    if (bar > at) words.push_back({type.substr(at, bar - at), option.get_description()});
    at = bar + 1;
  }
  return words;
}

std::vector<Completion> values_of(const CLI::Option& option, const CompletionValues& values) {
  if (auto words = fixed_words(option); !words.empty()) return words;
  switch (kind_of(option)) {
    case Kind::volume: return values.volumes ? values.volumes() : std::vector<Completion>{};
    case Kind::writer: return values.writers ? values.writers() : std::vector<Completion>{};
    case Kind::shadow_copy:
      return values.shadow_copies ? values.shadow_copies() : std::vector<Completion>{};
    case Kind::none: break;
  }
  return {};
}

// The option a word names, at this level or above (global options may come anywhere).
const CLI::Option* option_named(const CLI::App* node, const std::string& word) {
  const std::string name = word.substr(0, word.find('='));
  for (; node; node = node->get_parent())
    for (const CLI::Option* o : node->get_options())
      if (o->nonpositional() && o->check_name(name)) return o;
  return nullptr;
}

CLI::App* subcommand_named(CLI::App* node, const std::string& word) {
  for (CLI::App* sub : node->get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == word) return sub;
  return nullptr;
}

}  // namespace

std::vector<Completion> complete(std::vector<std::string> words, bool new_word,
                                 const CompletionValues& values) {
  if (new_word || words.empty()) words.emplace_back();
  const std::string partial = words.back();
  words.pop_back();
  // After "--" the words are a command's own (exec's, a schedule's steps): not shadowctl's.
  if (std::find(words.begin(), words.end(), "--") != words.end()) return {};

  const auto root = grammar(words);
  CLI::App* node = root.get();
  const CLI::Option* pending = nullptr;  // an option whose value comes next
  std::size_t positionals = 0;
  for (const std::string& w : words) {
    if (pending) {
      pending = nullptr;
      continue;
    }
    if (w.size() > 1 && w[0] == '-') {
      const CLI::Option* o = option_named(node, w);
      if (o && o->get_expected_max() != 0 && w.find('=') == std::string::npos) pending = o;
      continue;
    }
    if (CLI::App* sub = subcommand_named(node, w)) {
      node = sub;
      positionals = 0;
      continue;
    }
    ++positionals;
  }

  std::vector<Completion> found;
  if (pending) {
    found = values_of(*pending, values);
  } else if (!partial.empty() && partial[0] == '-') {
    for (const CLI::App* at = node; at; at = at->get_parent())
      for (const CLI::Option* o : at->get_options()) {
        if (!o->nonpositional()) continue;
        for (const std::string& n : o->get_lnames()) found.push_back({"--" + n, o->get_description()});
        for (const std::string& n : o->get_snames()) found.push_back({"-" + n, o->get_description()});
      }
  } else {
    for (const CLI::App* sub : node->get_subcommands([](const CLI::App*) { return true; }))
      found.push_back({sub->get_name(), sub->get_description()});
    // The command's own positional arguments: the next one's values.
    std::size_t k = 0;
    for (const CLI::Option* o : node->get_options()) {
      if (o->nonpositional()) continue;
      // A repeatable positional (volumes) takes every word from here on.
      if (k++ == positionals || o->get_expected_max() > 1) {
        for (auto& c : values_of(*o, values)) found.push_back(std::move(c));
        break;
      }
    }
  }
  std::vector<Completion> matching;
  for (auto& c : found)
    if (begins_with(c.value, partial) &&
        std::none_of(matching.begin(), matching.end(),
                     [&](const Completion& m) { return m.value == c.value; }))
      matching.push_back(std::move(c));
  return matching;
}

CompletionValues machine_values(const session::System& system) {
  CompletionValues v;
  v.volumes = [system] {
    std::vector<Completion> out;
    try {
      const auto table = session::VolumeTable::read(system);  // held: all() is a view into it
      for (const auto& volume : table.all()) {
        const std::string about =
            fmt::format("{} {}{}", volume.file_system, volume.label.empty() ? "" : volume.label + " ",
                        volume.name);
        for (const auto& mount : volume.mount_points) {
          // "C:\" as "C:", how people type a drive; a mounted folder as itself.
          out.push_back({mount.size() == 3 && mount[1] == ':' ? mount.substr(0, 2) : mount, about});
        }
      }
    } catch (const core::Error&) {
    }
    return out;
  };
  v.writers = [system] {
    std::vector<Completion> out;
    try {
      static session::CancelToken never;
      const session::WaitPolicy wait{std::chrono::seconds(30), never, {}};
      for (const auto& w : session::query_writers(system, wait).status) {
        const auto state = core::vss::writer_state(w.state);
        out.push_back({w.name, state ? std::string(state->name) : std::string()});
      }
    } catch (const core::Error&) {
    }
    return out;
  };
  v.shadow_copies = [system] {
    std::vector<Completion> out;
    try {
      const auto volumes = session::VolumeTable::read(system);
      for (const auto& s : session::query_shadow_copies(system, volumes))
        out.push_back({s.id, fmt::format("{} {}", core::display_volume(s),
                                         report::local_time(s.created_unix_us))});
    } catch (const core::Error&) {
    }
    return out;
  };
  return v;
}

int run_complete(const std::vector<std::string>& args, Io io, session::System system) {
  bool json = false, new_word = false;
  std::vector<std::string> words;
  std::string refused;
  std::size_t i = 2;
  for (; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "--json")
      json = true;
    else if (args[i] == "--new")
      new_word = true;
    else if (refused.empty())
      refused = args[i];
  }
  if (i < args.size()) words.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  report::Reporter reporter(io.out, io.err, {json, true, false, false});
  if (!refused.empty() || i == args.size())
    return reporter.emit(usage_outcome(
        "complete", refused.empty() ? "complete needs the words typed after `--`"
                                    : "complete takes --json, --new and `-- WORDS`, not '" + refused + "'"));
  const auto found = complete(std::move(words), new_word, machine_values(system));
  system.environment.restore_backup_privilege();
  report::Outcome outcome;
  outcome.command = "complete";
  outcome.result = nlohmann::json::array();
  for (const auto& c : found)
    outcome.result.push_back({{"value", c.value}, {"description", c.description}});
  outcome.for_a_program = true;  // the glue splits each line at its tab
  outcome.human = [found](std::ostream& out, const report::Style&) {
    for (const auto& c : found)
      out << report::one_line(c.value) << '\t' << report::one_line(c.description) << '\n';
  };
  return reporter.emit(outcome);
}

}  // namespace shadowctl::cli
