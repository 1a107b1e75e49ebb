#pragma once

#include <atomic>

namespace shadowctl::session {

// Set by Ctrl+C, Ctrl+Break or console close; read wherever the session waits. Only an
// atomic store, so a signal handler may set it.
class CancelToken {
 public:
  void request() { requested_.store(true, std::memory_order_relaxed); }
  bool requested() const { return requested_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> requested_{false};
};

}  // namespace shadowctl::session
