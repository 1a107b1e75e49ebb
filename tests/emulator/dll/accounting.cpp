#include "accounting.h"

#include <atomic>
#include <mutex>
#include <set>

#include <objbase.h>
#include <oleauto.h>

#include "convert.h"
#include "platform/windows/unicode.h"
#include "windows_machine.h"

namespace shadowctl::emulator::dll {
namespace {

std::atomic<long> g_live_references{0};
std::mutex g_mutex;
std::set<const void*>* g_allocations = new std::set<const void*>;  // never destroyed: used at unload
bool g_scenario_unreadable = false;

// Sees every CoTaskMemFree in the process (and, with Wine's BSTR cache off, every
// SysFreeString), so blocks the caller frees itself are counted too.
class FreeSpy final : public IMallocSpy {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    if (riid == __uuidof(IUnknown) || riid == __uuidof(IMallocSpy)) {
      *out = static_cast<IMallocSpy*>(this);
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return 2; }   // static lifetime
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  SIZE_T STDMETHODCALLTYPE PreAlloc(SIZE_T size) override { return size; }
  void* STDMETHODCALLTYPE PostAlloc(void* p) override { return p; }
  void* STDMETHODCALLTYPE PreFree(void* p, BOOL) override {
    untrack(p);
    return p;
  }
  void STDMETHODCALLTYPE PostFree(BOOL) override {}
  SIZE_T STDMETHODCALLTYPE PreRealloc(void* p, SIZE_T size, void** out, BOOL) override {
    *out = p;
    return size;
  }
  void* STDMETHODCALLTYPE PostRealloc(void* p, BOOL) override { return p; }
  void* STDMETHODCALLTYPE PreGetSize(void* p, BOOL) override { return p; }
  SIZE_T STDMETHODCALLTYPE PostGetSize(SIZE_T size, BOOL) override { return size; }
  void* STDMETHODCALLTYPE PreDidAlloc(void* p, BOOL) override { return p; }
  int STDMETHODCALLTYPE PostDidAlloc(void*, BOOL, int actual) override { return actual; }
  void STDMETHODCALLTYPE PreHeapMinimize() override {}
  void STDMETHODCALLTYPE PostHeapMinimize() override {}
};

FreeSpy g_spy;
bool g_spy_registered = false;

}  // namespace

std::string environment(const char* name) {
  wchar_t buffer[MAX_PATH * 4] = {};
  const DWORD n = GetEnvironmentVariableW(platform::to_wide(name).c_str(), buffer, MAX_PATH * 4);
  return n > 0 && n < MAX_PATH * 4 ? platform::to_utf8(std::wstring_view(buffer, n))
                                   : std::string();
}

Service& service() {
  static const bool spying = [] {
    g_spy_registered = SUCCEEDED(CoRegisterMallocSpy(&g_spy));
    // COM keeps calling the spy after the tool's FreeLibrary: pin this DLL, so the report is
    // written at process exit instead of the spy pointing into unloaded code.
    HMODULE self = nullptr;
    if (g_spy_registered)
      GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                         reinterpret_cast<LPCWSTR>(&g_spy), &self);
    return g_spy_registered;
  }();
  (void)spying;
  static Journal journal(environment("SHADOWCTL_EMULATOR_JOURNAL"));
  static Service instance = [] {
    try {
      return Service(Scenario::load(environment("SHADOWCTL_EMULATOR_SCENARIO")), journal,
                     environment("SHADOWCTL_EMULATOR_STATE"), machine_from_windows());
    } catch (const std::exception&) {
      g_scenario_unreadable = true;
      return Service({}, journal);
    }
  }();
  static const bool probing = (instance.set_folder_probe(folder_from_windows), true);
  (void)probing;
  return instance;
}

bool scenario_unreadable() {
  service();
  return g_scenario_unreadable;
}

void reference_added() { ++g_live_references; }
void reference_released() { --g_live_references; }

void track(const void* p) {
  std::lock_guard lock(g_mutex);
  g_allocations->insert(p);
}

bool untrack(const void* p) {
  std::lock_guard lock(g_mutex);
  return g_allocations->erase(p) != 0;
}

wchar_t* caller_freed_string(std::string_view utf8) {
  const std::wstring wide = wide_name(utf8);
  auto* p = static_cast<wchar_t*>(CoTaskMemAlloc((wide.size() + 1) * sizeof(wchar_t)));
  if (!p) return nullptr;
  std::copy(wide.c_str(), wide.c_str() + wide.size() + 1, p);
  if (g_spy_registered) track(p);
  return p;
}

BSTR caller_freed_bstr(std::string_view utf8) {
  BSTR b = SysAllocString(wide_name(utf8).c_str());
  // Wine's 64-bit oleaut32 allocates a BSTR through IMalloc as 4 bytes of padding, the 4-byte
  // length, then the characters (seen: the block freed is 8 bytes before the string); with
  // OANOCACHE set it frees that block through IMalloc too, where the spy sees it.
  constexpr std::size_t kBstrHeader = 2 * sizeof(DWORD);
  if (b && g_spy_registered && !environment("OANOCACHE").empty())
    track(reinterpret_cast<const char*>(b) - kBstrHeader);
  return b;
}

wchar_t* tracked_string(std::string_view utf8) {
  const std::wstring wide = wide_name(utf8);
  auto* p = static_cast<wchar_t*>(CoTaskMemAlloc((wide.size() + 1) * sizeof(wchar_t)));
  if (!p) return nullptr;
  std::copy(wide.begin(), wide.end(), p);
  p[wide.size()] = L'\0';
  track(p);
  return p;
}

bool free_tracked(wchar_t* p) {
  if (!p) return true;
  if (!untrack(p)) return false;
  CoTaskMemFree(p);
  return true;
}

void write_report() {
  // SHADOWCTL_EMULATOR_REPORT, or beside the state file.
  std::string path = environment("SHADOWCTL_EMULATOR_REPORT");
  if (path.empty() && !environment("SHADOWCTL_EMULATOR_STATE").empty())
    path = environment("SHADOWCTL_EMULATOR_STATE") + ".report.json";
  if (path.empty()) return;
  const Ledger ledger = service().ledger();
  std::size_t strings = 0;
  {
    std::lock_guard lock(g_mutex);
    strings = g_allocations->size();
  }
  const std::string text = "{\"live_references\": " + std::to_string(g_live_references.load()) +
                           ", \"unfreed_allocations\": " + std::to_string(strings) +
                           ", \"sets_left_unfinished\": " +
                           std::to_string(ledger.sets_left_unfinished) +
                           ", \"aborts_owed\": " + std::to_string(ledger.aborts_owed) +
                           ", \"results_owed\": " + std::to_string(ledger.results_owed) +
                           ", \"writers_left_waiting\": " +
                           std::to_string(ledger.writers_left_waiting) + "}\n";
  HANDLE file = CreateFileW(platform::to_wide(path).c_str(), GENERIC_WRITE, 0, nullptr,
                            CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return;
  DWORD written = 0;
  WriteFile(file, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
  CloseHandle(file);
}

}  // namespace shadowctl::emulator::dll
