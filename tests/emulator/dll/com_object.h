#pragma once

#include <windows.h>

#include <atomic>

#include "accounting.h"

namespace shadowctl::emulator::dll {

// IUnknown for one or more interfaces, with every reference counted for the leak report.
// COM interfaces have no virtual destructor: the object deletes itself as its final class.
template <typename Derived, typename First, typename... Rest>
class ComObject : public First, public Rest... {
 public:
  ComObject() { reference_added(); }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (riid == __uuidof(IUnknown)) *out = static_cast<First*>(this);
    (void)(find<First>(riid, out) || ... || find<Rest>(riid, out));
    if (!*out) return E_NOINTERFACE;
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override {
    reference_added();
    return static_cast<ULONG>(++references_);
  }
  ULONG STDMETHODCALLTYPE Release() override {
    reference_released();
    const long left = --references_;
    if (left == 0) delete static_cast<Derived*>(this);
    return static_cast<ULONG>(left);
  }

 private:
  template <typename Interface>
  bool find(REFIID riid, void** out) {
    if (riid != __uuidof(Interface)) return false;
    *out = static_cast<Interface*>(this);
    return true;
  }

  std::atomic<long> references_{1};
};

}  // namespace shadowctl::emulator::dll
