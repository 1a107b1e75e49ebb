#include "core/command_line.h"

#include <algorithm>

namespace shadowctl::core {
namespace {

bool is_ascii_alnum(char16_t c) {
  return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

char16_t upper(char16_t c) { return c >= u'a' && c <= u'z' ? static_cast<char16_t>(c - 32) : c; }

bool iequals(std::u16string_view a, std::u16string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char16_t x, char16_t y) { return upper(x) == upper(y); });
}

// The extension of a file name ("" when there is none), dot included.
std::u16string_view extension(std::u16string_view name) {
  const auto slash = name.find_last_of(u"\\/");
  const auto dot = name.rfind(u'.');
  if (dot == std::u16string_view::npos || (slash != std::u16string_view::npos && dot < slash))
    return {};
  return name.substr(dot);
}

std::vector<std::u16string_view> split(std::u16string_view list) {
  std::vector<std::u16string_view> parts;
  while (!list.empty()) {
    const auto semicolon = list.find(u';');
    const auto part = list.substr(0, semicolon);
    if (!part.empty()) parts.push_back(part);
    if (semicolon == std::u16string_view::npos) break;
    list.remove_prefix(semicolon + 1);
  }
  return parts;
}

// C:\... or \\server\share\...: a PATH entry that does not depend on the current folder.
bool is_absolute(std::u16string_view p) {
  if (p.size() >= 3 && p[1] == u':' && (p[2] == u'\\' || p[2] == u'/')) return true;
  return p.size() >= 2 && p[0] == u'\\' && p[1] == u'\\';
}

std::u16string name_of(std::u16string_view entry) {
  // "=C:=C:\dir" entries name a drive's current folder: the name runs to the second '='.
  const auto equals = entry.find(u'=', 1);
  return std::u16string(entry.substr(0, equals));
}

}  // namespace

std::u16string quote_argument(std::u16string_view argument) {
  const bool plain = !argument.empty() &&
                     argument.find_first_of(u" \t\n\v\"") == std::u16string_view::npos;
  if (plain) return std::u16string(argument);
  std::u16string out = u"\"";
  std::size_t backslashes = 0;
  for (char16_t c : argument) {
    if (c == u'\\') {
      ++backslashes;
      continue;
    }
    // Backslashes are literal unless a quote follows: then each is doubled, and the quote
    // escaped.
    out.append(c == u'"' ? backslashes * 2 + 1 : backslashes, u'\\');
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, u'\\');  // before the closing quote
  out.push_back(u'"');
  return out;
}

std::u16string command_line(std::u16string_view program,
                            const std::vector<std::u16string>& arguments) {
  // The program name is parsed by other rules (no escapes): always quoted, never holds '"'.
  // Appended piece by piece: GCC 12's -Wrestrict misreads `literal + string` at -O3.
  std::u16string out;
  out.append(1, u'"').append(program).append(1, u'"');
  for (const auto& a : arguments) out.append(1, u' ').append(quote_argument(a));
  return out;
}

bool is_batch_file(std::u16string_view path) {
  while (!path.empty() && (path.back() == u'.' || path.back() == u' ')) path.remove_suffix(1);
  const auto ext = extension(path);
  return iequals(ext, u".cmd") || iequals(ext, u".bat");
}

