#include <algorithm>
#include <cctype>

#include "core/event_catalogue.h"

namespace shadowctl::core {

namespace {

bool same(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool is_event_source(std::string_view source) {
  return std::any_of(kEventCatalogue.begin(), kEventCatalogue.end(),
                     [&](const EventInfo& e) { return same(e.source, source); });
}

std::vector<const EventInfo*> find_events(std::uint32_t id, std::string_view source) {
  std::vector<const EventInfo*> found;
  for (const EventInfo& e : kEventCatalogue)
    if (e.id == id && (source.empty() || same(e.source, source))) found.push_back(&e);
  return found;
}

}  // namespace shadowctl::core
