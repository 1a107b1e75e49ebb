#include "measure.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <ostream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "sim_backend.h"

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

InProcessRun run_in_process(emulator::SimBackend& machine, const std::vector<std::string>& args) {
  std::vector<std::string> line{"shadowctl"};
  line.insert(line.end(), args.begin(), args.end());
  CountingBuffer written;
  std::ostream out(&written);
  std::ostringstream err;
  session::CancelToken cancel;
  const std::size_t before = heap_live();
  reset_peak();
  const auto start = std::chrono::steady_clock::now();
  const int code =
      cli::run(line, {out, err, false, false, nullptr, false, {}, {}}, machine.system(), cancel);
  const auto end = std::chrono::steady_clock::now();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("shadowctl"));  // `err` ends here
  if (code != 0) {
    std::fprintf(stderr, "shadowctl %s exited %d: %s\n", args.empty() ? "" : args[0].c_str(), code,
                 err.str().c_str());
    std::exit(1);
  }
  return {std::chrono::duration<double, std::milli>(end - start).count(), heap_peak() - before,
          written.bytes()};
}

}  // namespace shadowctl::bench
