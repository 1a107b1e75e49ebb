#include "core/error_catalogue.h"
#include "core/diagnosis.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "core/text.h"

namespace shadowctl::core {
namespace {

// Where one HRESULT means different things from different calls. The phase is the VSS call
// (or "writer:NAME" for a writer's own failure); a phase prefix matches.
struct PhaseRefinement {
  HResult hr;
  std::string_view phase_prefix;
  std::string_view meaning;
  std::string_view remedy;
};

constexpr std::array kRefinements = {
    PhaseRefinement{
        hr::e_accessdenied, "CreateVssBackupComponents",
        "VSS refused to create a backup object: the process is not elevated, or its user is "
        "neither an administrator nor a backup operator.",
        "Run from an elevated console (Run as administrator) as a member of Administrators or "
        "Backup Operators, or list the account under "
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\VSS\\VssAccessControl."},
    PhaseRefinement{
        hr::e_accessdenied, "writer:",
        "A writer could not call back into shadowctl: COM security denied it (writers run "
        "under their own service accounts). The Application log shows VSS event 8194.",
        "shadowctl sets COM security itself; if it is hosted by another process, that process "
        "must call CoInitializeSecurity with packet privacy (RPC_C_AUTHN_LEVEL_PKT_PRIVACY) and "
        "the identify impersonation level (RPC_C_IMP_LEVEL_IDENTIFY). Check DCOM permissions "
        "with dcomcnfg."},
    PhaseRefinement{
        hr::e_invalidarg, "AddToSnapshotSet",
        "VSS does not accept this volume name, or the volume is not a local fixed volume.",
        "Give the volume as C:\\ or \\\\?\\Volume{GUID}\\; `vssadmin list volumes` shows "
        "valid names."},
    PhaseRefinement{
        hr::vss_e_unexpected, "InitializeForBackup",
        "The VSS service could not start or answered unexpectedly while the backup object "
        "was initialised.",
        "Check that the VSS and swprv services are not disabled (`sc qc vss`), then read the "
        "Application event log (source VSS)."},
};

Diagnosis decode_unknown(HResult value, std::string_view system_message) {
  Diagnosis d;
  d.hr = value;
  const std::uint32_t facility = facility_of(value);
  std::string facility_text = facility_name(facility);
  if (facility_text.empty()) facility_text = fmt::format("facility {}", facility);
  if (facility == 7 && failed(value)) {
    d.name = fmt::format("HRESULT_FROM_WIN32({})", code_of(value));
  } else {
    d.name = fmt::format("{}_{}", failed(value) ? "FAILURE" : "SUCCESS", format_hresult(value));
  }
  d.meaning = fmt::format("{} code {} in {} (0x{:04X}){}, not in shadowctl's catalogue.",
                          failed(value) ? "Failure" : "Success", code_of(value), facility_text,
                          code_of(value), is_customer_defined(value) ? ", customer-defined" : "");
  if (!system_message.empty()) d.meaning = fmt::format("{} {}", system_message, d.meaning);
  d.remedy = std::string(catalogue_detail::kCheckEventLog);
  d.exit = failed(value) ? ExitStatus::failure : ExitStatus::success;
  return d;
}

}  // namespace

Diagnosis diagnose(HResult value, std::string_view phase, std::string_view system_message) {
  Diagnosis d;
  if (const ErrorInfo* e = find_error(value)) {
    d.hr = value;
    d.name = e->name;
    d.meaning = e->meaning;
    d.remedy = e->remedy;
    d.exit = e->exit;
    d.retryable = e->retryable;
    d.known = true;
  } else {
    d = decode_unknown(value, system_message);
  }
  d.phase = phase;
  for (const auto& r : kRefinements) {
    if (r.hr == value && phase.substr(0, r.phase_prefix.size()) == r.phase_prefix) {
      d.meaning = r.meaning;
      d.remedy = r.remedy;
    }
  }
  return d;
}

// Equal but for ASCII case, without a copy of either (every catalogue name is compared).
bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::optional<HResult> parse_error_code(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const auto& e : kErrorCatalogue)
    if (equal_ignoring_case(e.name, text)) return e.value;
  const std::string name = lower_ascii(text);

  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (name.size() > 2 && name[0] == '0' && name[1] == 'x') {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(first + 2, last, v, 16);
    if (ec == std::errc() && p == last) return v;
    return std::nullopt;
  }
  if (text[0] == '-') {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(first, last, v, 10);
    if (ec == std::errc() && p == last && v >= INT32_MIN) return static_cast<HResult>(v);
    return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(first, last, v, 10);
  if (ec == std::errc() && p == last && v <= UINT32_MAX) return static_cast<HResult>(v);
  return std::nullopt;
}

std::optional<std::uint32_t> parse_win32_code(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 10);
  if (ec != std::errc() || p != text.data() + text.size() || v > 0xFFFF) return std::nullopt;
  return v;
}

Diagnosis diagnose_failure(const Failure& f, std::string_view system_message) {
  Diagnosis d = diagnose(f.hr, f.phase, system_message);
  d.detail = f.detail;
  d.undone = f.undone;
  d.writer = f.writer;
  d.volume = f.volume;
  if (!f.remedy.empty()) d.remedy = f.remedy;
  d.cleanup_failures = f.cleanup_failures;
  d.left_behind = f.left_behind;
  return d;
}

}  // namespace shadowctl::core
