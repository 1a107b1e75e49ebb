#include "report/shapes.h"

#include <array>
#include <chrono>
#include <ctime>
#include <string_view>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/hresult.h"
#include "core/vss.h"
#include "core/text.h"
#include "report/table.h"
#include "report/terminal.h"

namespace shadowctl::report {
namespace {

nlohmann::json text_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

struct AttributeWord {
  long bit;
  std::string_view word;
};

constexpr auto kAttributeWords = std::to_array<AttributeWord>({
    {core::vss::attr::persistent, "persistent"},
    {core::vss::attr::no_autorecovery, "no_autorecovery"},
    {core::vss::attr::client_accessible, "client_accessible"},
    {core::vss::attr::no_auto_release, "no_auto_release"},
    {core::vss::attr::no_writers, "no_writers"},
    {core::vss::attr::transportable, "transportable"},
    {core::vss::attr::not_surfaced, "not_surfaced"},
    {core::vss::attr::not_transacted, "not_transacted"},
    {core::vss::attr::hardware_assisted, "hardware_assisted"},
    {core::vss::attr::differential, "differential"},
    {core::vss::attr::plex, "plex"},
    {core::vss::attr::imported, "imported"},
    {core::vss::attr::exposed_locally, "exposed_locally"},
    {core::vss::attr::exposed_remotely, "exposed_remotely"},
    {core::vss::attr::autorecover, "autorecover"},
    {core::vss::attr::rollback_recovery, "rollback_recovery"},
    {core::vss::attr::delayed_postsnapshot, "delayed_postsnapshot"},
    {core::vss::attr::txf_recovery, "txf_recovery"},
    {core::vss::attr::file_share, "file_share"},
});

std::string_view provider_type_name(int type) {
  switch (type) {
    case core::vss::provider_type::system: return "system";
    case core::vss::provider_type::software: return "software";
    case core::vss::provider_type::hardware: return "hardware";
    case core::vss::provider_type::fileshare: return "file_share";
    default: return "unknown";
  }
}

nlohmann::json shadow_copies_json(const std::vector<core::ShadowCopy>& shadows) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : shadows) list.push_back(shadow_copy_json(s));
  return list;
}

// The context word ("app-rollback"), or null for a combination that is none.
nlohmann::json context_json(long context) {
  const auto info = core::vss::context_of(context);
  return info ? nlohmann::json(info->word) : nlohmann::json(nullptr);
}

nlohmann::json backup_type_json(int backup_type) {
  for (const auto& t : core::vss::kBackupTypes)
    if (t.value == backup_type) return t.word;
  return nullptr;
}

}  // namespace

nlohmann::json warnings_json(const std::vector<core::Warning>& warnings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : warnings)
    out.push_back({{"code", w.code},
                   {"message", w.message},
                   {"about", text_or_null(w.about)},
                   {"error", w.hr ? nlohmann::json(core::diagnose(w.hr).name) : nlohmann::json(nullptr)}});
  return out;
}

nlohmann::json diagnosis_json(const core::Diagnosis& d) {
  nlohmann::json out = {
      {"hresult", core::format_hresult(d.hr)},
      {"decimal", static_cast<std::int32_t>(d.hr)},
      {"name", d.name},
      {"meaning", d.meaning},
      {"detail", text_or_null(d.detail)},
      {"undone", text_or_null(d.undone)},
      {"writer", text_or_null(d.writer)},
      {"volume", text_or_null(d.volume)},
      {"remedy", d.remedy},
      {"phase", text_or_null(d.phase)},
      {"exit_code", core::to_int(d.exit)},
      {"exit_class", core::exit_status_name(d.exit)},
      {"retryable", d.retryable},
      {"known", d.known},
  };
  if (!d.cleanup_failures.empty() || !d.left_behind.empty())
    out["cleanup"] = cleanup_json(d.cleanup_failures, d.left_behind);
  // Only where they were read for this failure (session::add_events).
  if (d.events) out["events"] = logged_events_json(*d.events);
  if (!d.events_unread.empty()) out["events_unread"] = d.events_unread;
  return out;
}

nlohmann::json snapshot_options_json(long attributes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : core::vss::kSnapshotOptions)
    if ((attributes & o.value) != 0) out.push_back(o.word);
  return out;
}

nlohmann::json components_json(const std::vector<core::SelectedComponent>& components) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : components)
    out.push_back({{"writer", c.writer}, {"logical_path", c.logical_path}, {"name", c.name}});
  return out;
}

nlohmann::json left_out_json(const std::vector<core::LeftOut>& left_out) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : left_out)
    out.push_back({{"writer", l.writer},
                   {"writer_id", l.writer_id},
                   {"component", text_or_null(l.component)},
                   {"volumes", l.volumes},
                   {"reason", l.reason}});
  return out;
}

void render_components(std::ostream& out, const std::vector<core::SelectedComponent>& components,
                       const std::vector<core::LeftOut>& left_out) {
  if (!components.empty()) {
    out << "Components selected (component mode):\n";
    for (const auto& c : components)
      out << "  " << in_line(c.writer) << ": "
          << in_line(c.logical_path.empty() ? c.name : c.logical_path + "\\" + c.name) << '\n';
  }
  if (!left_out.empty()) {
    out << "Left out (their files are not all on the set's volumes):\n";
    for (const auto& l : left_out)
      out << "  " << in_line(l.writer) << in_line(l.component.empty() ? "" : ": " + l.component)
          << ": " << in_line(l.reason) << '\n';
  }
}

