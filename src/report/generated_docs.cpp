#include "report/generated_docs.h"

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "core/exit_status.h"

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
      "--gtest_filter=GeneratedDocs.* -->\n\n"
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

std::string exit_codes_markdown() {
  std::string md =
      "# Exit codes\n\n"
      "<!-- Generated from src/core/exit_status.h; do not edit. Regenerate with\n"
      "     SHADOWCTL_UPDATE_DOCS=1 build/native/tests/unit/shadowctl_tests "
      "--gtest_filter=GeneratedDocs.* -->\n\n"
      "Every run ends with one of these codes. With `--json`, the same number is the "
      "document's\n`exit_code`, and the error's `exit_class` is the name below. `shadowctl "
      "explain CODE` prints\nthe exit code an HRESULT maps to.\n\n"
      "| Code | Name | When |\n"
      "|---:|---|---|\n";
  for (const auto& e : core::kExitStatuses)
    md += fmt::format("| {} | `{}` | {} |\n", core::to_int(e.status), e.name, cell(e.when));
  md +=
      "\nIn scripts:\n\n"
      "```powershell\n"
      "shadowctl check --json | Out-Null\n"
      "switch ($LASTEXITCODE) {\n"
      "  0 { \"VSS is usable\" }\n"
      "  3 { \"run elevated\" }\n"
      "  4 { \"no VSS on this machine\" }\n"
      "  default { \"failed: $LASTEXITCODE\" }\n"
      "}\n"
      "```\n\n"
      "```cmd\n"
      "shadowctl check -q\n"
      "if errorlevel 4 if not errorlevel 5 echo No VSS on this machine\n"
      "```\n";
  return md;
}

}  // namespace shadowctl::report
