#include "report/reporter.h"

#include <chrono>

#include "core/build_info.h"
#include "core/command_line.h"
#include "core/hresult.h"
#include "report/shapes.h"

namespace shadowctl::report {

Reporter::Reporter(std::ostream& out, std::ostream& err, OutputOptions options)
    : out_(out),
      err_(err),
      options_(options),
      safe_out_(out, options.color),
      safe_err_(err, options.color),
      style_(options.color),
      progress_(err, options.err_is_terminal && !options.json && !options.quiet) {}

namespace {

std::int64_t now_unix_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// The array of items, as dump(2) would write it at `depth` (1: the "result" itself, 2: a
// key of it); each item goes to `write` as soon as it is made.
void write_items(const ResultItems& items, int depth,
                 const std::function<void(std::string_view)>& write) {
  const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  write("[");
  bool first = true;
  items([&](std::string_view one) {
    write(first ? "\n" : ",\n");
    write(indent);
    first = false;
    write(one);
  });
  if (!first) {
    write("\n");
    write(std::string_view(indent).substr(2));
  }
  write("]");
}

// Names from Windows are kept as WTF-8 so they can be opened again; a document shows each
// lone surrogate as one U+FFFD (the replace handler would make three of it).
void show_lone_surrogates(nlohmann::json& value) {
  if (value.is_string()) {
    auto& text = value.get_ref<std::string&>();
    if (text.find('\xED') != std::string::npos) text = core::lone_surrogates_shown(text);
  } else if (value.is_structured()) {
    for (auto& item : value) show_lone_surrogates(item);
  }
}

// The document as dump(2) writes it. Text that is not UTF-8 is rare and costs a second pass:
// lone surrogates become U+FFFD, and any other invalid byte must not make the one document
// unparseable either.
std::string dumped(nlohmann::json& doc) {
  try {
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::type_error&) {
    show_lone_surrogates(doc);
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

int Reporter::emit(const Outcome& outcome) {
  const int code = core::to_int(outcome.exit);
  progress_.clear();
  if (options_.json) {
    // A list given as items stands in the document as a marker until the document is
    // written; the marker's control characters cannot come from anything else, escaped.
    static constexpr const char* kMarker = "\x01result\x01";
    nlohmann::json doc = {
        {"schema", "shadowctl/v1"},
        {"tool",
         {{"name", "shadowctl"},
          {"version", core::build_info().version},
          {"commit", core::build_info().commit}}},
        {"machine", machine_},
        {"time", utc_timestamp(now_unix_us())},
        {"command", outcome.command},
        {"ok", !outcome.error && outcome.exit == core::ExitStatus::success},
        {"exit_code", code},
        {"result", outcome.result},
        {"warnings", warnings_json(outcome.warnings)},
        {"error", outcome.error ? diagnosis_json(*outcome.error) : nlohmann::json(nullptr)},
    };
    const int depth = outcome.result_items_key.empty() ? 1 : 2;
    if (outcome.result_items && depth == 1) doc["result"] = kMarker;
    if (outcome.result_items && depth == 2) doc["result"][outcome.result_items_key] = kMarker;
    std::string text = dumped(doc) + '\n';
    std::ostream& out = stdout_is_the_childs_ ? err_ : out_;
    if (outcome.result_items) {
      // Around the marker: the document's head and tail; the items stream between them.
      const std::string marker = nlohmann::json(kMarker).dump();
      const std::size_t at = text.find(marker);
      const std::string tail = text.substr(at + marker.size());
      text.resize(at);
      if (!json_sink_) {
        out << text;
        write_items(outcome.result_items, depth, [&](std::string_view piece) { out << piece; });
        out << tail;
        out.flush();
        return out ? code : unreported(outcome, "cannot write the JSON document to stdout");
      }
      write_items(outcome.result_items, depth, [&](std::string_view piece) { text += piece; });
      text += tail;
    }
    if (json_sink_) {
      const std::string error = json_sink_(text);
      return error.empty() ? code : unreported(outcome, error);
    }
    out << text;
    out.flush();
    return out ? code : unreported(outcome, "cannot write the JSON document to stdout");
  }

  TerminalSafeStream& human = stdout_is_the_childs_ ? safe_err_ : safe_out_;
  std::ostream& lines = outcome.for_a_program ? out_ : static_cast<std::ostream&>(human);
  if (outcome.human) outcome.human(lines, style_);
  lines.flush();
  if (!lines) return unreported(outcome, "cannot write to stdout");
  if (!options_.quiet)
    for (const auto& w : outcome.warnings)
      safe_err_ << style_.warn("warning: ") << one_line(w.message) << '\n';
  if (outcome.error) {
    const core::Diagnosis& d = *outcome.error;
    safe_err_ << style_.bad("error: ") << d.name << " (" << core::format_hresult(d.hr) << ")";
    // The meaning carries names from the system (a writer, a path): one line, whatever they hold.
    if (!d.phase.empty()) safe_err_ << " during " << one_line(d.phase);
    // What exactly failed first, then what the code means in general.
    const std::string specific =
        d.detail + (d.detail.empty() || d.undone.empty() ? "" : "; ") + d.undone;
    if (specific.empty())
      safe_err_ << ": " << one_line(d.meaning) << '\n';
    else
      safe_err_ << ": " << one_line(specific) << "\n  " << one_line(d.meaning) << '\n';
    safe_err_ << style_.dim("hint: ") << d.remedy << '\n';
    render_cleanup(safe_err_, style_, d.cleanup_failures, d.left_behind);
    if (d.events && !d.events->empty()) {
      safe_err_ << style_.dim("events logged since the run started:") << '\n';
      render_logged_events(safe_err_, style_, *d.events, "  ");
    }
  }
  safe_err_.flush();
  return code;
}

int Reporter::unreported(const Outcome& outcome, const std::string& why) {
  safe_err_ << style_.bad("error: ") << one_line(why);
  if (outcome.undo_if_unreported) safe_err_ << "; " << outcome.undo_if_unreported();
  safe_err_ << '\n';
  safe_err_.flush();
  const int code = core::to_int(outcome.exit);
  return code == 0 ? core::to_int(core::ExitStatus::failure) : code;
}

}  // namespace shadowctl::report