nlohmann::json cleanup_json(const std::vector<core::CleanupFailure>& failures,
                            const std::vector<core::LeftBehind>& left) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& f : failures) {
    const core::Diagnosis d = core::diagnose(f.hr, f.call);
    failed.push_back({{"call", f.call},
                      {"hresult", core::format_hresult(f.hr)},
                      {"name", d.name},
                      {"meaning", d.meaning},
                      {"remedy", d.remedy}});
  }
  nlohmann::json sets = nlohmann::json::array();
  for (const auto& l : left)
    sets.push_back({{"set_id", l.set_id},
                    {"shadow_ids", l.shadow_ids},
                    {"remove_with", core::delete_command_for(l)}});
  return {{"failed", failed}, {"left_behind", sets}};
}

void render_cleanup(std::ostream& out, const Style& style,
                    const std::vector<core::CleanupFailure>& failures,
                    const std::vector<core::LeftBehind>& left) {
  for (const auto& f : failures) {
    const core::Diagnosis d = core::diagnose(f.hr, f.call);
    out << style.bad("error: ") << "cleanup failed too: " << f.call << " returned " << d.name
        << " (" << core::format_hresult(f.hr) << "): " << d.meaning << '\n';
  }
  for (const auto& l : left) {
    out << style.bad("left behind: ") << "set " << l.set_id << " with "
        << core::shadow_copies_text(l.shadow_ids.size());
    for (std::size_t i = 0; i < l.shadow_ids.size(); ++i)
      out << (i == 0 ? ": " : ", ") << l.shadow_ids[i];
    out << '\n' << style.dim("hint: ") << "remove it with `" << core::delete_command_for(l)
        << "`\n";
  }
}

nlohmann::json code_json(core::HResult hr) {
  return {{"hresult", core::format_hresult(hr)}, {"name", core::diagnose(hr).name}};
}

// By hand from the calendar's fields: fmt's chrono formatting took a third of listing
// 10,000 shadow copies (docs/performance.md).
std::string utc_timestamp(std::int64_t unix_us) {
  using namespace std::chrono;
  const sys_seconds t = floor<seconds>(sys_time<microseconds>(microseconds(unix_us)));
  const sys_days day = floor<days>(t);
  const year_month_day date(day);
  const hh_mm_ss<seconds> time(t - day);
  char text[32];
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t);
  auto two = [](char* at, long long value) {
    at[0] = static_cast<char>('0' + value / 10);
    at[1] = static_cast<char>('0' + value % 10);
  };
  two(text, year / 100);
  two(text + 2, year % 100);
  text[4] = '-';
  two(text + 5, static_cast<long long>(static_cast<unsigned>(date.month())));
  text[7] = '-';
  two(text + 8, static_cast<long long>(static_cast<unsigned>(date.day())));
  text[10] = 'T';
  two(text + 11, time.hours().count());
  text[13] = ':';
  two(text + 14, time.minutes().count());
  text[16] = ':';
  two(text + 17, static_cast<long long>(time.seconds().count()));
  text[19] = 'Z';
  return std::string(text, 20);
}

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

long long minutes_of(const std::tm& t) {
  return days_from_civil(t.tm_year + 1900, static_cast<unsigned>(t.tm_mon + 1),
                         static_cast<unsigned>(t.tm_mday)) *
             1440 +
         t.tm_hour * 60 + t.tm_min;
}

}  // namespace

std::string local_time(std::int64_t unix_us) {
  const auto seconds = static_cast<std::time_t>(unix_us / 1'000'000);
  const std::tm local = fmt::localtime(seconds);
  // The offset from UTC, computed: strftime's %z names the zone instead on some C runtimes.
  const long long offset = minutes_of(local) - minutes_of(fmt::gmtime(seconds));
  const long long magnitude = offset < 0 ? -offset : offset;
  return fmt::format("{:%Y-%m-%d %H:%M:%S} {}{:02}:{:02}", local, offset < 0 ? '-' : '+',
                     magnitude / 60, magnitude % 60);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return fmt::format("{}%", static_cast<unsigned>(static_cast<long double>(part) * 100 / whole));
}

std::string attribute_words(long attributes) {
  std::string words;
  for (const auto& a : kAttributeWords) {
    if ((attributes & a.bit) == 0) continue;
    if (!words.empty()) words += ", ";
    words += a.word;
  }
  return words;
}

nlohmann::json shadow_copy_json(const core::ShadowCopy& s) {
  nlohmann::json words = nlohmann::json::array();
  for (const auto& a : kAttributeWords)
    if (s.attributes & a.bit) words.push_back(a.word);
  const auto context = core::vss::context_of(s.attributes);
  return {
      {"id", s.id},
      {"set_id", s.set_id},
      {"shadows_in_set", s.shadows_in_set},
      {"original_volume", s.original_volume},
      {"original_mount_points", s.original_mount_points},
      {"device_path", s.device_path},
      {"created", utc_timestamp(s.created_unix_us)},
      {"persistent", (s.attributes & core::vss::attr::persistent) != 0},
      {"context", context ? nlohmann::json(context->word) : nlohmann::json(nullptr)},
      {"attributes", words},
      {"attributes_value", s.attributes},
      {"provider_id", s.provider_id},
      {"provider_name", text_or_null(s.provider_name)},
      {"exposed_name", text_or_null(s.exposed_name)},
      {"exposed_path", text_or_null(s.exposed_path)},
      {"originating_machine", s.originating_machine},
      {"service_machine", s.service_machine},
  };
}

