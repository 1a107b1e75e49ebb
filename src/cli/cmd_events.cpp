#include "cli/cmd_events.h"

#include <chrono>

#include <fmt/format.h>

#include "core/text.h"
#include "report/shapes.h"
#include "session/events.h"

namespace shadowctl::cli {

namespace {

// `events` waits longer than a failed run does for its events: reading them is the job.
constexpr std::chrono::seconds kEventsBound{60};

std::string sources_text() {
  std::string out;
  for (const auto& s : core::kEventSources)
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", s.provider, s.log);
  return out;
}

}  // namespace

void setup_events(CLI::App& app, EventsOptions& options) {
  app.description(
      "List the events of the last 24 hours (or --since) from the sources behind VSS "
      "failures: " +
      sources_text() +
      "; each with the catalogue's meaning and remedy and any HRESULT in it decoded. Read "
      "through the Windows Event Log API.");
  app.add_option("--since", options.since,
                 "How far back: 90m, 36h, 10d, 2w (default 24h)");
  add_number(app, "--id", options.id, "ID", 0, 65535, "Only events with this ID, such as 8193");
}

report::Outcome run_events(const EventsOptions& options, Context& context) {
  const std::int64_t since = duration_option(options.since, "--since");
  const std::int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  core::EventFilter filter{now_us - since, {}};
  if (options.id) filter.id = static_cast<std::uint32_t>(*options.id);
  session::EventReading reading = session::read_events(context.system.environment, filter,
                                                      kEventsBound);
  if (!reading.any_read) {
    core::Failure f{reading.error ? reading.error : core::hr::e_fail, "EvtQuery",
                    reading.unread};
    f.remedy =
        "On Windows, check that the Windows Event Log service (EventLog) runs: `sc query "
        "EventLog`. Under Wine, whose wevtapi.dll serves no query, there is no event log to "
        "read.";
    throw core::Error(std::move(f));
  }
  report::Outcome outcome;
  outcome.command = "events";
  outcome.result = {{"since", report::utc_timestamp(filter.since_unix_us)},
                    {"id", filter.id ? nlohmann::json(*filter.id) : nlohmann::json(nullptr)},
                    {"events", report::logged_events_json(reading.events)},
                    {"unread", reading.unread.empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json(reading.unread)}};
  if (!reading.unread.empty())
    outcome.warnings.push_back({"events_unread", reading.unread, "", reading.error});
  outcome.human = [events = std::move(reading.events), since_us = filter.since_unix_us](
                      std::ostream& out, const report::Style& style) {
    if (events.empty()) {
      out << "No VSS, volsnap or writer events since " << report::local_time(since_us) << ".\n";
      return;
    }
    report::render_logged_events(out, style, events, "");
    out << '\n'
        << core::counted(events.size(), "event", "events") << " since "
        << report::local_time(since_us) << ".\n";
  };
  return outcome;
}

Command events_command() {
  return make_command<EventsOptions>(
      "events", "List the VSS, volsnap and writer events of the event log", setup_events,
      run_events);
}

}  // namespace shadowctl::cli
