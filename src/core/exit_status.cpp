#include "core/exit_status.h"

namespace shadowctl::core {

const char* exit_status_name(ExitStatus status) {
  switch (status) {
    case ExitStatus::success: return "success";
    case ExitStatus::failure: return "failure";
    case ExitStatus::usage: return "usage";
    case ExitStatus::access_denied: return "access_denied";
    case ExitStatus::vss_unavailable: return "vss_unavailable";
    case ExitStatus::writer_failure: return "writer_failure";
    case ExitStatus::timeout: return "timeout";
    case ExitStatus::not_found: return "not_found";
    case ExitStatus::busy: return "busy";
    case ExitStatus::limit_reached: return "limit_reached";
    case ExitStatus::interrupted: return "interrupted";
  }
  return "failure";
}

}  // namespace shadowctl::core