namespace {

// A JSON string as nlohmann's dump writes it. Printable ASCII, which VSS's GUIDs, device
// paths and machine names are, is written here; anything else goes through nlohmann, so
// control characters, lone surrogates and invalid UTF-8 are escaped and replaced exactly as in
// every document.
void append_json_string(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    const bool wtf8 = text.find('\xED') != std::string_view::npos;
    out += nlohmann::json(wtf8 ? core::lone_surrogates_shown(text) : std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

void append_text_or_null(std::string& out, const std::string& text) {
  if (text.empty())
    out += "null";
  else
    append_json_string(out, text);
}

}  // namespace

void append_shadow_copy_json(std::string& out, const core::ShadowCopy& s, std::string_view indent) {
  // Each line break with the caller's indent after it.
  std::string nl = "\n";
  nl += indent;
  auto key = [&](std::string_view name) {
    out += ",";
    out += nl;
    out += "  \"";
    out += name;
    out += "\": ";
  };
  // The keys in nlohmann's order (sorted), each as dump(2) lays it out.
  out += "{";
  out += nl;
  out += "  \"attributes\": [";
  bool any = false;
  for (const auto& a : kAttributeWords) {
    if (!(s.attributes & a.bit)) continue;
    out += any ? "," : "";
    out += nl;
    out += "    \"";
    out += a.word;
    out += '"';
    any = true;
  }
  if (any) {
    out += nl;
    out += "  ";
  }
  out += "]";
  key("attributes_value");
  out += std::to_string(s.attributes);
  key("context");
  const auto context = core::vss::context_of(s.attributes);
  if (context)
    append_json_string(out, context->word);
  else
    out += "null";
  key("created");
  append_json_string(out, utc_timestamp(s.created_unix_us));
  key("device_path");
  append_json_string(out, s.device_path);
  key("exposed_name");
  append_text_or_null(out, s.exposed_name);
  key("exposed_path");
  append_text_or_null(out, s.exposed_path);
  key("id");
  append_json_string(out, s.id);
  key("original_mount_points");
  out += '[';
  for (std::size_t i = 0; i < s.original_mount_points.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, s.original_mount_points[i]);
  }
  out += ']';
  key("original_volume");
  append_json_string(out, s.original_volume);
  key("originating_machine");
  append_json_string(out, s.originating_machine);
  key("persistent");
  out += (s.attributes & core::vss::attr::persistent) != 0 ? "true" : "false";
  key("provider_id");
  append_json_string(out, s.provider_id);
  key("provider_name");
  append_text_or_null(out, s.provider_name);
  key("service_machine");
  append_json_string(out, s.service_machine);
  key("set_id");
  append_json_string(out, s.set_id);
  key("shadows_in_set");
  out += std::to_string(s.shadows_in_set);
  out += nl;
  out += "}";
}

nlohmann::json writer_status_json(const core::WriterStatus& w) {
  const auto state = core::vss::writer_state(w.state);
  return {
      {"name", w.name},
      {"writer_id", w.id},
      {"instance_id", w.instance_id},
      {"state", state ? std::string(state->name) : fmt::format("{}", w.state)},
      {"state_value", w.state},
      {"state_meaning", state ? std::string(state->meaning) : "Not a state vss.h defines."},
      {"failed", core::vss::writer_state_failed(w.state)},
      {"last_error", w.failure == 0 ? nlohmann::json(nullptr) : code_json(w.failure)},
  };
}

nlohmann::json provider_json(const core::Provider& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"type", provider_type_name(p.type)},
          {"version", p.version}};
}

nlohmann::json volume_json(const core::VolumeShadowing& v) {
  return {{"volume", v.volume.name},
          {"mount_points", v.volume.mount_points},
          {"file_system", v.volume.file_system},
          {"label", v.volume.label},
          {"supported", v.supported},
          {"snapshotted", v.snapshotted},
          {"shadow_count", v.shadow_count}};
}

nlohmann::json storage_json(const core::StorageAssociation& s) {
  return {{"for_volume", s.for_volume},
          {"for_mount_points", s.for_mount_points},
          {"on_volume", s.on_volume},
          {"on_mount_points", s.on_mount_points},
          {"used", s.used},
          {"allocated", s.allocated},
          {"maximum", s.maximum == 0 ? nlohmann::json(nullptr) : nlohmann::json(s.maximum)}};
}

nlohmann::json writer_components_json(const std::vector<core::WriterComponent>& components) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : components) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : c.files)
      files.push_back({{"path", f.path}, {"filespec", f.filespec}, {"recursive", f.recursive}});
    list.push_back({{"logical_path", c.logical_path},
                    {"name", c.name},
                    {"type", c.type},
                    {"selectable", c.selectable},
                    {"files", files}});
  }
  return list;
}

