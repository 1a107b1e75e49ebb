#pragma once

// create's VSS call sequence, read from its one description (tests/emulator/create-calls.txt
// and create-component-calls.txt), for the tests that hold the product to it and the fault
// matrix that fails each call in turn.

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

namespace shadowctl::test {

struct DescribedCall {
  std::string method;
  bool async = false;
  bool dll_only = false;  // the COM interface's call of its own, folded in-process
};

inline std::vector<DescribedCall> described_calls(const std::string& file) {
  const std::string path = std::string(SHADOWCTL_SOURCE_DIR) + "/tests/emulator/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<DescribedCall> calls;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    DescribedCall call;
    words >> call.method;
    for (std::string mark; words >> mark;) {
      if (mark == "async") call.async = true;
      else if (mark == "dll") call.dll_only = true;
      else throw std::runtime_error(path + ": unknown mark '" + mark + "' in: " + line);
    }
    calls.push_back(call);
  }
  return calls;
}

// The in-process journal the description promises: every call but the DLL's own, in order.
inline std::vector<std::string> in_process_journal(const std::vector<DescribedCall>& calls) {
  std::vector<std::string> out;
  for (const auto& c : calls)
    if (!c.dll_only) out.push_back(c.method);
  return out;
}

// Each method once, where it first comes, keeping those `keep` accepts.
template <typename Keep>
std::vector<std::string> first_calls(const std::vector<DescribedCall>& calls, Keep keep) {
  std::vector<std::string> out;
  for (const auto& c : calls)
    if (!c.dll_only && keep(c) && std::find(out.begin(), out.end(), c.method) == out.end())
      out.push_back(c.method);
  return out;
}

}  // namespace shadowctl::test
