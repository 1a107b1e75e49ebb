#pragma once

// A write-only stream buffer over an OS file that it owns: each platform's open_log_file
// gives its own write_some (write(2), WriteFile); the loop and the one-character case live
// here once.

#include "session/environment.h"

namespace shadowctl::platform {

class AppendBuffer : public session::AppendFile {
 public:
  core::HResult write_error() const override { return error_; }

 protected:
  // Writes some of the bytes; returns how many, 0 or less when nothing more can be written
  // (and then calls failed() with why).
  virtual std::streamsize write_some(const char* s, std::streamsize n) = 0;
  void failed(core::HResult why) {
    if (!error_) error_ = why;
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::streamsize done = 0;
    while (done < n) {
      const std::streamsize w = write_some(s + done, n - done);
      if (w <= 0) break;
      done += w;
    }
    return done;
  }
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }

 private:
  core::HResult error_ = 0;
};

}  // namespace shadowctl::platform
