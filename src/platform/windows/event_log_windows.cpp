// The Windows event log through wevtapi.dll, loaded from System32 only (like vssapi.dll) and
// only when a run reads events: EvtQuery on the log's channel with the XPath query, newest
// first; EvtNext in batches, each waiting at most kNextTimeoutMs; EvtRender as XML; and
// EvtFormatMessage where the publisher is registered.
// https://learn.microsoft.com/windows/win32/wes/querying-for-events
#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <map>
#include <memory>

#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "core/event_log.h"
#include "platform/windows/event_log_windows.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

using core::HResult;

// How long one EvtNext may wait for its batch: with at most kMostEventsPerLog events a log
// read in batches of kBatch, the bound on a log's read once EvtQuery has answered.
constexpr DWORD kNextTimeoutMs = 1000;
constexpr DWORD kBatch = 16;

using EvtQueryFn = EVT_HANDLE(WINAPI*)(EVT_HANDLE, LPCWSTR, LPCWSTR, DWORD);
using EvtNextFn = BOOL(WINAPI*)(EVT_HANDLE, DWORD, EVT_HANDLE*, DWORD, DWORD, PDWORD);
using EvtRenderFn = BOOL(WINAPI*)(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PVOID, PDWORD, PDWORD);
using EvtCloseFn = BOOL(WINAPI*)(EVT_HANDLE);
using EvtOpenPublisherMetadataFn = EVT_HANDLE(WINAPI*)(EVT_HANDLE, LPCWSTR, LPCWSTR, LCID, DWORD);
using EvtFormatMessageFn = BOOL(WINAPI*)(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PEVT_VARIANT,
                                         DWORD, DWORD, LPWSTR, PDWORD);

template <typename Fn>
Fn proc(HMODULE module, const char* name) {
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

// wevtapi.dll's entry points; loaded once, kept for the process.
struct Wevtapi {
  HMODULE module = nullptr;
  EvtQueryFn query = nullptr;
  EvtNextFn next = nullptr;
  EvtRenderFn render = nullptr;
  EvtCloseFn close = nullptr;
  EvtOpenPublisherMetadataFn open_publisher = nullptr;
  EvtFormatMessageFn format = nullptr;
  HResult error = 0;
};

const Wevtapi& wevtapi() {
  static const Wevtapi api = [] {
    Wevtapi a;
    // System32 only: a wevtapi.dll planted beside shadowctl.exe or on PATH is never loaded.
    a.module = LoadLibraryExW(L"wevtapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!a.module) {
      a.error = core::hresult_from_win32(GetLastError());
      return a;
    }
    a.query = proc<EvtQueryFn>(a.module, "EvtQuery");
    a.next = proc<EvtNextFn>(a.module, "EvtNext");
    a.render = proc<EvtRenderFn>(a.module, "EvtRender");
    a.close = proc<EvtCloseFn>(a.module, "EvtClose");
    a.open_publisher = proc<EvtOpenPublisherMetadataFn>(a.module, "EvtOpenPublisherMetadata");
    a.format = proc<EvtFormatMessageFn>(a.module, "EvtFormatMessage");
    if (!a.query || !a.next || !a.render || !a.close) a.error = core::hr::error_proc_not_found;
    return a;
  }();
  return api;
}

struct EvtHandle {
  EVT_HANDLE handle = nullptr;
  EvtHandle() = default;
  explicit EvtHandle(EVT_HANDLE h) : handle(h) {}
  EvtHandle(const EvtHandle&) = delete;
  EvtHandle& operator=(const EvtHandle&) = delete;
  EvtHandle(EvtHandle&& o) noexcept : handle(o.handle) { o.handle = nullptr; }
  ~EvtHandle() {
    if (handle) wevtapi().close(handle);
  }
};

std::string rendered_xml(const Wevtapi& api, EVT_HANDLE event) {
  std::vector<wchar_t> buffer(2048);
  DWORD used = 0, properties = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (api.render(nullptr, event, EvtRenderEventXml,
                   static_cast<DWORD>(buffer.size() * sizeof(wchar_t)), buffer.data(), &used,
                   &properties))
      return to_utf8(std::wstring_view(buffer.data(), wcsnlen(buffer.data(), buffer.size())));
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) break;
    buffer.assign(used / sizeof(wchar_t) + 1, L'\0');
  }
  return {};
}

std::string formatted_message(const Wevtapi& api, EVT_HANDLE publisher, EVT_HANDLE event) {
  if (!api.format || !publisher) return {};
  std::vector<wchar_t> buffer(1024);
  DWORD used = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (api.format(publisher, event, 0, 0, nullptr, EvtFormatMessageEvent,
                   static_cast<DWORD>(buffer.size()), buffer.data(), &used))
      return to_utf8(std::wstring_view(buffer.data(), wcsnlen(buffer.data(), buffer.size())));
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER) break;
    buffer.assign(used + 1, L'\0');
  }
  return {};
}

}  // namespace

HResult query_event_log(const std::string& log, const std::string& xpath, std::size_t most,
                        std::vector<session::RenderedEvent>& out) {
  out.clear();
  const Wevtapi& api = wevtapi();
  if (api.error) return api.error;
  SetLastError(0);
  EvtHandle results(api.query(nullptr, to_wide(log).c_str(), to_wide(xpath).c_str(),
                              EvtQueryChannelPath | EvtQueryReverseDirection));
  if (!results.handle) {
    const DWORD error = GetLastError();
    spdlog::debug("EvtQuery({}) failed: {}", log, error);
    // Wine 8's EvtQuery fails without setting an error: a reader that serves no query.
    return core::hresult_from_win32(error ? error : ERROR_NOT_SUPPORTED);
  }
  std::map<std::string, EvtHandle> publishers;  // by provider: EvtOpenPublisherMetadata once
  HResult error = 0;
  while (out.size() < most) {
    EVT_HANDLE batch[kBatch] = {};
    DWORD returned = 0;
    const DWORD wanted = static_cast<DWORD>(std::min<std::size_t>(kBatch, most - out.size()));
    if (!api.next(results.handle, wanted, batch, kNextTimeoutMs, 0, &returned)) {
      const DWORD e = GetLastError();
      if (e != ERROR_NO_MORE_ITEMS) error = core::hresult_from_win32(e);
      break;
    }
    for (DWORD i = 0; i < returned; ++i) {
      const EvtHandle event(batch[i]);
      session::RenderedEvent rendered{rendered_xml(api, event.handle), {}};
      if (const auto parsed = core::parse_event_xml(rendered.xml); parsed && api.open_publisher) {
        auto found = publishers.find(parsed->source);
        if (found == publishers.end())
          found = publishers
                      .emplace(parsed->source,
                               EvtHandle(api.open_publisher(nullptr, to_wide(parsed->source).c_str(),
                                                            nullptr, 0, 0)))
                      .first;
        rendered.message = formatted_message(api, found->second.handle, event.handle);
      }
      out.push_back(std::move(rendered));
    }
  }
  std::reverse(out.begin(), out.end());  // read newest first; given oldest first
  // Events read before a later batch failed are still given, with why the rest are not.
  return out.empty() ? error : 0;
}

}  // namespace shadowctl::platform
