// Every example in the docs, the README and the workflows is a command line the real CLI
// accepts, and every JSON field a PowerShell example reads is one the schema has.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"

namespace shadowctl::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = SHADOWCTL_SOURCE_DIR;

// One line of an example, where it came from, and its code block's language.
struct ExampleLine {
  std::string where;  // "docs/commands/list.md:42"
  std::string language;
  std::string text;
};

std::string read(const fs::path& path) {
  std::stringstream s;
  s << std::ifstream(path, std::ios::binary).rdbuf();
  return s.str();
}

// Markdown: the lines of fenced code blocks. A plain block holds synopses (with VOLUME...,
// [--option]) and transcripts: only its "> shadowctl" lines are examples. PowerShell
// backtick continuations are joined.
std::vector<ExampleLine> markdown_examples(const fs::path& path) {
  std::vector<ExampleLine> lines;
  std::istringstream in(read(path));
  std::string line, language, pending;
  bool in_block = false;
  int number = 0;
  const std::string name = fs::relative(path, kSource).generic_string();
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block;
      language = in_block ? line.substr(3) : "";
      continue;
    }
    if (!in_block) continue;
    if (language.empty()) {
      if (line.rfind("> ", 0) != 0) continue;
      line = line.substr(2);
    }
    if (!line.empty() && line.back() == '`' && language == "powershell") {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    lines.push_back({name + ":" + std::to_string(number), language, pending + line});
    pending.clear();
  }
  return lines;
}

// A workflow: every line of its run scripts, as PowerShell or shell.
std::vector<ExampleLine> workflow_examples(const fs::path& path) {
  std::vector<ExampleLine> lines;
  std::istringstream in(read(path));
  std::string line;
  int number = 0;
  const std::string name = fs::relative(path, kSource).generic_string();
  while (std::getline(in, line))
    lines.push_back({name + ":" + std::to_string(++number), "yaml", line});
  return lines;
}

std::vector<ExampleLine> every_example_line() {
  std::vector<fs::path> files = {kSource / "README.md"};
  for (const auto& dir : {kSource / "docs", kSource / "docs" / "commands"})
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".md") files.push_back(entry.path());
  std::vector<ExampleLine> lines;
  for (const auto& f : files) {
    auto more = markdown_examples(f);
    lines.insert(lines.end(), more.begin(), more.end());
  }
  for (const auto& entry : fs::directory_iterator(kSource / ".github" / "workflows")) {
    auto more = workflow_examples(entry.path());
    lines.insert(lines.end(), more.begin(), more.end());
  }
  return lines;
}

// Splits an example's command line as cmd and PowerShell do for these simple cases: blanks
// separate, quotes group. A word holding a variable ($id, %TEMP%, $(...)) stands for a
// value the example computes: "1" is a valid value for every option.
std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool any = false;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t') {
      if (any || !word.empty()) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
    }
  }
  if (any || !word.empty()) words.push_back(word);
  for (auto& w : words)
    if (w.find('$') != std::string::npos || std::count(w.begin(), w.end(), '%') >= 2) w = "1";
  return words;
}

// Whether the text before a program's path puts it where a command goes: at the start, after
// ( & | ; = { or a YAML key's colon, or after `wine`; not as an argument (`copy
// shadowctl.exe ...`).
bool at_command_position(std::string before) {
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.pop_back();
  if (before.empty()) return true;
  if (std::string_view("(&|;={:").find(before.back()) != std::string_view::npos) return true;
  return before.size() >= 4 && before.compare(before.size() - 4, 4, "wine") == 0 &&
         (before.size() == 4 || before[before.size() - 5] == ' ');
}

