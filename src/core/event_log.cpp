#include <algorithm>
#include <cctype>
#include <chrono>
#include <fmt/format.h>

#include "core/event_log.h"

namespace shadowctl::core {

namespace {

using namespace std::chrono;

// The start tag of the first element `name` at or after `from` (not `nameX`), as the text
// from '<' to its '>', and where its content starts; npos when there is none.
struct Tag {
  std::size_t start = std::string_view::npos;
  std::string_view text;     // "<Data Name='x'>" or "<Provider Name='VSS'/>"
  std::size_t content = 0;   // just after the '>'
  bool empty = false;        // "<X/>"
};

Tag find_tag(std::string_view xml, std::string_view name, std::size_t from = 0) {
  for (std::size_t at = xml.find('<', from); at != std::string_view::npos;
       at = xml.find('<', at + 1)) {
    if (xml.compare(at + 1, name.size(), name) != 0) continue;
    const std::size_t after = at + 1 + name.size();
    if (after >= xml.size()) return {};
    const char c = xml[after];
    if (c != '>' && c != '/' && !std::isspace(static_cast<unsigned char>(c))) continue;
    const std::size_t close = xml.find('>', after);
    if (close == std::string_view::npos) return {};
    Tag tag{at, xml.substr(at, close + 1 - at), close + 1, xml[close - 1] == '/'};
    return tag;
  }
  return {};
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    std::optional<std::uint32_t> code;
    if (entity == "lt") code = '<';
    else if (entity == "gt") code = '>';
    else if (entity == "amp") code = '&';
    else if (entity == "quot") code = '"';
    else if (entity == "apos") code = '\'';
    else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::uint32_t value = 0;
      bool digits = entity.size() > (hex ? 2u : 1u);
      for (char c : entity.substr(hex ? 2 : 1)) {
        const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : hex && std::isxdigit(static_cast<unsigned char>(c))
                          ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                          : -1;
        if (d < 0 || value > 0x10FFFF) digits = false;
        if (!digits) break;
        value = value * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
      }
      if (digits && value <= 0x10FFFF) code = value;
    }
    if (!code) {
      out += '&';
      continue;
    }
    // UTF-8 of the code point.
    const std::uint32_t v = *code;
    if (v < 0x80) {
      out += static_cast<char>(v);
    } else if (v < 0x800) {
      out += static_cast<char>(0xC0 | (v >> 6));
      out += static_cast<char>(0x80 | (v & 0x3F));
    } else if (v < 0x10000) {
      out += static_cast<char>(0xE0 | (v >> 12));
      out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (v & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (v >> 18));
      out += static_cast<char>(0x80 | ((v >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (v & 0x3F));
    }
    i = semi;
  }
  return out;
}

// An attribute of a start tag, in either quote, unescaped.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos;
       at = tag.find(name, at + 1)) {
    if (at == 0 || !std::isspace(static_cast<unsigned char>(tag[at - 1]))) continue;
    std::size_t i = at + name.size();
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || (tag[i] != '\'' && tag[i] != '"')) return std::nullopt;
    const std::size_t end = tag.find(tag[i], i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return unescape(tag.substr(i + 1, end - i - 1));
  }
  return std::nullopt;
}

// The text content of an element (up to its end tag); "" for "<X/>".
std::optional<std::string> content(std::string_view xml, const Tag& tag, std::string_view name) {
  if (tag.start == std::string_view::npos) return std::nullopt;
  if (tag.empty) return std::string();
  const std::string end = "</" + std::string(name) + ">";
  const std::size_t close = xml.find(end, tag.content);
  if (close == std::string_view::npos) return std::nullopt;
  return unescape(xml.substr(tag.content, close - tag.content));
}

std::optional<std::string> element_text(std::string_view xml, std::string_view name) {
  return content(xml, find_tag(xml, name), name);
}

std::optional<std::uint32_t> number(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

}  // namespace

std::string event_query(std::string_view log, const EventFilter& filter) {
  std::string providers;
  for (const EventSource& s : kEventSources)
    if (s.log == log)
      providers += (providers.empty() ? "" : " or ") + fmt::format("@Name='{}'", s.provider);
  if (providers.empty()) return {};
  std::string query = fmt::format("*[System[Provider[{}] and TimeCreated[@SystemTime>='{}']",
                                  providers, event_time_text(filter.since_unix_us));
  if (filter.id) query += fmt::format(" and EventID={}", *filter.id);
  return query + "]]";
}

