#pragma once

// Text bound for a terminal, made unable to act on it: a name from the system (a volume
// label, a writer's name, a path) or the user's own argument echoed back cannot fake a line,
// move the cursor, set the title or write the clipboard, or reorder what follows.

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace shadowctl::report {

// Marks a colour sequence as shadowctl's own (report::Style writes it before each ESC): a
// byte that valid UTF-8 never holds, so no name from the system or the user, all converted
// from UTF-16 or checked, can carry it. Only a marked sequence passes the filter.
inline constexpr char kOwnSequence = '\xFF';

// `text` as one line: escaped as terminal_safe does, CR and LF included (\x0D, \x0A).
// For what comes from the system or the user and is shown inside a line of shadowctl's own
// (a table cell, a name in a sentence, a log message), where a line break would let it fake
// a line such as "error: ...".
std::string one_line(std::string_view text);

// The same inside a stream that goes through a TerminalSafeBuffer, without a copy:
// `out << in_line(name)` writes CR and LF escaped and leaves the rest to the buffer.
struct InLine {
  std::string_view text;
};
inline InLine in_line(std::string_view text) { return {text}; }
std::ostream& operator<<(std::ostream& out, InLine line);

// `text` with every control character escaped: C0 (but the newline, and CR LF) and DEL as
// \xHH, C1 (U+0080..U+009F) and the bidirectional controls (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069) as \u{XXXX}; a byte that is not UTF-8 becomes U+FFFD.
std::string terminal_safe(std::string_view text);

// A stream buffer that writes everything through terminal_safe() into `target`, except the
// colour sequences report::Style makes (kOwnSequence, then ESC [ n m) when `colour` is on; an
// unmarked ESC is escaped like any control character. Text may arrive in
// pieces: a sequence split across writes is held until it is whole.
class TerminalSafeBuffer final : public std::streambuf {
 public:
  TerminalSafeBuffer(std::streambuf* target, bool colour) : target_(target), colour_(colour) {}
  ~TerminalSafeBuffer() override;
  TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
  TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  // Writes what of pending_ is whole; keeps an unfinished tail unless `final`. False when
  // the target refused it (a closed stdout): the stream then goes bad, as the target would.
  bool drain(bool final);
  std::streambuf* target_;
  bool colour_;
  std::string pending_;
};

// An ostream over a TerminalSafeBuffer.
class TerminalSafeStream final : public std::ostream {
 public:
  TerminalSafeStream(std::ostream& target, bool colour)
      : std::ostream(nullptr), buffer_(target.rdbuf(), colour) {
    rdbuf(&buffer_);
  }

 private:
  TerminalSafeBuffer buffer_;
};

}  // namespace shadowctl::report
