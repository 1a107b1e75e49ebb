#include "core/hresult.h"

#include <fmt/format.h>

namespace shadowctl::core {

std::string format_hresult(HResult hr) { return fmt::format("0x{:08X}", hr); }

std::string facility_name(std::uint32_t facility) {
  switch (facility) {
    case 0: return "FACILITY_NULL";
    case 1: return "FACILITY_RPC";
    case 2: return "FACILITY_DISPATCH";
    case 3: return "FACILITY_STORAGE";
    case 4: return "FACILITY_ITF";
    case 7: return "FACILITY_WIN32";
    case 8: return "FACILITY_WINDOWS";
    case 9: return "FACILITY_SECURITY";
    case 10: return "FACILITY_CONTROL";
    case 11: return "FACILITY_CERT";
    case 0x5C7: return "FACILITY_SHADOWCTL";
    default: return "";
  }
}

}  // namespace shadowctl::core
