// Volume and id arguments: parsing never fails badly, and what it accepts is a fixed point
// (the normal form parses to itself), so every later comparison is of one form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/arguments.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl::core;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (const auto v = parse_volume(text)) {
    const auto again = parse_volume(v->text);
    if (!again || again->text != v->text || again->kind != v->kind) std::abort();
    if (v->text.empty() || v->text.back() != '\\') std::abort();
  }
  if (const auto g = parse_guid(text)) {
    if (g->size() != 38 || g->front() != '{' || g->back() != '}') std::abort();
    for (char c : *g)
      if (c >= 'A' && c <= 'Z') std::abort();
    if (parse_guid(*g) != g) std::abort();
  }
  const std::string refused = refuse_output_path(text);
  if (!refused.empty() && refused.rfind("it ", 0) != 0) std::abort();
  return 0;
}