std::string event_time_text(std::int64_t unix_us) {
  const sys_time<microseconds> t{microseconds(unix_us)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const auto in_day = duration_cast<milliseconds>(t - day).count();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     in_day / 3'600'000, in_day / 60'000 % 60, in_day / 1000 % 60, in_day % 1000);
}

std::optional<std::int64_t> parse_event_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2),
             mi = digits(14, 2), s = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)),
                           day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t fraction_us = 0;
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    std::int64_t scale = 100000;
    for (char c : rest.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      fraction_us += (c - '0') * scale;
      scale /= 10;
    }
  }
  const auto day_us =
      duration_cast<microseconds>(sys_days(ymd).time_since_epoch()).count();
  return day_us + ((*h * 60 + *mi) * 60LL + *s) * 1'000'000 + fraction_us;
}

std::optional<LoggedEvent> parse_event_xml(std::string_view xml) {
  const Tag system = find_tag(xml, "System");
  if (system.start == std::string_view::npos || system.empty) return std::nullopt;
  const std::size_t system_end = xml.find("</System>", system.content);
  if (system_end == std::string_view::npos) return std::nullopt;
  const std::string_view head = xml.substr(system.content, system_end - system.content);

  LoggedEvent e;
  const Tag provider = find_tag(head, "Provider");
  if (provider.start == std::string_view::npos) return std::nullopt;
  // A classic source's name; a manifest provider may name its classic source too.
  auto name = attribute(provider.text, "EventSourceName");
  if (!name) name = attribute(provider.text, "Name");
  if (!name || name->empty()) return std::nullopt;
  e.source = *name;
  const auto id_text = element_text(head, "EventID");
  const auto id = id_text ? number(*id_text) : std::nullopt;
  if (!id || *id > 0xFFFF) return std::nullopt;
  e.id = *id;
  if (const auto level = element_text(head, "Level"))
    if (const auto v = number(*level); v && *v < 256) e.level = static_cast<int>(*v);
  const Tag created = find_tag(head, "TimeCreated");
  if (created.start != std::string_view::npos)
    if (const auto t = attribute(created.text, "SystemTime"))
      if (const auto us = parse_event_time(*t)) e.time_unix_us = *us;
  e.log = element_text(head, "Channel").value_or("");
  e.computer = element_text(head, "Computer").value_or("");

  const std::string_view body = xml.substr(system_end);
  const Tag event_data = find_tag(body, "EventData");
  if (event_data.start != std::string_view::npos && !event_data.empty) {
    const std::size_t end = body.find("</EventData>", event_data.content);
    const std::string_view data = body.substr(
        event_data.content, end == std::string_view::npos ? std::string_view::npos
                                                          : end - event_data.content);
    for (Tag d = find_tag(data, "Data"); d.start != std::string_view::npos;
         d = find_tag(data, "Data", d.content)) {
      const auto text = content(data, d, "Data");
      if (!text) break;
      e.data.push_back(*text);
    }
  }
  return e;
}

std::string event_level_name(int level) {
  switch (level) {
    case 0: return "Information";  // LogAlways: Event Viewer shows it so
    case 1: return "Critical";
    case 2: return "Error";
    case 3: return "Warning";
    case 4: return "Information";
    case 5: return "Verbose";
  }
  return fmt::format("Level {}", level);
}

std::vector<HResult> event_hresults(const LoggedEvent& event) {
  std::vector<HResult> found;
  auto scan = [&](std::string_view text) {
    for (std::size_t at = text.find("0x"); at != std::string_view::npos;
         at = text.find("0x", at + 2)) {
      if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
      const std::size_t start = at + 2;
      std::size_t end = start;
      while (end < text.size() && std::isxdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end - start != 8) continue;
      HResult hr = 0;
      for (std::size_t i = start; i < end; ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        hr = (hr << 4) | static_cast<HResult>(std::isdigit(static_cast<unsigned char>(c))
                                                  ? c - '0'
                                                  : c - 'a' + 10);
      }
      if ((hr & 0x80000000u) != 0 && std::find(found.begin(), found.end(), hr) == found.end())
        found.push_back(hr);
    }
  };
  for (const std::string& d : event.data) scan(d);
  scan(event.message);
  return found;
}

}  // namespace shadowctl::core
