#pragma once

// What the in-process benchmarks measure with: the heap (every operator new of the process
// is counted, measure.cpp replaces them), a stdout that counts and keeps nothing, a median.

#include <cstddef>
#include <streambuf>
#include <string>
#include <vector>

namespace shadowctl::emulator {
class SimBackend;
}

namespace shadowctl::bench {

// Bytes allocated on the heap now, and the most since reset_peak().
std::size_t heap_live();
std::size_t heap_peak();
void reset_peak();

// Stands for stdout: counts what the tool writes and keeps none of it, so neither the time
// nor the memory of a growing buffer is charged to the tool.
class CountingBuffer final : public std::streambuf {
 public:
  std::size_t bytes() const { return bytes_; }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) ++bytes_;
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes_ += static_cast<std::size_t>(n);
    return n;
  }

 private:
  std::size_t bytes_ = 0;
};

double median(std::vector<double> values);

// One in-process run of `shadowctl ARGS` against `machine`: its wall time, the peak of the
// heap above what was allocated before it, and what it wrote to stdout (counted, dropped).
// A run that fails ends the bench, with its stderr.
struct InProcessRun {
  double ms = 0;
  std::size_t peak_bytes = 0;
  std::size_t output_bytes = 0;
};
InProcessRun run_in_process(emulator::SimBackend& machine, const std::vector<std::string>& args);

}  // namespace shadowctl::bench
