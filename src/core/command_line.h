#pragma once

// Starting a program on Windows without a shell, as text: quoting each argument so that the
// child reads back exactly what was given, the stricter quoting a batch file needs, finding
// the program on PATH, and the child's environment block. Pure functions over UTF-16, so
// the rules are tested natively; platform/windows only calls CreateProcessW with the result.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shadowctl::core {

// One argument, quoted only when it must be, so that CommandLineToArgvW and the MSVC
// runtime read it back unchanged: backslashes doubled before a quote, quotes escaped.
std::u16string quote_argument(std::u16string_view argument);

// A command line read back into its arguments, as CommandLineToArgvW reads it, so that the
// tool reads its own without loading shell32 (docs/performance.md): the program name up to
// its closing quote, or the first blank when it starts without one; then arguments split at
// spaces and tabs outside quotes, where 2n backslashes before a quote give n and the quote
// opens or closes quoting, 2n+1 give n and a literal quote, and backslashes before anything
// else stand as they are. A run of quotes counts as Windows counts it: every third quote of
// a run that opened quoting is a literal quote, and a run ending on its second closes it.
// A Wine test holds it equal to the real CommandLineToArgvW over thousands of lines.
std::vector<std::u16string> split_command_line(std::u16string_view line);

// A program's command line: the program (always quoted) then each argument, quoted.
std::u16string command_line(std::u16string_view program, const std::vector<std::u16string>& arguments);

// Whether a program runs through cmd.exe: its name ends in .cmd or .bat once trailing dots
// and spaces are dropped (Windows drops them when it opens the file), in any case.
bool is_batch_file(std::u16string_view path);

// What cmd.exe needs to run a batch file with these arguments, each of which reaches the
// script as given: `cmd.exe /e:ON /v:OFF /d /c ""SCRIPT" ARGS"`, every argument quoted for
// cmd's own parse and `%` kept from expanding (the approach Rust's standard library took for
// CVE-2024-24576, "BatBadBut"). When an argument cannot be passed safely (it holds a line
// break or NUL), nullopt, with its index in *refused.
std::optional<std::u16string> batch_command_line(std::u16string_view script,
                                                 const std::vector<std::u16string>& arguments,
                                                 std::size_t* refused);

// Resolves what the user typed as COMMAND to a file, never from the current folder or the
// tool's own: with a path separator, that path (then with each PATHEXT extension);
// otherwise each absolute PATH entry in order, with the command as typed when its extension
// is in PATHEXT, else with each PATHEXT extension. `is_file` asks the machine.
std::optional<std::u16string> resolve_program(
    std::u16string_view command, std::u16string_view path, std::u16string_view pathext,
    const std::function<bool(const std::u16string&)>& is_file);

// The child's environment block: the parent's "NAME=value" entries without any SHADOWCTL_*
// variable (any case), then `additions`, sorted by name without regard to case as
// CreateProcessW expects, each ended by NUL and the block by a second NUL.
std::u16string environment_block(const std::vector<std::u16string>& parent,
                                 const std::vector<std::pair<std::u16string, std::u16string>>& additions);

// UTF-8 and UTF-16, for the values shadowctl adds (ids, device paths, folders).
std::u16string utf16(std::string_view utf8);
std::string utf8(std::u16string_view utf16);
// A name from the file system, which may hold a lone surrogate (NTFS names are any 16-bit
// units): as UTF-8, but a lone surrogate kept as its own three bytes (WTF-8), so utf16()
// gives the same name back and a file named so can still be opened.
std::string wtf8(std::u16string_view utf16);
// WTF-8 made UTF-8 for output (JSON, a terminal): each lone surrogate becomes one U+FFFD, as
// Windows' own conversion shows it; everything else is left as it is.
std::string lone_surrogates_shown(std::string_view wtf8);
// Whether the text holds a surrogate that is not half of a pair: not valid UTF-16, and
// changed (to U+FFFD) by any conversion to UTF-8.
bool has_unpaired_surrogate(std::u16string_view text);

}  // namespace shadowctl::core
