#include "event_log.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/diagnosis.h"
#include "core/error_catalogue.h"
#include "core/event_log.h"
#include "core/text.h"
#include "journal.h"

namespace shadowctl::emulator {

namespace hr = core::hr;

namespace {

// Eats `word` at `at`; false (and `at` unchanged) when the text there is something else.
bool eat(std::string_view text, std::size_t& at, std::string_view word) {
  if (text.compare(at, word.size(), word) != 0) return false;
  at += word.size();
  return true;
}

// A quoted literal up to its closing quote.
std::optional<std::string> literal(std::string_view text, std::size_t& at) {
  if (at >= text.size() || text[at] != '\'') return std::nullopt;
  const std::size_t end = text.find('\'', at + 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string value(text.substr(at + 1, end - at - 1));
  at = end + 1;
  return value;
}

std::string xml_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// "0x80042306, <the code's text>": how VSS writes an hr into its events' insertion strings.
std::string hr_text(core::HResult code) {
  std::string meaning = core::diagnose(code).meaning;
  if (meaning.ends_with('.')) meaning.pop_back();  // the event's text adds its own
  return fmt::format("0x{:08x}, {}", code, meaning);
}

// Microsoft's own software provider, which the VSS service names in event 12293.
constexpr const char* kSoftwareProvider = "{b5946137-7b9f-4925-af80-51abd60b20d5}";

// The operation an event's context names, by the call that failed (the "Operation:" lines
// of the VSS events in field reports).
std::string operation_of(const std::string& method) {
  if (method.starts_with("GatherWriter")) return "Gathering Writer Data";
  if (method == "PrepareForBackup") return "PrepareForBackup Event";
  if (method == "DoSnapshotSet" || method == "AddToSnapshotSet") return "Executing Asynchronous Operation";
  if (method == "BackupComplete") return "BackupComplete Event";
  return "Processing " + method;
}

// The event a writer's failure state is reported as: the writer event it rejected.
std::string writer_event_of(const std::string& phase) {
  if (phase == "GatherWriterMetadata") return "Identify Event";
  if (phase == "PrepareForBackup") return "PrepareForBackup Event";
  if (phase == "DoSnapshotSet") return "Freeze Event";
  if (phase == "BackupComplete") return "BackupComplete Event";
  return phase;
}

}  // namespace

std::optional<EventSelection> parse_event_selection(std::string_view xpath) {
  std::size_t at = 0;
  if (!eat(xpath, at, "*[System[")) return std::nullopt;
  EventSelection s;
  bool any = false;
  for (;;) {
    if (eat(xpath, at, "Provider[")) {
      if (!s.providers.empty()) return std::nullopt;
      for (;;) {
        if (!eat(xpath, at, "@Name=")) return std::nullopt;
        auto name = literal(xpath, at);
        if (!name || name->empty()) return std::nullopt;
        s.providers.push_back(std::move(*name));
        if (eat(xpath, at, " or ")) continue;
        if (!eat(xpath, at, "]")) return std::nullopt;
        break;
      }
    } else if (eat(xpath, at, "TimeCreated[@SystemTime>=")) {
      if (s.since_us) return std::nullopt;
      const auto text = literal(xpath, at);
      if (!text) return std::nullopt;
      s.since_us = core::parse_event_time(*text);
      if (!s.since_us || !eat(xpath, at, "]")) return std::nullopt;
    } else if (eat(xpath, at, "EventID=")) {
      if (s.id) return std::nullopt;
      std::uint64_t v = 0;
      const std::size_t start = at;
      while (at < xpath.size() && xpath[at] >= '0' && xpath[at] <= '9' && at - start < 6)
        v = v * 10 + static_cast<std::uint64_t>(xpath[at++] - '0');
      if (at == start || v > 0xFFFF) return std::nullopt;
      s.id = static_cast<std::uint32_t>(v);
    } else {
      return std::nullopt;
    }
    any = true;
    if (eat(xpath, at, " and ")) continue;
    break;
  }
  if (!any || !eat(xpath, at, "]]") || at != xpath.size()) return std::nullopt;
  return s;
}

std::uint32_t select_events(const MachineState& m, std::string_view channel,
                            std::string_view xpath, std::vector<RecordedEvent>& out) {
  out.clear();
  if (channel != "Application" && channel != "System") return kErrorEvtChannelNotFound;
  const auto selection = parse_event_selection(xpath);
  if (!selection) return kErrorEvtInvalidQuery;
  for (const RecordedEvent& e : m.events) {
    if (e.log != channel) continue;
    if (!selection->providers.empty() &&
        std::none_of(selection->providers.begin(), selection->providers.end(),
                     [&](const std::string& p) { return core::same_ignoring_case(p, e.source); }))
      continue;
    // SystemTime compares at the text's precision: milliseconds.
    if (selection->since_us && e.time_us / 1000 < *selection->since_us / 1000) continue;
    if (selection->id && e.id != *selection->id) continue;
    out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(), [](const RecordedEvent& a, const RecordedEvent& b) {
    return a.record_id < b.record_id;
  });
  return 0;
}

std::string render_event_xml(const RecordedEvent& e, const std::string& computer) {
  std::string data;
  for (const std::string& d : e.data) data += "<Data>" + xml_escaped(d) + "</Data>";
  // The time at the 100 ns precision Windows writes.
  const std::string time = core::event_time_text(e.time_us);
  const std::string precise = fmt::format("{}{:04}Z", time.substr(0, time.size() - 1),
                                          (e.time_us % 1000 + 1000) % 1000 * 10);
  return fmt::format(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='{}'/><EventID Qualifiers='0'>{}</EventID><Version>0</Version>"
      "<Level>{}</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords>"
      "<TimeCreated SystemTime='{}'/><EventRecordID>{}</EventRecordID><Correlation/>"
      "<Execution ProcessID='0' ThreadID='0'/><Channel>{}</Channel><Computer>{}</Computer>"
      "<Security/></System><EventData>{}</EventData></Event>",
      xml_escaped(e.source), e.id, e.level, precise, e.record_id, xml_escaped(e.log),
      xml_escaped(computer), data);
}

std::string format_event_message(const RecordedEvent& e) {
  if (!core::same_ignoring_case(e.source, "VSS")) return {};
  // The message templates of the VSS source as Microsoft's event pages give them
  // ("VSS Writer Operations", "Volume Shadow Copy Service Operations").
  std::string_view text;
  switch (e.id) {
    case 8193: text = "Volume Shadow Copy Service error: Unexpected error calling routine %1. hr = %2.\n\nOperation:\n   %3"; break;
    case 8194: text = "Volume Shadow Copy Service error: Unexpected error querying for the IVssWriterCallback interface. hr = %1. This is often caused by incorrect security settings in either the writer or requestor process.\n\nOperation:\n   %2"; break;
    case 8229: text = "A VSS writer has rejected an event with error %1. Changes that the writer made to the writer components while handling the event will not be available to the requester. Check the event log for related events from the application hosting the VSS writer.\n\nOperation:\n   %2\n\nContext:\n   %3"; break;
    case 12293: text = "Volume Shadow Copy Service error: Error calling a routine on a Shadow Copy Provider %1. Routine details %2.\n\nOperation:\n   %3"; break;
    default: return {};
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
      const std::size_t n = static_cast<std::size_t>(text[i + 1] - '1');
      if (n < e.data.size()) out += e.data[n];
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

void write_event(MachineState& m, RecordedEvent e) {
  if (e.time_us == 0) e.time_us = now_us();
  e.record_id = m.next_event_record++;
  m.events.push_back(std::move(e));
}

std::vector<RecordedEvent> events_for_failed_call(const std::string& method, core::HResult code) {
  if (!core::failed(code)) return {};
  // Calls that work on the requester's own Backup Components Document, inside its own
  // vssapi.dll, never reach the service, which logs nothing of them; nor does a caller's
  // mistake, which vssapi.dll answers before asking the service.
  static constexpr std::string_view kInProcess[] = {
      "CreateVssBackupComponents", "SetContext", "SetBackupState", "AddComponent",
      "SetBackupSucceeded", "SetBackupOptions", "SaveAsXML", "FreeWriterMetadata",
      "FreeWriterStatus", "GetWriterMetadata", "GetWriterMetadataCount", "GetWriterStatus",
      "GetWriterStatusCount", "GetWriterComponents", "GetWriterComponentsCount",
      "GetSnapshotProperties"};
  if (std::find(std::begin(kInProcess), std::end(kInProcess), method) != std::end(kInProcess) ||
      method.starts_with("IVssAsync::"))
    return {};
  if (code == hr::e_invalidarg || code == hr::vss_e_bad_state ||
      code == hr::vss_e_object_not_found || code == hr::vss_e_snapshot_set_in_progress ||
      code == hr::e_notimpl)
    return {};
  // "Unexpected error querying for the IVssWriterCallback interface. hr = 0x80070005":
  // the writers could not call back into the requester (event 8194, "Volume Shadow Copy
  // Service Operations"; the cause the VSS notes give for a missing CoInitializeSecurity).
  if (code == hr::e_accessdenied &&
      (method.starts_with("GatherWriter") || method == "PrepareForBackup" ||
       method == "DoSnapshotSet"))
    return {{"Application", "VSS", 8194, 2, 0, {hr_text(code), operation_of(method)}}};
  // "Error calling a routine on a Shadow Copy Provider" (event 12293, KB972135): the
  // provider vetoed or failed the shadow copy, or its storage ran out.
  if (code == hr::vss_e_provider_veto || code == hr::vss_e_unexpected_provider_error ||
      code == hr::vss_e_insufficient_storage)
    return {{"Application", "VSS", 12293, 2, 0,
             {kSoftwareProvider, fmt::format("{} [hr = {}]", method, hr_text(code)),
              operation_of(method)}}};
  // Anything else the service failed at: "Unexpected error calling routine" (event 8193).
  return {{"Application", "VSS", 8193, 2, 0, {method, hr_text(code), operation_of(method)}}};
}

RecordedEvent writer_rejected_event(const Writer& writer, core::HResult code,
                                    const std::string& phase) {
  // "A VSS writer has rejected an event with error %1. ..." (event 8229, "VSS Writer
  // Operations"), a warning; the context names the writer.
  return {"Application", "VSS", 8229, 3, 0,
          {hr_text(code), writer_event_of(phase),
           fmt::format("Execution Context: Writer\n   Writer Class Id: {}\n   Writer Name: {}\n"
                       "   Writer Instance ID: {}",
                       writer.id, writer.name, writer.instance_id)}};
}

}  // namespace shadowctl::emulator
