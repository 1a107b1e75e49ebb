#include "core/check.h"

namespace shadowctl::core {

const char* check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::ok: return "ok";
    case CheckStatus::warn: return "warn";
    case CheckStatus::fail: return "fail";
    case CheckStatus::skip: return "skip";
  }
  return "fail";
}

std::string CheckReport::verdict() const {
  if (ok()) return "VSS can be used on this machine.";
  for (const auto& c : checks)
    if (c.status == CheckStatus::fail) {
      // A health check failed by --strict: VSS works, what it found is what failed.
      const bool health = c.diagnosis && (c.diagnosis->exit == ExitStatus::writer_failure ||
                                           c.diagnosis->exit == ExitStatus::limit_reached);
      return health ? "VSS can start here, but the " + c.name + " check failed (--strict)."
                    : "VSS cannot be used here: the " + c.name + " check failed.";
    }
  return "VSS cannot be used here.";
}

}  // namespace shadowctl::core
