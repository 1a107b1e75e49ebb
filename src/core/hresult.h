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

}  // namespace shadowctl::core
