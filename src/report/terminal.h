#pragma once

// Text bound for a terminal, made unable to act on it: a name from the system (a volume
// label, a writer's name, a path) or the user's own argument echoed back cannot fake a line,
// move the cursor, set the title or write the clipboard, or reorder what follows.

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace shadowctl::report {

// `text` with every control character escaped: C0 (but the newline, and CR LF) and DEL as
// \xHH, C1 (U+0080..U+009F) and the bidirectional controls (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069) as \u{XXXX}; a byte that is not UTF-8 becomes U+FFFD.
std::string terminal_safe(std::string_view text);

// A stream buffer that writes everything through terminal_safe() into `target`, except the
// colour sequences report::Style makes (ESC [ n m) when `colour` is on. Text may arrive in
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
