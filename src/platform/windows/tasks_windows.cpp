// `schedule` on Windows: the Task Scheduler 2.0 COM API (ITaskService), within shadowctl's
// own folder of the task tree only.
// https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-reference
#include "platform/windows/tasks_windows.h"

#include <windows.h>

#include <oleauto.h>
#include <taskschd.h>

#include <spdlog/spdlog.h>

#include "core/error_catalogue.h"
#include "core/schedule.h"
#include "platform/windows/com.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

// CLSID_TaskScheduler, written here so that no import library of taskschd is needed.
constexpr GUID kTaskSchedulerClass = {
    0x0f87369f, 0xa4e5, 0x4cfc, {0xbd, 0x3e, 0x73, 0xe6, 0x15, 0x45, 0x72, 0xdd}};

// A BSTR made from UTF-8 for an argument; freed when it goes.
class BstrArgument {
 public:
  explicit BstrArgument(std::string_view utf8) : s_(SysAllocString(to_wide(utf8).c_str())) {}
  ~BstrArgument() { SysFreeString(s_); }
  BstrArgument(const BstrArgument&) = delete;
  BstrArgument& operator=(const BstrArgument&) = delete;
  BSTR get() const { return s_; }

 private:
  BSTR s_;
};

core::HResult logged(const char* call, HRESULT result) {
  const auto hr = static_cast<core::HResult>(result);
  spdlog::debug("Task Scheduler: {} -> {}", call, core::format_hresult(hr));
  return hr;
}

bool no_folder(core::HResult hr) {
  return hr == core::hr::error_path_not_found || hr == core::hr::error_file_not_found;
}

// The folder of shadowctl's tasks; with `make`, made when missing.
core::HResult open_folder(ComApartment& apartment, ComPtr<ITaskService>& service,
                    ComPtr<ITaskFolder>& folder, bool make) {
  const HRESULT init = apartment.initialize();
  // Another apartment model on this thread is still COM: the calls below work in it.
  if (FAILED(init) && init != RPC_E_CHANGED_MODE) return logged("CoInitializeEx", init);
  core::HResult hr = logged("CoCreateInstance(TaskScheduler)",
                      CoCreateInstance(kTaskSchedulerClass, nullptr, CLSCTX_INPROC_SERVER,
                                       __uuidof(ITaskService),
                                       reinterpret_cast<void**>(service.put())));
  if (core::failed(hr)) return hr;
  VARIANT none;
  VariantInit(&none);
  hr = logged("ITaskService::Connect", service->Connect(none, none, none, none));
  if (core::failed(hr)) return hr;
  const BstrArgument path(core::kTaskFolder);
  hr = logged("ITaskService::GetFolder", service->GetFolder(path.get(), folder.put()));
  if (!no_folder(hr)) return hr;
  if (!make) return hr;
  ComPtr<ITaskFolder> root;
  const BstrArgument root_path("\\");
  hr = logged("ITaskService::GetFolder(\\)", service->GetFolder(root_path.get(), root.put()));
  if (core::failed(hr)) return hr;
  // Only Administrators and SYSTEM may change the tasks there: the folder's descriptor,
  // not inherited from the root (which lets users add tasks).
  VARIANT sddl;
  VariantInit(&sddl);
  sddl.vt = VT_BSTR;
  const BstrArgument descriptor("D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
  sddl.bstrVal = descriptor.get();
  return logged("ITaskFolder::CreateFolder", root->CreateFolder(path.get(), sddl, folder.put()));
}

// A Task Scheduler time (local, as a DATE) in microseconds since 1970 UTC; 0 for none.
std::int64_t unix_us(DATE date) {
  SYSTEMTIME local{}, utc{};
  FILETIME file{};
  if (date == 0 || !VariantTimeToSystemTime(date, &local) ||
      !TzSpecificLocalTimeToSystemTime(nullptr, &local, &utc) || !SystemTimeToFileTime(&utc, &file))
    return 0;
  const auto ticks = (static_cast<std::int64_t>(file.dwHighDateTime) << 32) | file.dwLowDateTime;
  return (ticks - 116444736000000000LL) / 10;
}

core::ScheduledTask read_task(IRegisteredTask& task) {
  core::ScheduledTask out;
  Bstr name, xml;
  task.get_Name(name.put());
  out.name = to_utf8(name.get());
  logged("IRegisteredTask::get_Xml", task.get_Xml(xml.put()));
  out.xml = to_utf8(xml.get());
  VARIANT_BOOL enabled = VARIANT_FALSE;
  task.get_Enabled(&enabled);
  out.enabled = enabled != VARIANT_FALSE;
  TASK_STATE state = TASK_STATE_UNKNOWN;
  task.get_State(&state);
  out.state = static_cast<int>(state);
  LONG result = 0;
  out.last_result_error = logged("IRegisteredTask::get_LastTaskResult", task.get_LastTaskResult(&result));
  out.last_result = static_cast<core::HResult>(result);
  DATE when = 0;
  out.last_run_hr = logged("IRegisteredTask::get_LastRunTime", task.get_LastRunTime(&when));
  out.last_run_unix_us = out.last_run_hr == core::hr::s_ok ? unix_us(when) : 0;
  when = 0;
  out.next_run_hr = logged("IRegisteredTask::get_NextRunTime", task.get_NextRunTime(&when));
  out.next_run_unix_us = out.next_run_hr == core::hr::s_ok ? unix_us(when) : 0;
  return out;
}

// The names of the folder's tasks as the Task Scheduler's store holds them, for a Task
// Scheduler that cannot enumerate (Wine 8's IRegisteredTaskCollection answers E_NOTIMPL):
// each is then read through ITaskFolder::GetTask like any other.
std::vector<std::wstring> names_in_store() {
  wchar_t system[MAX_PATH + 1] = {};
  const UINT n = GetSystemDirectoryW(system, MAX_PATH + 1);
  const std::wstring pattern =
      std::wstring(system, n) + L"\\Tasks" + to_wide(core::kTaskFolder) + L"\\*";
  std::vector<std::wstring> names;
  WIN32_FIND_DATAW found{};
  HANDLE search = FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found,
                                   FindExSearchNameMatch, nullptr, 0);
  if (search == INVALID_HANDLE_VALUE) return names;
  do {
    if ((found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) == 0) names.emplace_back(found.cFileName);
  } while (FindNextFileW(search, &found));
  FindClose(search);
  return names;
}

}  // namespace

