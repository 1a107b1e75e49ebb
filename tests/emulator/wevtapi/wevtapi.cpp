// wevtapi.dll's query functions over the emulated machine's event log: EvtQuery answers only
// the XPath subset shadowctl sends (event_log.h) and refuses any other query with
// ERROR_EVT_INVALID_QUERY, so that a query only this double understood could not pass. Each
// function follows its page of the Windows Event Log reference:
// https://learn.microsoft.com/windows/win32/api/winevt/
#include <windows.h>
#include <winevt.h>

#include <algorithm>
#include <cwchar>
#include <memory>
#include <filesystem>
#include <string>
#include <vector>

#include "event_log.h"
#include "journal.h"
#include "platform/windows/unicode.h"
#include "state.h"

namespace emulator = shadowctl::emulator;
using shadowctl::platform::to_utf8;
using shadowctl::platform::to_wide;

namespace {

// ERROR_EVT_PUBLISHER_METADATA_NOT_FOUND and ERROR_EVT_MESSAGE_NOT_FOUND (winerror.h).
constexpr DWORD kPublisherNotFound = 15002;
constexpr DWORD kMessageNotFound = 15027;

std::string environment(const wchar_t* name) {
  const DWORD size = GetEnvironmentVariableW(name, nullptr, 0);
  if (size == 0) return {};
  std::wstring value(size, L'\0');
  value.resize(GetEnvironmentVariableW(name, value.data(), size));
  return to_utf8(value);
}

emulator::Journal& journal() {
  static emulator::Journal instance(environment(L"SHADOWCTL_EMULATOR_JOURNAL"));
  return instance;
}

// The machine as the emulator's processes share it (SHADOWCTL_EMULATOR_STATE); a machine
// without a state file yet has written no event.
emulator::MachineState machine() {
  const std::string path = environment(L"SHADOWCTL_EMULATOR_STATE");
  if (path.empty() || !std::filesystem::exists(std::filesystem::u8path(path))) return {};
  return emulator::StateStore(path, {}).read();
}

// Every handle the double gives out; EvtClose takes any of them.
struct Handle {
  virtual ~Handle() = default;
};
struct ResultSet final : Handle {
  std::vector<emulator::RecordedEvent> events;
  std::size_t next = 0;
  std::string computer;
};
struct EventHandle final : Handle {
  emulator::RecordedEvent event;
  std::string computer;
};
struct Publisher final : Handle {
  std::string name;
};

template <typename T>
T* as(EVT_HANDLE h) {
  return dynamic_cast<T*>(static_cast<Handle*>(h));
}

BOOL fail(DWORD error) {
  SetLastError(error);
  return FALSE;
}

// Copies `text` and its NUL into a caller's buffer of `capacity` units, or says how many it
// needs (ERROR_INSUFFICIENT_BUFFER), as EvtRender and EvtFormatMessage do.
BOOL give(const std::wstring& text, DWORD capacity, wchar_t* buffer, PDWORD used, DWORD unit) {
  const DWORD needed = static_cast<DWORD>((text.size() + 1) * unit);
  if (used) *used = needed;
  if (!buffer || capacity < needed) return fail(ERROR_INSUFFICIENT_BUFFER);
  std::wmemcpy(buffer, text.c_str(), text.size() + 1);
  return TRUE;
}

}  // namespace

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtquery
extern "C" EVT_HANDLE WINAPI EvtQuery(EVT_HANDLE session, LPCWSTR path, LPCWSTR query, DWORD flags) {
  const std::string channel = path ? to_utf8(path) : "";
  const std::string xpath = query ? to_utf8(query) : "";
  const std::int64_t start = emulator::now_us();
  DWORD error = 0;
  auto results = std::make_unique<ResultSet>();
  // Only the local machine's channels: a remote session, a .evtx file or a structured XML
  // query is not what shadowctl sends.
  constexpr DWORD kServed = EvtQueryChannelPath | EvtQueryForwardDirection |
                            EvtQueryReverseDirection | EvtQueryTolerateQueryErrors;
  if (session || (flags & ~kServed) != 0 || (flags & EvtQueryChannelPath) == 0) {
    error = ERROR_INVALID_PARAMETER;
  } else {
    const emulator::MachineState m = machine();
    results->computer = m.machine_name;
    error = emulator::select_events(m, channel, xpath, results->events);
    if ((flags & EvtQueryReverseDirection) != 0)
      std::reverse(results->events.begin(), results->events.end());
  }
  journal().append({"EvtQuery", channel + " " + xpath,
                    error ? shadowctl::core::hresult_from_win32(error) : 0, start,
                    emulator::now_us()});
  if (error) {
    SetLastError(error);
    return nullptr;
  }
  return static_cast<Handle*>(results.release());
}

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtnext
extern "C" BOOL WINAPI EvtNext(EVT_HANDLE result_set, DWORD size, EVT_HANDLE* events, DWORD,
                               DWORD flags, PDWORD returned) {
  ResultSet* set = as<ResultSet>(result_set);
  if (!set || !events || !returned || size == 0 || flags != 0) return fail(ERROR_INVALID_PARAMETER);
  *returned = 0;
  if (set->next >= set->events.size()) return fail(ERROR_NO_MORE_ITEMS);
  while (*returned < size && set->next < set->events.size()) {
    auto e = std::make_unique<EventHandle>();
    e->event = set->events[set->next++];
    e->computer = set->computer;
    events[(*returned)++] = static_cast<Handle*>(e.release());
  }
  return TRUE;
}

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtrender
// The event as XML only (EvtRenderEventXml, no context): the values form is not served.
extern "C" BOOL WINAPI EvtRender(EVT_HANDLE context, EVT_HANDLE fragment, DWORD flags,
                                 DWORD buffer_size, PVOID buffer, PDWORD used, PDWORD properties) {
  EventHandle* e = as<EventHandle>(fragment);
  if (!e || !used) return fail(ERROR_INVALID_PARAMETER);
  if (context || flags != EvtRenderEventXml) return fail(ERROR_NOT_SUPPORTED);
  if (properties) *properties = 0;
  // BufferSize and BufferUsed count bytes.
  return give(to_wide(emulator::render_event_xml(e->event, e->computer)), buffer_size,
              static_cast<wchar_t*>(buffer), used, sizeof(wchar_t));
}

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtopenpublishermetadata
// The emulated machine registers the VSS source's messages only.
extern "C" EVT_HANDLE WINAPI EvtOpenPublisherMetadata(EVT_HANDLE session, LPCWSTR publisher,
                                                      LPCWSTR log_file, LCID, DWORD) {
  if (session || log_file || !publisher) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  const std::string name = to_utf8(publisher);
  if (name != "VSS") {
    SetLastError(kPublisherNotFound);
    return nullptr;
  }
  auto p = std::make_unique<Publisher>();
  p->name = name;
  return static_cast<Handle*>(p.release());
}

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtformatmessage
// The event's message only (EvtFormatMessageEvent); BufferSize and BufferUsed count characters.
extern "C" BOOL WINAPI EvtFormatMessage(EVT_HANDLE publisher, EVT_HANDLE event, DWORD, DWORD,
                                        PEVT_VARIANT, DWORD flags, DWORD buffer_size,
                                        LPWSTR buffer, PDWORD used) {
  Publisher* p = as<Publisher>(publisher);
  EventHandle* e = as<EventHandle>(event);
  if (!p || !e || !used) return fail(ERROR_INVALID_PARAMETER);
  if (flags != EvtFormatMessageEvent) return fail(ERROR_NOT_SUPPORTED);
  if (e->event.source != p->name) return fail(kMessageNotFound);
  const std::string message = emulator::format_event_message(e->event);
  if (message.empty()) return fail(kMessageNotFound);
  return give(to_wide(message), buffer_size, buffer, used, 1);
}

// https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtclose
extern "C" BOOL WINAPI EvtClose(EVT_HANDLE object) {
  if (!object) return fail(ERROR_INVALID_PARAMETER);
  delete static_cast<Handle*>(object);
  return TRUE;
}