std::optional<std::u16string> batch_command_line(std::u16string_view script,
                                                 const std::vector<std::u16string>& arguments,
                                                 std::size_t* refused) {
  // /e:ON: extensions, which the %cd:~,% trick below needs; /v:OFF: no !delayed! expansion;
  // /d: no AutoRun commands from the registry. The outer quotes are cmd's /c convention.
  std::u16string out = u"cmd.exe /e:ON /v:OFF /d /c \"\"";
  // The script's own path is expanded by cmd too: a folder named %USERPROFILE% would become
  // another path. Each % is kept from forming a %NAME%, as in the arguments below.
  for (char16_t c : script) {
    if (c == u'%') out += u"%%cd:~,";
    out.push_back(c);
  }
  out.append(1, u'"');
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::u16string& a = arguments[i];
    // A line break ends the command cmd runs; NUL ends the string. Neither can be passed.
    if (a.find_first_of(std::u16string_view(u"\r\n\0", 3)) != std::u16string::npos) {
      if (refused) *refused = i;
      return std::nullopt;
    }
    // Quote anything but letters, digits and a few harmless symbols: every other ASCII
    // character is special to cmd somewhere. A trailing backslash is quoted too, so that
    // "%~1" in the script cannot swallow the closing quote.
    bool quote = a.empty() || a.back() == u'\\';
    for (char16_t c : a)
      if ((c < 0x80 && !is_ascii_alnum(c) &&
           std::u16string_view(u"#$*+-./:?@\\_").find(c) == std::u16string_view::npos) ||
          c < 0x20 || (c >= 0x7F && c <= 0x9F))
        quote = true;
    out.append(1, u' ');
    if (quote) out.append(1, u'"');
    std::size_t backslashes = 0;
    for (char16_t c : a) {
      if (c == u'\\') {
        ++backslashes;
      } else {
        // A quote is doubled (cmd's rule) after the backslashes before it are doubled (the
        // runtime's); "%" becomes "%%cd:~,%": an empty substring of %cd%, after which no
        // %NAME% can be formed.
        if (c == u'"') out.append(backslashes, u'\\').push_back(u'"');
        if (c == u'%') out += u"%%cd:~,";
        backslashes = 0;
      }
      out.push_back(c);
    }
    if (quote) out.append(backslashes, u'\\').push_back(u'"');
  }
  out.append(1, u'"');
  return out;
}

std::optional<std::u16string> resolve_program(
    std::u16string_view command, std::u16string_view path, std::u16string_view pathext,
    const std::function<bool(const std::u16string&)>& is_file) {
  if (command.empty()) return std::nullopt;
  auto extensions = split(pathext);
  if (extensions.empty()) extensions = {u".COM", u".EXE", u".BAT", u".CMD"};
  const bool known_extension = std::any_of(extensions.begin(), extensions.end(), [&](auto e) {
    return iequals(e, extension(command));
  });
  auto try_in = [&](const std::u16string& base) -> std::optional<std::u16string> {
    if (known_extension && is_file(base)) return base;
    for (auto e : extensions) {
      std::u16string candidate = base;
      if (is_file(candidate.append(e))) return candidate;
    }
    if (!known_extension && !extension(command).empty() && is_file(base)) return base;
    return std::nullopt;
  };
  if (command.find_first_of(u"\\/:") != std::u16string_view::npos)
    return try_in(std::u16string(command));
  for (auto entry : split(path)) {
    if (entry.size() >= 2 && entry.front() == u'"' && entry.back() == u'"')
      entry = entry.substr(1, entry.size() - 2);
    if (!is_absolute(entry)) continue;  // ".", relative entries: never the current folder
    std::u16string base(entry);
    if (base.back() != u'\\' && base.back() != u'/') base += u'\\';
    if (auto found = try_in(base.append(command))) return found;
  }
  return std::nullopt;
}

std::u16string environment_block(
    const std::vector<std::u16string>& parent,
    const std::vector<std::pair<std::u16string, std::u16string>>& additions) {
  std::vector<std::u16string> entries;
  for (const auto& e : parent) {
    const std::u16string name = name_of(e);
    if (name.size() >= 10 && iequals(std::u16string_view(name).substr(0, 10), u"SHADOWCTL_"))
      continue;
    // An addition replaces the parent's variable of that name.
    if (std::any_of(additions.begin(), additions.end(),
                    [&](const auto& a) { return iequals(a.first, name); }))
      continue;
    entries.push_back(e);
  }
  for (const auto& [name, value] : additions) {
    std::u16string entry = name;
    entries.push_back(entry.append(1, u'=').append(value));
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const std::u16string x = name_of(a), y = name_of(b);
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                        [](char16_t p, char16_t q) { return upper(p) < upper(q); });
  });
  std::u16string block;
  for (const auto& e : entries) {
    block += e;
    block.push_back(u'\0');
  }
  block.push_back(u'\0');
  return block;
}