nlohmann::json made_set_json(const core::MadeSet& set) {
  return {{"set_id", set.set_id},
          {"context", context_json(set.context)},
          {"backup_type", backup_type_json(set.backup_type)},
          {"attempts", set.attempts},
          {"kept", (set.context & core::vss::attr::persistent) != 0},
          {"component_mode", set.component_mode},
          {"bootable_system_state", set.bootable_system_state},
          {"options", snapshot_options_json(set.attributes)},
          {"components", components_json(set.components)},
          {"left_out", left_out_json(set.left_out)},
          {"shadows", shadow_copies_json(set.shadows)}};
}

nlohmann::json exec_json(const core::MadeSet& set, const core::CommandRun& run) {
  nlohmann::json mounts = nlohmann::json::array();
  for (const auto& [volume, at] : run.mounts) {
    // Named as a shadow copy names its volume: the GUID path and its mount points.
    nlohmann::json mount_points = nlohmann::json::array();
    for (const auto& s : set.shadows)
      if (s.original_volume == volume) mount_points = s.original_mount_points;
    mounts.push_back({{"original_volume", volume},
                      {"original_mount_points", mount_points},
                      {"exposed_name", at}});
  }
  return {{"set_id", set.set_id},
          {"context", context_json(set.context)},
          {"backup_type", backup_type_json(set.backup_type)},
          {"options", snapshot_options_json(set.attributes)},
          {"shadows", shadow_copies_json(set.shadows)},
          {"mounts", mounts},
          {"program", run.program},
          {"arguments", run.arguments},
          {"exit_code", run.exit_code},
          {"run_time_ms", run.run_time_ms},
          {"set_deleted", set.deleted},
          {"backup_aborted", set.abandoned}};
}

nlohmann::json deletion_json(const core::DeletionReport& report) {
  const auto& done = report.done;
  nlohmann::json result = {
      {"dry_run", report.dry_run},
      {"count", report.dry_run ? report.selected.size() : done.deleted.size()},
      {"selected", shadow_copies_json(report.selected)},
      {"deleted", shadow_copies_json(done.deleted)}};
  if (!done.gone.empty()) result["gone"] = shadow_copies_json(done.gone);
  if (done.failure) result["failed_id"] = done.failed_id;
  return result;
}

nlohmann::json prune_json(const core::PruneReport& report) {
  const auto& done = report.done;
  const auto in = [](const std::vector<core::ShadowCopy>& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const auto& s) { return s.id == id; });
  };
  nlohmann::json verdicts = nlohmann::json::array();
  std::size_t kept = 0, doomed = 0;
  for (const auto& v : report.verdicts) {
    std::string action = "keep";
    if (v.kept_by.empty()) {
      ++doomed;
      action = report.dry_run                  ? "delete"
               : in(done.deleted, v.shadow.id) ? "deleted"
               : in(done.gone, v.shadow.id)    ? "gone"
               : v.shadow.id == done.failed_id ? "failed"
                                               : "not_reached";
    } else {
      ++kept;
    }
    verdicts.push_back({{"shadow_id", v.shadow.id},
                        {"original_volume", v.shadow.original_volume},
                        {"original_mount_points", v.shadow.original_mount_points},
                        {"created", utc_timestamp(v.shadow.created_unix_us)},
                        {"kept_by", v.kept_by},
                        {"action", action}});
  }
  nlohmann::json left_alone = nlohmann::json::array();
  for (const auto& l : report.left_alone)
    left_alone.push_back({{"shadow_id", l.shadow.id},
                          {"original_volume", l.shadow.original_volume},
                          {"original_mount_points", l.shadow.original_mount_points},
                          {"created", utc_timestamp(l.shadow.created_unix_us)},
                          {"reason", l.reason}});
  nlohmann::json result = {{"dry_run", report.dry_run}, {"kept", kept},
                           {"to_delete", doomed},       {"deleted", done.deleted.size()},
                           {"verdicts", verdicts},      {"left_alone", left_alone}};
  if (done.failure) result["failed_id"] = done.failed_id;
  return result;
}

nlohmann::json check_report_json(const core::CheckReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : report.checks)
    checks.push_back({
        {"name", c.name},
        {"status", core::check_status_name(c.status)},
        {"detail", c.detail},
        {"remedy", text_or_null(c.remedy)},
        // The full diagnosis of the failure is the document's "error"; here only its code.
        {"code", c.diagnosis ? code_json(c.diagnosis->hr) : nlohmann::json(nullptr)},
        {"about", text_or_null(c.about)},
    });
  nlohmann::json out = {{"checks", checks}, {"verdict", report.verdict()}};
  // check --deep, when the log was read: what its events item read.
  if (report.events_read) {
    out["events_since"] = utc_timestamp(report.events_since_unix_us);
    out["events"] = logged_events_json(report.events);
  }
  return out;
}

