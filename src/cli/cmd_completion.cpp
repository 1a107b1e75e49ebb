#include "cli/cmd_completion.h"

namespace shadowctl::cli {

namespace {

// PowerShell: a native argument completer for shadowctl and shadowctl.exe. The words up to
// the cursor go after `--`; a new, empty word is said with --new (Windows PowerShell 5.1
// drops an empty argument to a native program).
constexpr const char* kPowerShell = R"glue(# shadowctl tab completion: add to $PROFILE, or run once with
#   shadowctl completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName shadowctl, shadowctl.exe -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
    Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.Extent.Text })
  $new = @()
  if ($wordToComplete -eq '') { $new = @('--new') }
  $exe = $commandAst.CommandElements[0].Extent.Text
  & $exe complete @new -- @words 2>$null | ForEach-Object {
    $value, $description = $_ -split "`t", 2
    if (-not $description) { $description = $value }
    [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $description)
  }
}
)glue";

// bash: the words of the line up to the cursor's word, that word included.
constexpr const char* kBash = R"glue(# shadowctl tab completion: add to ~/.bashrc, or run once with
#   source <(shadowctl completion bash)
_shadowctl() {
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | cut -f1)" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -F _shadowctl shadowctl shadowctl.exe
)glue";

}  // namespace

void setup_completion(CLI::App& app, CompletionOptions& options) {
  app.description(
      "Print the shell code that completes shadowctl's commands, options and values (the "
      "machine's volumes, writers and shadow copies) as you type: PowerShell's "
      "Register-ArgumentCompleter, or bash's complete.");
  one_of(app.add_option("shell", options.shell, "The shell: powershell or bash")->required(),
         {"powershell", "bash"});
}

report::Outcome run_completion(const CompletionOptions& options, Context&) {
  report::Outcome outcome;
  outcome.command = "completion";
  const std::string script = options.shell == "bash" ? kBash : kPowerShell;
  outcome.result = {{"shell", options.shell}, {"script", script}};
  outcome.human = [script](std::ostream& out, const report::Style&) { out << script; };
  return outcome;
}

Command completion_command() {
  return make_command<CompletionOptions>(
      "completion", "Print the tab completion code for PowerShell or bash", setup_completion,
      run_completion);
}

}  // namespace shadowctl::cli