std::u16string utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int length = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t cp = 0xFFFD;
    if (length > 0 && i + static_cast<std::size_t>(length) <= s.size()) {
      cp = static_cast<char32_t>(length == 1 ? b : b & (0x7F >> length));
      for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    i += static_cast<std::size_t>(length > 0 ? length : 1);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

bool has_unpaired_surrogate(std::u16string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char16_t c = text[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
        text[i + 1] <= 0xDFFF) {
      ++i;  // a pair
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      return true;
    }
  }
  return false;
}

namespace {
// UTF-8, or WTF-8 with `keep_lone`: a lone surrogate as its own three bytes, which utf16()
// turns back into it.
std::string encode(std::u16string_view s, bool keep_lone) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t cp = s[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[++i] - 0xDC00);
    else if (cp >= 0xD800 && cp <= 0xDFFF && !keep_lone)
      cp = 0xFFFD;  // a lone surrogate
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}
}  // namespace

std::string utf8(std::u16string_view s) { return encode(s, false); }
std::string wtf8(std::u16string_view s) { return encode(s, true); }

std::string lone_surrogates_shown(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    // ED A0..BF xx is U+D800..U+DFFF: a surrogate on its own (a pair is encoded as 4 bytes).
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (at(i) == 0xED && i + 2 < s.size() && at(i + 1) >= 0xA0 && at(i + 1) <= 0xBF &&
        (at(i + 2) & 0xC0) == 0x80) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::u16string> split_command_line(std::u16string_view line) {
  auto blank = [](char16_t c) { return c == u' ' || c == u'\t'; };
  std::vector<std::u16string> args;
  std::size_t i = 0;
  // The program name: no backslash rules, and a quote only at its start.
  std::u16string program;
  if (i < line.size() && line[i] == u'"') {
    ++i;
    while (i < line.size() && line[i] != u'"') program += line[i++];
    if (i < line.size()) ++i;
  } else {
    while (i < line.size() && !blank(line[i])) program += line[i++];
  }
  args.push_back(std::move(program));
  while (i < line.size() && blank(line[i])) ++i;
  if (i >= line.size()) return args;

  std::u16string arg;
  int quotes = 0;  // 0: outside quotes; 1: inside; 2: just closed by the second of a run
  std::size_t backslashes = 0;
  while (i < line.size()) {
    const char16_t c = line[i];
    if (blank(c) && quotes == 0) {
      arg.append(backslashes, u'\\');
      backslashes = 0;
      args.push_back(std::move(arg));
      arg.clear();
      while (i < line.size() && blank(line[i])) ++i;
      if (i >= line.size()) return args;
      continue;
    }
    if (c == u'\\') {
      ++backslashes;
      ++i;
      continue;
    }
    if (c == u'"') {
      arg.append(backslashes / 2, u'\\');
      if (backslashes % 2 == 1) {
        arg += u'"';  // escaped: a literal quote, quoting unchanged
        backslashes = 0;
        ++i;
        continue;
      }
      backslashes = 0;
      ++quotes;
      ++i;
      // The rest of the run of quotes: each third is a literal quote.
      while (i < line.size() && line[i] == u'"') {
        if (++quotes == 3) {
          arg += u'"';
          quotes = 0;
        }
        ++i;
      }
      if (quotes == 2) quotes = 0;
      continue;
    }
    arg.append(backslashes, u'\\');
    backslashes = 0;
    arg += c;
    ++i;
  }
  arg.append(backslashes, u'\\');
  args.push_back(std::move(arg));
  return args;
}

}  // namespace shadowctl::core
