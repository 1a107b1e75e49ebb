#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnosis.h"
#include "core/exit_status.h"
#include "report/progress.h"
#include "report/style.h"
#include "report/terminal.h"

namespace shadowctl::report {

// The indent of a "result" array's items in the document.
inline constexpr std::string_view kResultItemIndent = "    ";

// Hands each item of a long list to `yield`, one at a time, as JSON text laid out as
// dump(2) writes it inside the document's "result" (every line after the first indented by
// kResultItemIndent).
using ResultItems = std::function<void(const std::function<void(std::string_view item)>& yield)>;

// What a command hands back: never printed by the command itself.
struct Outcome {
  std::string command;
  nlohmann::json result;                             // the JSON "result"; null when none
  // A long list as its items, instead of `result`: each is made, written and dropped, so a
  // list of 10,000 shadow copies never stands in memory as one JSON tree.
  ResultItems result_items;
  // With `result` an object: the key of it whose array the items are (diff's "changes");
  // empty: the items are the result.
  std::string result_items_key;
  std::function<void(std::ostream&, const Style&)> human;  // renders the result for people
  std::vector<core::Warning> warnings;
  std::optional<core::Diagnosis> error;
  core::ExitStatus exit = core::ExitStatus::success;
  // Undoes what the command made when its report could not be written (stdout closed, a
  // full disk for --json-file): a shadow copy nobody was told of must not stay. Returns
  // what it did, for the error line.
  std::function<std::string()> undo_if_unreported;
  // The human rendering is lines for a program (`complete`'s "VALUE<TAB>DESCRIPTION"), not
  // for a terminal: written as is, each field already made one line by report::one_line.
  bool for_a_program = false;
};

struct OutputOptions {
  bool json = false;
  bool quiet = false;
  bool color = false;
  bool err_is_terminal = false;  // progress lines only go to a terminal
};

// Where a JSON document goes instead of stdout (--json-file); returns why it could not be
// written, or "".
using JsonSink = std::function<std::string(const std::string& document)>;

// Owns stdout: writes exactly one document per run (JSON mode) or the human rendering, and
// the human error lines on stderr.
class Reporter {
 public:
  Reporter(std::ostream& out, std::ostream& err, OutputOptions options);
  // In JSON mode, the document goes to `sink` and nothing to stdout.
  void send_json_to(JsonSink sink) { json_sink_ = std::move(sink); }
  // stdout belongs to the command shadowctl runs (exec: `exec C: -- 7z a -so > x.7z` must
  // get the child's bytes alone): the human report and, without --json-file, the JSON
  // document go to stderr instead.
  void leave_stdout_to_child() { stdout_is_the_childs_ = true; }
  // The computer's name, stamped into every JSON document with the version and the time.
  void set_machine(std::string machine) { machine_ = std::move(machine); }
  // Writes the outcome; returns its exit code. When stdout or the --json-file cannot be
  // written, says so on stderr, runs the outcome's undo and returns failure (1).
  int emit(const Outcome& outcome);
  // The progress channel on stderr (silent with --json, -q, or no terminal).
  Progress& progress() { return progress_; }
  // stderr for people, logs included: control characters in what is written are escaped.
  std::ostream& human_err() { return safe_err_; }

 private:
  std::ostream& out_;  // the JSON document, as it is (JSON escapes its own controls)
  std::ostream& err_;  // the same, when stdout is the child's
  OutputOptions options_;
  TerminalSafeStream safe_out_;  // stdout for people
  TerminalSafeStream safe_err_;
  Style style_;
  Progress progress_;
  JsonSink json_sink_;
  // The error line and code for an outcome whose report could not be written.
  int unreported(const Outcome& outcome, const std::string& why);
  std::string machine_;
  bool stdout_is_the_childs_ = false;
};

}  // namespace shadowctl::report
