#pragma once

#include <cstdint>
#include <string>

namespace shadowctl::core {

// An HRESULT kept as its unsigned 32-bit pattern, so that it prints and sorts the way
// Windows documentation writes it (0x80042301), on every platform.
using HResult = std::uint32_t;

constexpr bool failed(HResult hr) { return (hr & 0x80000000u) != 0; }
constexpr bool succeeded(HResult hr) { return !failed(hr); }
constexpr HResult hresult_from_win32(std::uint32_t code) {
  return code == 0 || (code & 0x80000000u) ? code : ((code & 0xFFFFu) | 0x80070000u);
}
constexpr std::uint32_t facility_of(HResult hr) { return (hr >> 16) & 0x7FFu; }
constexpr std::uint32_t code_of(HResult hr) { return hr & 0xFFFFu; }
constexpr bool is_customer_defined(HResult hr) { return (hr & 0x20000000u) != 0; }

// "0x8004230F": the form users paste into searches.
std::string format_hresult(HResult hr);

// The facility's symbolic name (FACILITY_WIN32, FACILITY_ITF, ...), or "" when unknown.
std::string facility_name(std::uint32_t facility);

// Codes the tool itself uses; the catalogue gives their meaning.
namespace hr {
inline constexpr HResult s_ok = 0x00000000;
inline constexpr HResult s_false = 0x00000001;
inline constexpr HResult e_notimpl = 0x80004001;
inline constexpr HResult e_pointer = 0x80004003;
inline constexpr HResult e_fail = 0x80004005;
inline constexpr HResult e_unexpected = 0x8000FFFF;
inline constexpr HResult e_accessdenied = 0x80070005;
inline constexpr HResult e_outofmemory = 0x8007000E;
inline constexpr HResult e_invalidarg = 0x80070057;
inline constexpr HResult rpc_e_too_late = 0x80010119;
inline constexpr HResult error_mod_not_found = 0x8007007E;
inline constexpr HResult error_proc_not_found = 0x8007007F;
inline constexpr HResult error_elevation_required = 0x800702E4;
inline constexpr HResult error_service_disabled = 0x80070422;
inline constexpr HResult error_service_does_not_exist = 0x80070424;
inline constexpr HResult error_cancelled = 0x800704C7;
inline constexpr HResult error_privilege_not_held = 0x80070522;
inline constexpr HResult error_timeout = 0x800705B4;
inline constexpr HResult vss_s_async_pending = 0x00042309;
inline constexpr HResult vss_s_async_finished = 0x0004230A;
inline constexpr HResult vss_s_async_cancelled = 0x0004230B;
inline constexpr HResult vss_e_bad_state = 0x80042301;
inline constexpr HResult vss_e_unexpected = 0x80042302;
inline constexpr HResult vss_e_snapshot_set_in_progress = 0x80042316;
inline constexpr HResult shadowctl_e_wow64_process = 0xA5C70001;
inline constexpr HResult shadowctl_e_not_windows = 0xA5C70002;
inline constexpr HResult shadowctl_e_usage = 0xA5C70003;
inline constexpr HResult shadowctl_e_internal = 0xA5C70004;
}  // namespace hr

}  // namespace shadowctl::core
