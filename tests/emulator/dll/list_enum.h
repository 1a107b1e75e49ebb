#pragma once

#include <algorithm>
#include <functional>
#include <vector>

#include "com_object.h"

namespace shadowctl::emulator::dll {

// An IVssEnumObject / IVssEnumMgmtObject over a fixed list: each entry fills one property
// block when Next reaches it.
template <typename Interface, typename Prop>
class ListEnum final : public ComObject<ListEnum<Interface, Prop>, Interface> {
 public:
  using Entry = std::function<void(Prop*)>;
  explicit ListEnum(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  HRESULT STDMETHODCALLTYPE Next(ULONG count, Prop* out, ULONG* fetched) override {
    if (!out) return E_POINTER;
    ULONG n = 0;
    for (; n < count && next_ < entries_.size(); ++n, ++next_) entries_[next_](&out[n]);
    if (fetched) *fetched = n;
    return n == count ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG count) override {
    next_ = std::min(entries_.size(), next_ + count);
    return next_ < entries_.size() ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    next_ = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Clone(Interface** out) override {
    if (!out) return E_POINTER;
    auto* copy = new ListEnum(entries_);
    copy->next_ = next_;
    *out = copy;
    return S_OK;
  }

 private:
  std::vector<Entry> entries_;
  std::size_t next_ = 0;
};

}  // namespace shadowctl::emulator::dll