// The shadowctl command lines on one example line: from the program's name to the end of
// its command (a pipe, a redirection, a closing parenthesis, && or ||, a ;). Comments are
// prose.
std::vector<std::vector<std::string>> command_lines(const std::string& text) {
  static const std::regex program(R"(([^\s(&|;={]*)shadowctl(?:\.exe)?(?=\s|$))");
  std::vector<std::vector<std::string>> found;
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos || text[first] == '#' || text.compare(first, 3, "REM") == 0 ||
      text.compare(first, 2, "::") == 0)
    return found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), program);
       it != std::sregex_iterator(); ++it) {
    const std::string path_prefix = (*it)[1];
    if (!path_prefix.empty() && path_prefix.back() != '/' && path_prefix.back() != '\\')
      continue;  // part of another word: my-shadowctl, $shadowctl
    if (!at_command_position(text.substr(0, static_cast<std::size_t>(it->position())))) continue;
    std::string rest = text.substr(static_cast<std::size_t>(it->position() + it->length()));
    std::size_t end = rest.size();
    char quote = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      const char c = rest[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '$' && i + 1 < rest.size() && rest[i + 1] == '(') {
        // $(...) is a value the shell computes (a subexpression, an Azure variable).
        for (int depth = 0; i < rest.size(); ++i) {
          if (rest[i] == '(') ++depth;
          if (rest[i] == ')' && --depth == 0) break;
        }
        continue;
      }
      if (c == '"' || c == '\'')
        quote = c;
      else if (c == '|' || c == ')' || c == ';' || c == '>' || c == '&' || c == '#') {
        end = i;
        break;
      }
    }
    auto words = split_words(rest.substr(0, end));
    words.insert(words.begin(), "shadowctl");
    found.push_back(std::move(words));
  }
  return found;
}

TEST(DocsExamples, EveryShadowctlCommandLineParsesAgainstTheRealCli) {
  int checked = 0;
  for (const auto& line : every_example_line()) {
    for (const auto& args : command_lines(line.text)) {
      if (args.size() < 2) continue;  // the program named in prose, not run
      ++checked;
      EXPECT_EQ(cli::check_command_line(args), "") << line.where << ": " << line.text;
    }
  }
  // The docs hold dozens of examples: finding few means the scan broke.
  EXPECT_GT(checked, 60);
}

// Each command's page shows it both ways admins type it.
TEST(DocsExamples, EveryCommandPageHasCmdAndPowerShellExamples) {
  for (const auto& entry : fs::directory_iterator(kSource / "docs" / "commands")) {
    const std::string text = read(entry.path());
    EXPECT_TRUE(text.find("```cmd\n") != std::string::npos ||
                text.find("```bat\n") != std::string::npos)
        << entry.path().filename() << " has no cmd example";
    EXPECT_NE(text.find("```powershell\n"), std::string::npos)
        << entry.path().filename() << " has no PowerShell example";
  }
}

TEST(DocsExamples, CheckCommandLineRefusesWhatTheCliRefuses) {
  EXPECT_EQ(cli::check_command_line({"shadowctl", "list", "shadows", "--json"}), "");
  EXPECT_EQ(cli::check_command_line({"shadowctl", "exec", "C:", "--", "cmd", "/c", "--bogus"}), "");
  EXPECT_NE(cli::check_command_line({"shadowctl", "list", "shadowz"}), "");
  EXPECT_NE(cli::check_command_line({"shadowctl", "create", "C:", "--bogus"}), "");
  EXPECT_NE(cli::check_command_line({"shadowctl", "explain", "--event", "x"}), "");
  EXPECT_NE(cli::check_command_line({"shadowctl", "list", "shadows", "--", "x"}), "");
  EXPECT_NE(cli::check_command_line({"shadowctl"}), "");
  EXPECT_NE(command_lines("(shadowctl create C: --json | ConvertFrom-Json).result").size(), 0u);
  EXPECT_EQ(command_lines("(shadowctl create C: --json | ConvertFrom-Json).result")[0],
            (std::vector<std::string>{"shadowctl", "create", "C:", "--json"}));
  EXPECT_EQ(command_lines("copy shadowctl.exe C:\\Tools"),
            (std::vector<std::vector<std::string>>{}));
  EXPECT_EQ(command_lines("# run shadowctl check first"),
            (std::vector<std::vector<std::string>>{}));
  EXPECT_EQ(command_lines("wine build/windows/shadowctl.exe check").size(), 1u);
  EXPECT_EQ(command_lines("shadowctl --json-file $(A.B)\\c.json check | x")[0],
            (std::vector<std::string>{"shadowctl", "--json-file", "1", "check"}));
  EXPECT_EQ(command_lines("  ansible.windows.win_command: C:\\x\\shadowctl.exe check --json")[0],
            (std::vector<std::string>{"shadowctl", "check", "--json"}));
  EXPECT_EQ(command_lines("$r = & .\\shadowctl.exe list shadows --json").size(), 1u);
}

