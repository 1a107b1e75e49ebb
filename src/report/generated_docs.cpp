#include "report/generated_docs.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/error_catalogue.h"
#include "core/event_catalogue.h"
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

std::string troubleshooting_markdown() {
  std::string md =
      "# Troubleshooting VSS with shadowctl\n\n"
      "<!-- Generated from src/core/event_catalogue.h and src/core/error_catalogue.h; do not "
      "edit.\n     Regenerate with SHADOWCTL_UPDATE_DOCS=1 "
      "build/native/tests/unit/shadowctl_tests --gtest_filter=GeneratedDocs.* -->\n\n"
      "What admins meet when shadow copies fail, keyed the two ways they arrive: an event ID "
      "in\nEvent Viewer, or an error name or code from a backup program's log. Every entry "
      "here is\nalso printed by `shadowctl explain` (`explain --event ID`, `explain CODE`), "
      "in human form\nor as JSON.\n\n"
      "## First steps\n\n"
      "1. `shadowctl check`: elevation, SeBackupPrivilege, the VSS service, the architecture "
      "and a\n   real backup session; each failed check says what to do.\n"
      "2. `shadowctl list writers`: a writer in a failed state, or one missing, names the "
      "application\n   to look at. `shadowctl list storage` shows shadow copy storage that "
      "is full or too small.\n"
      "3. The events: a failed shadowctl run already shows the VSS, volsnap and writer "
      "events\n   written since it started, under its error (`error.events` in JSON), each "
      "keyed below by\n   its ID; `shadowctl events --since 2d` lists those of the last two "
      "days, and\n   `shadowctl check --deep` reads the last day's. In Event Viewer they are "
      "the Application\n   log (source VSS) and the System log (source volsnap). An event's "
      "text often holds an\n   `hr = 0x...` value: shadowctl decodes it beside the event, "
      "and `shadowctl explain 0x...`\n   does on its own. A bare number from a Win32 message "
      "(`error 5`) is a Win32 code:\n   `shadowctl explain 5`.\n"
      "4. Run the failing command again with `-vv --log-file shadowctl.log`: the log names "
      "every VSS\n   call, its result and how long it took.\n\n"
      "## By event ID\n\n"
      "Event IDs are per source: the same number can mean different things from VSS and "
      "from\nvolsnap (`shadowctl explain --event 20 --source volsnap`).\n\n";
  for (const auto& e : core::kEventCatalogue)
    md += fmt::format(
        "### {} {} ({} log, {})\n\n{}\n\n- **Usual causes:** {}\n- **What to do:** {}\n\n",
        e.source, e.id, e.log, e.level, e.meaning, e.causes, e.remedy);

  std::vector<const core::ErrorInfo*> errors;
  for (const auto& e : core::kErrorCatalogue)
    if (core::failed(e.value)) errors.push_back(&e);
  std::sort(errors.begin(), errors.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  md +=
      "## By error name\n\n"
      "Every failure code shadowctl knows, by name; [errors.md](errors.md) has the same "
      "codes by value,\nand [exit-codes.md](exit-codes.md) what each exit class means to a "
      "script.\n\n"
      "| Error | Value | Exit | What it means | What to do |\n"
      "|---|---|---|---|---|\n";
  for (const auto* e : errors)
    md += fmt::format("| `{}` | `0x{:08X}` | {} | {} | {} |\n", e->name, e->value,
                      core::exit_status_name(e->exit), cell(e->meaning), cell(e->remedy));
  md +=
      "\n## Sources\n\n"
      "The entries are written in our own words from Microsoft's documentation: the event "
      "pages of\nthe Volume Shadow Copy Service for Windows Server (for example \"VSS Writer "
      "Operations\",\n<https://learn.microsoft.com/previous-versions/windows/it-pro/"
      "windows-server-2008-R2-and-2008/ee264195(v=ws.10)>),\nthe VSS API reference's return "
      "values, and \"Event and Error Handling Under VSS\". An event\nthat is not listed "
      "here still carries an `hr = 0x...` that `shadowctl explain` decodes.\n";
  return md;
}

}  // namespace shadowctl::report
