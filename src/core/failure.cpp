#include "core/failure.h"

#include "core/hresult.h"

namespace shadowctl::core {

Error::Error(Failure f)
    : std::runtime_error(format_hresult(f.hr) + " during " + f.phase), failure_(std::move(f)) {}

}  // namespace shadowctl::core