// Every property name the schema defines, anywhere in it.
void collect_properties(const nlohmann::json& node, std::set<std::string>& names) {
  if (node.is_object()) {
    if (const auto p = node.find("properties"); p != node.end() && p->is_object())
      for (const auto& [name, _] : p->items()) names.insert(name);
    for (const auto& [_, child] : node.items()) collect_properties(child, names);
  } else if (node.is_array()) {
    for (const auto& child : node) collect_properties(child, names);
  }
}

// PowerShell examples read documents as objects: (...).result.shadows, $set.result.set_id,
// Where-Object retryable, Select-Object hresult, name. Each name must be the schema's.
TEST(DocsExamples, JsonFieldsPowerShellExamplesReadAreInTheSchema) {
  std::set<std::string> schema;
  collect_properties(nlohmann::json::parse(read(kSource / "docs" / "json-schema.json")), schema);
  // PowerShell's own members and the properties of objects that are not documents.
  const std::set<std::string> powershell = {
      "Count",     "Length",  "Id",       "Name",           "FullName",
      "Exception", "Message", "ExitCode", "PSComputerName", "StandardOutput"};
  static const std::regex member(R"(\.([A-Za-z_][A-Za-z0-9_]*))");
  static const std::regex reader(
      R"((?:Where-Object|Select-Object|ForEach-Object|Sort-Object|Group-Object)\s+(?:-Property\s+)?([a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)*))");
  int checked = 0;
  for (const auto& line : every_example_line()) {
    if (line.language != "powershell" && line.language != "yaml") continue;
    if (line.text.find("ConvertFrom-Json") == std::string::npos &&
        line.text.find(".result") == std::string::npos &&
        line.text.find(".error") == std::string::npos)
      continue;
    std::vector<std::string> names;
    // Member chains that start at a document: after ConvertFrom-Json's parenthesis, or on
    // .result/.error/.exit_code.
    static const std::regex chain(R"((?:\)|\$[A-Za-z_]\w*|\$_)((?:\.[A-Za-z_]\w*)+))");
    for (auto it = std::sregex_iterator(line.text.begin(), line.text.end(), chain);
         it != std::sregex_iterator(); ++it) {
      const std::string members = (*it)[1];
      // Only chains that start at one of the document's own fields.
      static const std::regex envelope(
          R"(\.(result|error|exit_code|ok|tool|machine|time|warnings|command)(\..*)?)");
      if (!std::regex_match(members, envelope)) continue;
      for (auto m = std::sregex_iterator(members.begin(), members.end(), member);
           m != std::sregex_iterator(); ++m)
        names.push_back((*m)[1]);
    }
    if (line.text.find("ConvertFrom-Json") != std::string::npos)
      for (auto it = std::sregex_iterator(line.text.begin(), line.text.end(), reader);
           it != std::sregex_iterator(); ++it) {
        std::string list = (*it)[1];
        std::istringstream words(std::regex_replace(list, std::regex(R"(\s*,\s*)"), " "));
        for (std::string w; words >> w;) names.push_back(w);
      }
    for (const auto& name : names) {
      ++checked;
      EXPECT_TRUE(schema.count(name) || powershell.count(name))
          << line.where << ": '" << name
          << "' is not a field of docs/json-schema.json: " << line.text;
    }
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace shadowctl::test
