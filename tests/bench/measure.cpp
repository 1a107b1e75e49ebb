#include "measure.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace {

// Plain counters: cli::run makes no thread, and the benches read them between runs.
std::size_t g_live = 0;
std::size_t g_peak = 0;

void* counted(std::size_t size) {
  // The size sits in front of the block, so delete knows what to subtract.
  auto* block = static_cast<std::size_t*>(std::malloc(size + sizeof(std::max_align_t)));
  if (!block) throw std::bad_alloc();
  *block = size;
  g_live += size;
  if (g_live > g_peak) g_peak = g_live;
  return reinterpret_cast<char*>(block) + sizeof(std::max_align_t);
}

void uncounted(void* p) {
  if (!p) return;
  auto* block = reinterpret_cast<std::size_t*>(static_cast<char*>(p) - sizeof(std::max_align_t));
  g_live -= *block;
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return counted(size); }
void* operator new[](std::size_t size) { return counted(size); }
void operator delete(void* p) noexcept { uncounted(p); }
void operator delete[](void* p) noexcept { uncounted(p); }
void operator delete(void* p, std::size_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::size_t) noexcept { uncounted(p); }

namespace shadowctl::bench {

std::size_t heap_live() { return g_live; }
std::size_t heap_peak() { return g_peak; }
void reset_peak() { g_peak = g_live; }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace shadowctl::bench
