#pragma once

// Tab completion: one engine, driven by the command table and the options' own
// declarations, that the shells' glue asks with the words typed so far.
//   shadowctl complete [--json] [--new] -- WORDS...   (hidden; the glue calls it)
// answers one candidate a line, "VALUE<TAB>DESCRIPTION": commands, options, and option
// values (an option's fixed words; volumes, writers and shadow copies from the machine).
// `shadowctl completion powershell|bash` prints the glue (cmd_completion.h).

#include <functional>
#include <string>
#include <vector>

#include "cli/app.h"

namespace shadowctl::cli {

struct Completion {
  std::string value;
  std::string description;
};

// The machine's values, each read only when a value of its kind is being completed.
struct CompletionValues {
  std::function<std::vector<Completion>()> volumes;
  std::function<std::vector<Completion>()> writers;
  std::function<std::vector<Completion>()> shadow_copies;
};

// The candidates for the word being typed: the last of `words` (the words after the
// program's name), or a new one after them when `new_word`; filtered by what it begins with
// (ASCII case ignored), in the order the grammar declares them.
std::vector<Completion> complete(std::vector<std::string> words, bool new_word,
                                 const CompletionValues& values);

// The values as the machine gives them (the volume table, the writers' status, the shadow
// copies); an error reading one gives none of it.
CompletionValues machine_values(const session::System& system);

// `shadowctl complete ...`: args[0] is the program, args[1] "complete".
int run_complete(const std::vector<std::string>& args, Io io, session::System system);

}  // namespace shadowctl::cli
