// exec's child process: no shell, an explicit environment block, only the standard handles,
// in a job object so that it cannot outlive the shadow copies it reads.
#include "platform/windows/process_windows.h"

#include <windows.h>

#include <chrono>
#include <memory>
#include <vector>

#include "core/error_catalogue.h"

namespace shadowctl::platform {
namespace {

struct HandleCloser {
  void operator()(HANDLE h) const {
    if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
  }
};
using UniqueHandle = std::unique_ptr<void, HandleCloser>;

core::HResult last_error() { return core::hresult_from_win32(GetLastError()); }

const wchar_t* wide(const std::u16string& s) { return reinterpret_cast<const wchar_t*>(s.c_str()); }

// An inheritable duplicate of a standard handle, or null when there is none to give.
UniqueHandle inheritable(DWORD which) {
  HANDLE h = GetStdHandle(which);
  if (!h || h == INVALID_HANDLE_VALUE) return UniqueHandle(nullptr);
  HANDLE copy = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &copy, 0, TRUE,
                       DUPLICATE_SAME_ACCESS))
    return UniqueHandle(nullptr);
  return UniqueHandle(copy);
}

}  // namespace

session::ProcessResult run_process(const session::ProcessRequest& request,
                                   void (*restore_privilege)(), void (*reclaim_privilege)()) {
  session::ProcessResult result;
  auto fail = [&](core::HResult hr) {
    result.start_error = hr;
    return result;
  };

  // The job: closing its last handle (ours, at the latest when shadowctl exits) ends every
  // process in it.
  UniqueHandle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) return fail(last_error());
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits,
                               sizeof limits))
    return fail(last_error());

  // Only the three standard handles are inherited, whatever else is inheritable here.
  UniqueHandle in = inheritable(STD_INPUT_HANDLE), out = inheritable(STD_OUTPUT_HANDLE),
               err = inheritable(STD_ERROR_HANDLE);
  std::vector<HANDLE> handles;
  for (const auto& h : {in.get(), out.get(), err.get()})
    if (h) handles.push_back(h);
  SIZE_T size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
  std::vector<unsigned char> storage(size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage.data());
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &size)) return fail(last_error());
  struct AttributesDeleter {
    LPPROC_THREAD_ATTRIBUTE_LIST list;
    ~AttributesDeleter() { DeleteProcThreadAttributeList(list); }
  } delete_attributes{attributes};
  if (!handles.empty() &&
      !UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles.data(),
                                 handles.size() * sizeof(HANDLE), nullptr, nullptr))
    return fail(last_error());

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = in.get();
  startup.StartupInfo.hStdOutput = out.get();
  startup.StartupInfo.hStdError = err.get();
  startup.lpAttributeList = handles.empty() ? nullptr : attributes;

  // --drop-privileges: the child runs with a restricted copy of this token that holds no
  // privilege but SeChangeNotify, so SeRestore, SeDebug, SeTakeOwnership and the rest of the
  // elevated token stay with shadowctl. A restricted version of the caller's own token needs
  // no privilege to start a process with (CreateProcessAsUserW).
  // https://learn.microsoft.com/windows/win32/api/securitybaseapi/nf-securitybaseapi-createrestrictedtoken
  UniqueHandle restricted;
  if (request.drop_privileges) {
    HANDLE own = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(),
                          TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY |
                              TOKEN_ADJUST_DEFAULT | TOKEN_ADJUST_SESSIONID,
                          &own))
      return fail(last_error());
    UniqueHandle own_token(own);
    // Every privilege the token holds is named for deletion (what DISABLE_MAX_PRIVILEGE does,
    // spelt out, so that it holds wherever the flag is not honoured), SeChangeNotify aside.
    DWORD needed = 0;
    GetTokenInformation(own, TokenPrivileges, nullptr, 0, &needed);
    std::vector<unsigned char> buffer(needed);
    if (!GetTokenInformation(own, TokenPrivileges, buffer.data(), needed, &needed))
      return fail(last_error());
    const auto* held = reinterpret_cast<const TOKEN_PRIVILEGES*>(buffer.data());
    LUID change_notify{};
    LookupPrivilegeValueW(nullptr, SE_CHANGE_NOTIFY_NAME, &change_notify);
    std::vector<LUID_AND_ATTRIBUTES> deleted;
    for (DWORD i = 0; i < held->PrivilegeCount; ++i) {
      const LUID& luid = held->Privileges[i].Luid;
      if (luid.LowPart != change_notify.LowPart || luid.HighPart != change_notify.HighPart)
        deleted.push_back({luid, 0});
    }
    HANDLE made = nullptr;
    if (!CreateRestrictedToken(own, DISABLE_MAX_PRIVILEGE, 0, nullptr,
                               static_cast<DWORD>(deleted.size()), deleted.data(), 0, nullptr,
                               &made))
      return fail(last_error());
    restricted.reset(made);
  }

  std::u16string command_line = request.command_line;  // CreateProcessW may write to it
  std::u16string environment = request.environment;
  PROCESS_INFORMATION process{};
  BOOL created = FALSE;
  DWORD create_error = 0;
  {
    ConsoleAsFound console;
    restore_privilege();
    const DWORD flags = CREATE_UNICODE_ENVIRONMENT | CREATE_SUSPENDED | EXTENDED_STARTUPINFO_PRESENT;
    auto* line = reinterpret_cast<wchar_t*>(command_line.data());
    created = restricted
                  ? CreateProcessAsUserW(restricted.get(), wide(request.application), line,
                                         nullptr, nullptr, handles.empty() ? FALSE : TRUE, flags,
                                         environment.data(), nullptr, &startup.StartupInfo,
                                         &process)
                  : CreateProcessW(wide(request.application), line, nullptr, nullptr,
                                   handles.empty() ? FALSE : TRUE, flags, environment.data(),
                                   nullptr, &startup.StartupInfo, &process);
    create_error = GetLastError();
    reclaim_privilege();
    if (!created) return fail(core::hresult_from_win32(create_error));
    UniqueHandle thread(process.hThread);
    UniqueHandle child(process.hProcess);
    // In the job before it runs a single instruction, so nothing it starts escapes.
    if (!AssignProcessToJobObject(job.get(), child.get())) {
      const core::HResult hr = last_error();
      TerminateProcess(child.get(), 1);
      return fail(hr);
    }
    const auto started = std::chrono::steady_clock::now();
    ResumeThread(thread.get());
    // Ctrl+C reaches the child too; shadowctl waits for it to end, then cleans up.
    WaitForSingleObject(child.get(), INFINITE);
    result.run_time = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    DWORD code = 0;
    GetExitCodeProcess(child.get(), &code);
    result.exit_code = static_cast<int>(code);
  }
  return result;  // the job closes here: whatever the command left running ends with it
}

}  // namespace shadowctl::platform
