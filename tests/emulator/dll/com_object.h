#pragma once

#include <windows.h>

#include <atomic>

#include "accounting.h"

namespace shadowctl::emulator::dll {

// IUnknown for one interface, with every reference counted for the leak report. COM
// interfaces have no virtual destructor: the object deletes itself as its final class.
template <typename Derived, typename Interface>
class ComObject : public Interface {
 public:
  ComObject() { reference_added(); }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    if (riid == __uuidof(IUnknown) || riid == __uuidof(Interface)) {
      *out = static_cast<Interface*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
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
  std::atomic<long> references_{1};
};

}  // namespace shadowctl::emulator::dll