core::HResult register_task(const std::string& name, const std::string& xml, bool replace) {
  ComApartment apartment;
  ComPtr<ITaskService> service;
  ComPtr<ITaskFolder> folder;
  core::HResult hr = open_folder(apartment, service, folder, true);
  if (core::failed(hr)) return hr;
  // LocalSystem: no password, the service account logon.
  VARIANT user, none;
  VariantInit(&user);
  VariantInit(&none);
  const BstrArgument system_account("S-1-5-18");
  user.vt = VT_BSTR;
  user.bstrVal = system_account.get();
  const BstrArgument task_name(name), text(xml);
  ComPtr<IRegisteredTask> task;
  hr = logged("ITaskFolder::RegisterTask",
              folder->RegisterTask(task_name.get(), text.get(),
                                   replace ? TASK_CREATE_OR_UPDATE : TASK_CREATE, user, none,
                                   TASK_LOGON_SERVICE_ACCOUNT, none, task.put()));
  return hr;
}

core::HResult list_tasks(std::vector<core::ScheduledTask>& out) {
  out.clear();
  ComApartment apartment;
  ComPtr<ITaskService> service;
  ComPtr<ITaskFolder> folder;
  core::HResult hr = open_folder(apartment, service, folder, false);
  if (no_folder(hr)) return core::hr::s_ok;  // no folder: no task of shadowctl's
  if (core::failed(hr)) return hr;
  ComPtr<IRegisteredTaskCollection> tasks;
  hr = logged("ITaskFolder::GetTasks", folder->GetTasks(TASK_ENUM_HIDDEN, tasks.put()));
  if (core::failed(hr)) return hr;
  LONG count = 0;
  hr = logged("IRegisteredTaskCollection::get_Count", tasks->get_Count(&count));
  if (hr == core::hr::e_notimpl) {
    for (const auto& name : names_in_store()) {
      ComPtr<IRegisteredTask> task;
      const BstrArgument task_name(to_utf8(name));
      if (!core::failed(logged("ITaskFolder::GetTask", folder->GetTask(task_name.get(), task.put()))))
        out.push_back(read_task(*task.get()));
    }
    return core::hr::s_ok;
  }
  if (core::failed(hr)) return hr;
  for (LONG i = 1; i <= count; ++i) {  // the collection counts from 1
    VARIANT index;
    VariantInit(&index);
    index.vt = VT_I4;
    index.lVal = i;
    ComPtr<IRegisteredTask> task;
    hr = logged("IRegisteredTaskCollection::get_Item", tasks->get_Item(index, task.put()));
    if (core::failed(hr)) return hr;
    out.push_back(read_task(*task.get()));
  }
  return core::hr::s_ok;
}

core::HResult delete_task(const std::string& name) {
  ComApartment apartment;
  ComPtr<ITaskService> service;
  ComPtr<ITaskFolder> folder;
  core::HResult hr = open_folder(apartment, service, folder, false);
  if (no_folder(hr)) return core::hr::error_file_not_found;
  if (core::failed(hr)) return hr;
  const BstrArgument task_name(name);
  return logged("ITaskFolder::DeleteTask", folder->DeleteTask(task_name.get(), 0));
}

}  // namespace shadowctl::platform