namespace {

// The catalogue's entry for an event, by ID and source, or none.
const core::EventInfo* catalogued(const core::LoggedEvent& e) {
  const auto found = core::find_events(e.id, e.source);
  return found.empty() ? nullptr : found.front();
}

// An event's message or, without one, its insertion strings, as one line of words.
std::string event_text(const core::LoggedEvent& e) {
  std::string joined = e.message;
  if (joined.empty())
    for (const std::string& d : e.data) joined += (joined.empty() ? "" : " | ") + d;
  std::string out;
  bool space = false;
  for (char c : joined) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

nlohmann::json logged_event_json(const core::LoggedEvent& e) {
  nlohmann::json errors = nlohmann::json::array();
  for (const core::HResult hr : core::event_hresults(e)) {
    const core::Diagnosis d = core::diagnose(hr);
    errors.push_back({{"hresult", core::format_hresult(hr)}, {"name", d.name}, {"meaning", d.meaning}});
  }
  const core::EventInfo* info = catalogued(e);
  return {{"time", utc_timestamp(e.time_unix_us)},
          {"log", e.log},
          {"source", e.source},
          {"id", e.id},
          {"level", core::event_level_name(e.level)},
          {"computer", text_or_null(e.computer)},
          {"data", e.data},
          {"message", text_or_null(e.message)},
          {"meaning", info ? nlohmann::json(info->meaning) : nlohmann::json(nullptr)},
          {"remedy", info ? nlohmann::json(info->remedy) : nlohmann::json(nullptr)},
          {"errors", std::move(errors)}};
}

nlohmann::json logged_events_json(const std::vector<core::LoggedEvent>& events) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : events) out.push_back(logged_event_json(e));
  return out;
}

void render_logged_events(std::ostream& out, const Style& style,
                          const std::vector<core::LoggedEvent>& events, std::string_view indent) {
  for (const auto& e : events) {
    const std::string level = core::event_level_name(e.level);
    out << indent << local_time(e.time_unix_us) << "  "
        << style.bold(fmt::format("{} {}", one_line(e.source), e.id)) << "  "
        << (e.level == 1 || e.level == 2 ? style.bad(level)
            : e.level == 3               ? style.warn(level)
                                         : level)
        << " (" << in_line(e.log) << " log)\n";
    if (const std::string text = event_text(e); !text.empty())
      out << indent << "    " << in_line(text) << '\n';
    if (const core::EventInfo* info = catalogued(e))
      out << indent << "    " << style.dim("meaning: ") << info->meaning << '\n'
          << indent << "    " << style.dim("remedy:  ") << info->remedy << '\n';
    for (const core::HResult hr : core::event_hresults(e)) {
      const core::Diagnosis d = core::diagnose(hr);
      out << indent << "    " << core::format_hresult(hr) << ' ' << d.name << ": " << d.meaning
          << '\n';
    }
  }
}

nlohmann::json events_json(std::uint32_t id, const std::vector<const core::EventInfo*>& events) {
  nlohmann::json matches = nlohmann::json::array();
  for (const auto* e : events)
    matches.push_back({{"id", e->id},
                       {"source", e->source},
                       {"log", e->log},
                       {"level", e->level},
                       {"meaning", e->meaning},
                       {"causes", e->causes},
                       {"remedy", e->remedy}});
  return {{"event", id}, {"matches", std::move(matches)}};
}

namespace {

// A bit of a flags word and the word JSON and tables name it by.
struct BitWord {
  std::uint32_t bit;
  std::string_view word;
};
constexpr auto kFileAttributeWords = std::to_array<BitWord>({
    {core::file_attr::read_only, "read_only"},
    {core::file_attr::hidden, "hidden"},
    {core::file_attr::system, "system"},
    {core::file_attr::archive, "archive"},
    {core::file_attr::reparse_point, "reparse_point"},
});

std::string_view entry_type(const core::FileEntry& e) {
  return e.is_reparse_point() ? "link" : e.is_folder() ? "folder" : "file";
}

// The words of the bits set in `bits`, in the table's order.
template <std::size_t N>
nlohmann::json words_json(std::uint32_t bits, const std::array<BitWord, N>& table) {
  nlohmann::json words = nlohmann::json::array();
  for (const auto& w : table)
    if ((bits & w.bit) != 0) words.push_back(w.word);
  return words;
}

}  // namespace

nlohmann::json folder_listing_json(const core::FolderListing& listing) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : listing.entries) {
    entries.push_back({{"name", e.name},
                       {"type", entry_type(e)},
                       {"size", e.is_folder() || e.is_reparse_point() ? 0 : e.size},
                       {"written", utc_timestamp(e.written_unix_us)},
                       {"created", utc_timestamp(e.created_unix_us)},
                       {"attributes", words_json(e.attributes, kFileAttributeWords)}});
  }
  return {{"shadow_id", listing.shadow_id},
          {"shadow_created", utc_timestamp(listing.shadow_created_unix_us)},
          {"path", listing.path},
          {"device_path", listing.device_path},
          {"entries", entries}};
}

