#pragma once

// RAII for what COM hands out (interface references, CoTaskMem blocks, BSTRs, the
// apartment) and VSS's GUIDs as text. Only what shadowctl needs.

#include <windows.h>

#include <objbase.h>
#include <oleauto.h>

#include <memory>
#include <string>
#include <utility>

namespace shadowctl::platform {

// Owns one COM reference; Release on destruction.
template <typename T>
class ComPtr {
 public:
  ComPtr() = default;
  explicit ComPtr(T* adopted) : p_(adopted) {}
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  ComPtr(ComPtr&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  ComPtr& operator=(ComPtr&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = std::exchange(other.p_, nullptr);
    }
    return *this;
  }
  ~ComPtr() { reset(); }

  void reset() {
    if (p_) std::exchange(p_, nullptr)->Release();
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  // For out-parameters: releases what is held first.
  T** put() {
    reset();
    return &p_;
  }
  explicit operator bool() const { return p_ != nullptr; }
  // QueryInterface for U; hr tells why when the result is empty.
  template <typename U>
  ComPtr<U> as(HRESULT* hr = nullptr) const {
    ComPtr<U> out;
    const HRESULT result = p_ ? p_->QueryInterface(__uuidof(U), reinterpret_cast<void**>(out.put()))
                              : E_POINTER;
    if (hr) *hr = result;
    return out;
  }

 private:
  T* p_ = nullptr;
};

struct CoTaskMemFreer {
  void operator()(void* p) const { CoTaskMemFree(p); }
};
// A string VSS allocated with CoTaskMemAlloc for the caller to free.
using CoTaskMemString = std::unique_ptr<wchar_t, CoTaskMemFreer>;

// A BSTR the caller owns; SysFreeString on destruction.
class Bstr {
 public:
  Bstr() = default;
  ~Bstr() { SysFreeString(s_); }
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  BSTR* put() {
    SysFreeString(std::exchange(s_, nullptr));
    return &s_;
  }
  const wchar_t* get() const { return s_ ? s_ : L""; }

 private:
  BSTR s_ = nullptr;
};

// CoInitializeEx(MULTITHREADED) for the process's lifetime, undone when it succeeded.
class ComApartment {
 public:
  HRESULT initialize() {
    const HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    initialized_ = SUCCEEDED(hr);
    return hr;
  }
  ~ComApartment() {
    if (initialized_) CoUninitialize();
  }

 private:
  bool initialized_ = false;
};

// "{xxxxxxxx-...}" in lower case, as VSS prints ids.
std::string guid_text(const GUID& id);
// The GUID in text with or without braces, any case; false when it is not one.
bool guid_from_text(const std::string& text, GUID& out);

}  // namespace shadowctl::platform
