#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnosis.h"

namespace shadowctl::core {

// skip: not run, because an earlier check that it depends on failed.
enum class CheckStatus { ok, warn, fail, skip };

const char* check_status_name(CheckStatus status);

// One preflight check as reported: a line in human output, an array entry in JSON.
struct CheckItem {
  std::string name;
  CheckStatus status = CheckStatus::ok;
  std::string detail;
  std::string remedy;                   // empty when ok
  std::optional<Diagnosis> diagnosis;  // set when status is fail or warn with an HRESULT
  std::string about = {};  // the volume a per-volume item is about (check --deep), or ""
};

// The result of `shadowctl check`.
struct CheckReport {
  std::vector<CheckItem> checks;
  // The first failed check's diagnosis: the run's error and exit code.
  std::optional<Diagnosis> first_failure;
  // check --deep: the events read for its `events` item (none when not read) and from when.
  std::vector<LoggedEvent> events = {};
  std::int64_t events_since_unix_us = 0;
  bool events_read = false;
  bool ok() const { return !first_failure; }
  std::string verdict() const;
};

}  // namespace shadowctl::core