void render_folder_listing(std::ostream& out, const Style& style,
                           const core::FolderListing& listing) {
  out << " " << in_line(listing.path) << " as the shadow copy " << listing.shadow_id
      << " holds it (made " << local_time(listing.shadow_created_unix_us) << ")\n "
      << style.dim(one_line(listing.device_path)) << "\n\n";
  std::uint64_t files = 0, folders = 0, bytes = 0;
  for (const auto& e : listing.entries) {
    std::string what;
    if (e.is_reparse_point()) {
      what = e.is_folder() ? "<JUNCTION>" : "<SYMLINK>";
    } else if (e.is_folder()) {
      what = "<DIR>";
      ++folders;
    } else {
      what = std::to_string(e.size);
      ++files;
      bytes += e.size;
    }
    out << local_time(e.written_unix_us) << "  " << fmt::format("{:>18}", what) << "  "
        << in_line(e.name) << '\n';
  }
  out << fmt::format("{:>16} file(s) {:>14} bytes\n{:>16} folder(s)\n", files,
                     bytes, folders);
}

namespace {

nlohmann::json version_json(const core::FileEntry& e) {
  return {{"type", entry_type(e)},
          {"size", e.is_folder() || e.is_reparse_point() ? 0 : e.size},
          {"written", utc_timestamp(e.written_unix_us)}};
}

std::string size_cell(const core::FileEntry& e) {
  return e.is_reparse_point() ? "<LINK>" : e.is_folder() ? "<DIR>" : std::to_string(e.size);
}

}  // namespace

nlohmann::json file_versions_json(const core::FileVersions& found) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& v : found.versions) {
    nlohmann::json entry = version_json(v.entry);
    entry["shadow_id"] = v.shadow_id;
    entry["shadow_created"] = utc_timestamp(v.shadow_created_unix_us);
    entry["device_path"] = v.device_path;
    entry["differs"] = v.differs;
    versions.push_back(std::move(entry));
  }
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& u : found.unreadable)
    unreadable.push_back({{"shadow_id", u.shadow_id}, {"code", code_json(u.hr)}});
  return {{"path", found.path},
          {"contents_compared", found.contents_compared},
          {"live", found.live ? version_json(*found.live) : nlohmann::json(nullptr)},
          {"versions", versions},
          {"unreadable", unreadable}};
}

void render_file_versions(std::ostream& out, const Style& style, const core::FileVersions& found) {
  out << " " << in_line(found.path) << "\n\n";
  Table table({"VERSION", "WRITTEN", "SIZE", "SAME AS NOW"});
  if (found.live)
    table.add({"now", local_time(found.live->written_unix_us), size_cell(*found.live), ""});
  else
    table.add({"now", "(gone)", "", ""});
  for (const auto& v : found.versions)
    table.add({v.shadow_id + " " + local_time(v.shadow_created_unix_us),
               local_time(v.entry.written_unix_us), size_cell(v.entry), v.differs ? "no" : "yes"});
  table.print(out);
  if (found.versions.empty())
    out << '\n' << style.dim("No shadow copy of its volume holds it.") << '\n';
}

namespace {

constexpr std::string_view action_word(core::RestoreAction a) {
  switch (a) {
    case core::RestoreAction::create: return "create";
    case core::RestoreAction::merge: return "merge";
    case core::RestoreAction::replace: return "replace";
    case core::RestoreAction::skip: return "skip";
  }
  return "skip";
}

constexpr std::string_view state_word(core::RestoreState s) {
  switch (s) {
    case core::RestoreState::planned: return "planned";
    case core::RestoreState::done: return "done";
    case core::RestoreState::failed: return "failed";
  }
  return "planned";
}

std::string bytes_text(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0);
  if (bytes < 1024ull * 1024 * 1024) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / 1048576.0);
  return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / 1073741824.0);
}

}  // namespace

nlohmann::json restore_json(const core::RestoreReport& report) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& s : report.sources)
    sources.push_back({{"path", s.path},
                       {"shadow_id", s.shadow_id},
                       {"shadow_created", utc_timestamp(s.shadow_created_unix_us)},
                       {"device_path", s.device_path}});
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : report.items) {
    nlohmann::json item = {{"path", i.path},
                           {"source", i.source},
                           {"destination", i.destination},
                           {"type", entry_type(i.entry)},
                           {"size", i.entry.is_folder() || i.entry.is_reparse_point() ? 0 : i.entry.size},
                           {"written", utc_timestamp(i.entry.written_unix_us)},
                           {"action", action_word(i.action)},
                           {"state", state_word(i.state)}};
    if (!i.reason.empty()) item["reason"] = i.reason;
    if (!i.kept_as.empty()) item["kept_as"] = i.kept_as;
    if (i.state == core::RestoreState::failed) item["code"] = code_json(i.error);
    items.push_back(std::move(item));
  }
  return {{"sources", sources},
          {"destination", report.in_place ? nlohmann::json(nullptr) : nlohmann::json(report.destination)},
          {"in_place", report.in_place},
          {"dry_run", report.dry_run},
          {"complete", !report.stopped},
          {"files", report.files},
          {"bytes", report.bytes},
          {"folders", report.folders},
          {"skipped", report.skipped},
          {"failed", report.failed},
          {"items", items}};
}

