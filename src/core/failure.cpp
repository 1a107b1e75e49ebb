#include "core/failure.h"

#include "core/hresult.h"

namespace shadowctl::core {

Error::Error(Failure f)
    : std::runtime_error(format_hresult(f.hr) + " during " + f.phase), failure_(std::move(f)) {}

std::string delete_command_for(const LeftBehind& left) {
  return "shadowctl delete --set " + left.set_id;
}

}  // namespace shadowctl::core
