#include "report/terminal.h"

#include <fmt/format.h>

namespace shadowctl::report {
namespace {

// The length of the UTF-8 sequence at text[0] and its code point, or 0 when the bytes are
// not UTF-8 (overlong, past U+10FFFF, cut short), or -1 when more bytes are needed and
// `more_may_come`. An encoded surrogate (WTF-8) is one unit whose code is U+FFFD.
int decode(std::string_view text, char32_t& code, bool more_may_come) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = b(0);
  int length = 0;
  if (lead < 0x80) {
    code = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  for (int i = 1; i < length; ++i) {
    if (static_cast<std::size_t>(i) >= text.size()) return more_may_come ? -1 : 0;
    if ((b(static_cast<std::size_t>(i)) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b(static_cast<std::size_t>(i)) & 0x3Fu);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)))
    return 0;
  // A lone surrogate from a Windows name, kept as WTF-8 so the name can be opened again:
  // one U+FFFD, as Windows' own conversion shows it.
  if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;
  return length;
}

bool is_bidi_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// One whole unit: a control character escaped, anything else as it is.
void append_unit(std::string& out, std::string_view unit, char32_t code, bool line_breaks) {
  if (code == '\n' && line_breaks)
    out += '\n';
  else if (code < 0x20 || code == 0x7F)
    out += fmt::format("\\x{:02X}", static_cast<unsigned>(code));
  else if ((code >= 0x80 && code <= 0x9F) || is_bidi_control(code))
    out += fmt::format("\\u{{{:04X}}}", static_cast<unsigned>(code));
  else if (code == 0xFFFD)
    out += "\xEF\xBF\xBD";  // also for a lone surrogate's three bytes
  else
    out += unit;
}

// How many bytes at the start of `text` pass unchanged whatever follows: printable ASCII,
// and LF where line breaks pass (a CR waits for what follows it).
std::size_t safe_run(std::string_view text, bool line_breaks) {
  std::size_t n = 0;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 || b >= 0x7F) && !(b == '\n' && line_breaks)) break;
    ++n;
  }
  return n;
}

// The colour sequences Style writes: kOwnSequence, then ESC [ digits m. Returns its length
// with the marker, 0 when `text` does not start one, -1 when it may still become one.
int colour_sequence(std::string_view text) {
  if (text.size() < 3) return -1;
  if (text[1] != '\x1b' || text[2] != '[') return 0;
  for (std::size_t i = 3; i < text.size() && i < 7; ++i) {
    if (text[i] == 'm') return i > 3 ? static_cast<int>(i) + 1 : 0;
    if (text[i] < '0' || text[i] > '9') return 0;
  }
  return text.size() < 7 ? -1 : 0;
}

// Escapes `text` into `out`, stopping before an unfinished sequence when more may come;
// returns how much was consumed. `line_breaks`: LF and CR LF pass (else they are escaped).
std::size_t escape_into(std::string& out, std::string_view text, bool colour, bool final,
                        bool line_breaks) {
  std::size_t at = 0;
  while (at < text.size()) {
    // Most of any text is printable ASCII: a whole run of it is copied at once.
    const std::size_t run = safe_run(text.substr(at), line_breaks);
    if (run > 0) {
      out.append(text.data() + at, run);
      at += run;
      continue;
    }
    const std::string_view rest = text.substr(at);
    if (colour && rest[0] == kOwnSequence) {
      const int n = colour_sequence(rest);
      if (n < 0 && !final) break;
      if (n > 0) {
        out += rest.substr(1, static_cast<std::size_t>(n) - 1);  // without the marker
        at += static_cast<std::size_t>(n);
        continue;
      }
    }
    if (rest[0] == '\r' && line_breaks) {
      // CR LF is a line's end (Windows' log lines); a lone CR could overwrite a line.
      if (rest.size() == 1 && !final) break;
      if (rest.size() > 1 && rest[1] == '\n') {
        out += "\r\n";
        at += 2;
        continue;
      }
    }
    char32_t code = 0;
    const int n = decode(rest, code, !final);
    if (n < 0) break;
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++at;
      continue;
    }
    append_unit(out, rest.substr(0, static_cast<std::size_t>(n)), code, line_breaks);
    at += static_cast<std::size_t>(n);
  }
  return at;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, InLine line) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < line.text.size(); ++i) {
    const char c = line.text[i];
    if (c != '\r' && c != '\n') continue;
    out.write(line.text.data() + from, static_cast<std::streamsize>(i - from));
    out << (c == '\r' ? "\\x0D" : "\\x0A");
    from = i + 1;
  }
  return out.write(line.text.data() + from, static_cast<std::streamsize>(line.text.size() - from));
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  escape_into(out, text, false, true, false);
  return out;
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  escape_into(out, text, false, true, true);
  return out;
}

TerminalSafeBuffer::~TerminalSafeBuffer() { drain(true); }

bool TerminalSafeBuffer::drain(bool final) {
  std::string out;
  const std::size_t used = escape_into(out, pending_, colour_, final, true);
  pending_.erase(0, used);
  if (out.empty()) return true;
  const auto size = static_cast<std::streamsize>(out.size());
  return target_ != nullptr && target_->sputn(out.data(), size) == size;
}

TerminalSafeBuffer::int_type TerminalSafeBuffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  pending_ += traits_type::to_char_type(c);
  return drain(false) ? c : traits_type::eof();
}

std::streamsize TerminalSafeBuffer::xsputn(const char* s, std::streamsize n) {
  // Nothing held back and nothing to escape: straight through, without a copy.
  if (pending_.empty() &&
      safe_run(std::string_view(s, static_cast<std::size_t>(n)), true) ==
          static_cast<std::size_t>(n))
    return target_ != nullptr && target_->sputn(s, n) == n ? n : 0;
  pending_.append(s, static_cast<std::size_t>(n));
  return drain(false) ? n : 0;
}

int TerminalSafeBuffer::sync() {
  if (!drain(false) || target_ == nullptr) return -1;
  return target_->pubsync();
}

}  // namespace shadowctl::report