void render_restore(std::ostream& out, const Style& style, const core::RestoreReport& report) {
  const std::string where = report.in_place ? "at their own paths" : "to " + report.destination;
  for (const auto& s : report.sources)
    out << " " << in_line(s.path) << " from the shadow copy " << s.shadow_id << " (made "
        << local_time(s.shadow_created_unix_us) << ")\n";
  out << '\n';
  if (report.dry_run) {
    out << "Would restore " << core::counted(report.files, "file", "files") << ", "
        << bytes_text(report.bytes) << ", and make "
        << core::counted(report.folders, "folder", "folders") << " " << in_line(where)
        << " (dry run, nothing written):\n";
    for (const auto& i : report.items)
      out << fmt::format("  {:<8} ", action_word(i.action)) << in_line(i.destination)
          << (i.reason.empty() ? "" : "  (") << in_line(i.reason) << (i.reason.empty() ? "" : ")")
          << '\n';
    return;
  }
  out << (report.stopped ? "Stopped after restoring " : "Restored ")
      << core::counted(report.files, "file", "files") << ", " << bytes_text(report.bytes)
      << ", and made " << core::counted(report.folders, "folder", "folders") << " "
      << in_line(where) << ".\n";
  for (const auto& i : report.items)
    if (!i.kept_as.empty() && i.state == core::RestoreState::done)
      out << "  kept the current " << in_line(i.destination) << " as " << in_line(i.kept_as) << '\n';
  if (report.skipped > 0) {
    out << '\n' << style.dim(fmt::format("Skipped {}:", report.skipped)) << '\n';
    for (const auto& i : report.items)
      if (i.action == core::RestoreAction::skip)
        out << "  " << in_line(i.path) << "  " << style.dim(one_line(i.reason)) << '\n';
  }
  if (report.failed > 0) {
    out << '\n' << fmt::format("Failed {}:", report.failed) << '\n';
    for (const auto& i : report.items)
      if (i.state == core::RestoreState::failed)
        out << "  " << in_line(i.path) << "  " << core::diagnose(i.error).name << ": "
            << core::diagnose(i.error).meaning << '\n';
  }
}

namespace {

constexpr auto kDifferenceWords = std::to_array<BitWord>({
    {core::difference::kind, "kind"},
    {core::difference::size, "size"},
    {core::difference::time, "time"},
    {core::difference::attributes, "attributes"},
    {core::difference::contents, "contents"},
});

constexpr std::string_view change_word(core::ChangeKind k) {
  switch (k) {
    case core::ChangeKind::added:
      return "added";
    case core::ChangeKind::removed:
      return "removed";
    case core::ChangeKind::changed:
      return "changed";
  }
  return "changed";
}

nlohmann::json side_entry_json(const std::optional<core::FileEntry>& e) {
  if (!e) return nullptr;
  nlohmann::json entry = version_json(*e);
  entry["attributes"] = words_json(e->attributes, kFileAttributeWords);
  return entry;
}

nlohmann::json side_json(const std::string& id, std::int64_t created, const std::string& path) {
  if (id.empty()) return {{"shadow_id", nullptr}, {"shadow_created", nullptr}, {"path", path}};
  return {{"shadow_id", id}, {"shadow_created", utc_timestamp(created)}, {"path", path}};
}

}  // namespace

nlohmann::json diff_json(const core::TreeDiff& diff) {
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& u : diff.unreadable)
    unreadable.push_back({{"path", u.path}, {"code", code_json(u.hr)}});
  return {{"path", diff.path},
          {"from", side_json(diff.from_id, diff.from_created_unix_us, diff.from_device_path)},
          {"to", side_json(diff.to_id, diff.to_created_unix_us, diff.to_device_path)},
          {"contents_compared", diff.contents_compared},
          {"complete", diff.unreadable.empty()},
          {"entries", diff.entries},
          {"added", {{"count", diff.added}, {"bytes", diff.added_bytes}}},
          {"removed", {{"count", diff.removed}, {"bytes", diff.removed_bytes}}},
          {"changed", {{"count", diff.changed}, {"bytes", diff.changed_bytes}}},
          {"unreadable", unreadable},
          {"changes", nlohmann::json::array()}};
}

std::string diff_change_json(const core::TreeChange& change) {
  const nlohmann::json item = {{"change", change_word(change.kind)},
                               {"path", core::lone_surrogates_shown(change.path)},
                               {"what", words_json(change.what, kDifferenceWords)},
                               {"before", side_entry_json(change.before)},
                               {"after", side_entry_json(change.after)}};
  return item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void render_diff(std::ostream& out, const Style& style, const core::TreeDiff& diff) {
  const auto side = [](const std::string& id, std::int64_t created) {
    return id.empty() ? std::string("the live volume")
                      : "the shadow copy " + id + " (made " + local_time(created) + ")";
  };
  out << " " << in_line(diff.path) << "\n from " << side(diff.from_id, diff.from_created_unix_us)
      << "\n   to " << side(diff.to_id, diff.to_created_unix_us) << "\n\n";
  if (!diff.changes.empty()) {
    Table table({"CHANGE", "WHAT", "SIZE", "WRITTEN", "PATH"});
    for (const auto& c : diff.changes) {
      std::string what;
      for (const auto& w : kDifferenceWords)
        if ((c.what & w.bit) != 0) what += (what.empty() ? "" : ",") + std::string(w.word);
      const core::FileEntry& e = c.after ? *c.after : *c.before;
      table.add({std::string(change_word(c.kind)), what, size_cell(e),
                 local_time(e.written_unix_us), c.path});
    }
    table.print(out);
    out << '\n';
  }
  if (diff.changes.empty())
    out << "No differences";
  else
    out << fmt::format("{} added ({}), {} removed ({}), {} changed ({} now)", diff.added,
                       human_bytes(diff.added_bytes), diff.removed, human_bytes(diff.removed_bytes),
                       diff.changed, human_bytes(diff.changed_bytes));
  out << fmt::format("; {} {} compared{}.\n", diff.entries, diff.entries == 1 ? "entry" : "entries",
                     diff.contents_compared ? ", same-size files read on both sides" : "");
  if (!diff.unreadable.empty()) {
    out << '\n'
        << style.dim(fmt::format("Not read ({}), so not compared:", diff.unreadable.size()))
        << '\n';
    for (const auto& u : diff.unreadable)
      out << "  " << in_line(u.path) << "  " << core::diagnose(u.hr).name << '\n';
  }
}

}  // namespace shadowctl::report

