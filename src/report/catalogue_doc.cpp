#include "report/catalogue_doc.h"

#include <fmt/format.h>

#include "core/error_catalogue.h"

namespace shadowctl::report {
namespace {

std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

}  // namespace

std::string errors_markdown() {
  std::string md =
      "# Error catalogue\n\n"
      "<!-- Generated from src/core/error_catalogue.h; do not edit. Regenerate with\n"
      "     SHADOWCTL_UPDATE_DOCS=1 build/native/tests/unit/shadowctl_tests "
      "--gtest_filter=Docs.* -->\n\n"
      "Every HRESULT shadowctl knows, sorted by value. `shadowctl explain CODE` prints one "
      "entry;\n`shadowctl explain --all --json` prints them all. A code that is not here is "
      "still decoded\n(severity, facility, code, and the system's own message for Win32 "
      "codes). Exit codes are\nlisted in [exit-codes.md](exit-codes.md).\n\n"
      "| Value | Name | Exit | Retry | Meaning | Remedy |\n"
      "|---|---|---|---|---|---|\n";
  for (const auto& e : core::kErrorCatalogue) {
    md += fmt::format("| `0x{:08X}` | `{}` | {} {} | {} | {} | {} |\n", e.value, e.name,
                      core::to_int(e.exit), core::exit_status_name(e.exit),
                      e.retryable ? "yes" : "no", cell(e.meaning), cell(e.remedy));
  }
  return md;
}

}  // namespace shadowctl::report