namespace shadowctl::report {

nlohmann::json task_added_json(const core::TaskPlan& plan, bool replaced) {
  return {{"name", plan.name},
          {"path", fmt::format("{}\\{}", core::kTaskFolder, plan.name)},
          {"schedule", core::schedule_words(plan)},
          {"runs_as", "S-1-5-18"},
          {"program", plan.program},
          {"arguments", core::task_arguments(plan)},
          {"steps", plan.steps},
          {"log_file", plan.log_file},
          {"replaced", replaced}};
}

std::string task_state_word(int state) {
  static constexpr std::array<const char*, 5> kWords = {"unknown", "disabled", "queued", "ready",
                                                        "running"};
  return state >= 0 && state < static_cast<int>(kWords.size()) ? kWords[static_cast<std::size_t>(state)]
                                                                : "unknown";
}

nlohmann::json scheduled_task_json(const core::ScheduledTask& task) {
  const core::TaskText text = core::read_task_xml(task.xml);
  auto given = [](const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  auto time = [](std::int64_t unix_us) {
    return unix_us == 0 ? nlohmann::json(nullptr) : nlohmann::json(utc_timestamp(unix_us));
  };
  nlohmann::json last_result = nullptr;
  const bool never_run = task.last_run_hr == core::code("SCHED_S_TASK_HAS_NOT_RUN");
  if (never_run || !core::failed(task.last_result_error)) {
    const core::HResult value = never_run ? task.last_run_hr : task.last_result;
    const core::ResultWords words = core::task_result_words(value);
    last_result = {{"value", core::format_hresult(value)},
                   {"name", words.name},
                   {"meaning", words.meaning}};
  }
  return {{"name", task.name},
          {"path", fmt::format("{}\\{}", core::kTaskFolder, task.name)},
          {"enabled", task.enabled},
          {"state", task_state_word(task.state)},
          {"description", given(text.description)},
          {"program", given(text.command)},
          {"arguments", given(text.arguments)},
          {"runs_as", given(text.user_id)},
          {"run_level", given(text.run_level)},
          {"start", given(text.start_boundary)},
          {"last_run", time(task.last_run_unix_us)},
          {"last_result", last_result},
          {"last_result_error", core::failed(task.last_result_error) && !never_run
                                    ? code_json(task.last_result_error)
                                    : nlohmann::json(nullptr)},
          {"next_run", time(task.next_run_unix_us)}};
}

nlohmann::json steps_run_json(const std::vector<core::StepRun>& runs, std::size_t planned) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& run : runs) {
    const bool started = !core::failed(run.start_error);
    steps.push_back({{"command", run.words},
                     {"exit_code", started ? nlohmann::json(run.exit_code) : nlohmann::json(nullptr)},
                     {"start_error", started ? nlohmann::json(nullptr) : code_json(run.start_error)},
                     {"run_ms", run.run_time.count()}});
  }
  const bool all = runs.size() == planned && (runs.empty() || (!core::failed(runs.back().start_error) &&
                                                                runs.back().exit_code == 0));
  return {{"steps", steps}, {"planned", planned}, {"completed", all}};
}

}  // namespace shadowctl::report

namespace shadowctl::report {

nlohmann::json storage_change_json(const core::StorageChange& change) {
  auto association = [](const std::optional<core::StorageAssociation>& a) {
    return a ? storage_json(*a) : nlohmann::json(nullptr);
  };
  auto copies = [](const std::vector<core::ShadowCopy>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : list)
      out.push_back({{"shadow_id", s.id},
                     {"original_volume", s.original_volume},
                     {"original_mount_points", s.original_mount_points},
                     {"created", utc_timestamp(s.created_unix_us)}});
    return out;
  };
  return {{"action", change.action},
          {"for_volume", change.for_volume},
          {"for_mount_points", change.for_mount_points},
          {"on_volume", change.on_volume},
          {"on_mount_points", change.on_mount_points},
          {"maximum", change.action == "delete" ? nlohmann::json(0)
                      : change.maximum < 0      ? nlohmann::json(nullptr)
                                                : nlohmann::json(change.maximum)},
          {"dry_run", change.dry_run},
          {"before", association(change.before)},
          {"after", association(change.after)},
          {"at_risk", copies(change.at_risk)},
          {"gone", copies(change.gone)}};
}

}  // namespace shadowctl::report
