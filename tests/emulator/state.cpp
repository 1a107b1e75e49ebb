#include "state.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "os.h"

namespace shadowctl::emulator {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Volume, name, mount_points, file_system, label,
                                                supported, capacity)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Provider, id, name, version, type)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ComponentFile, path, filespec, recursive)

void to_json(nlohmann::json& j, const Component& c) {
  j = {{"name", c.name},
       {"logical_path", c.logical_path},
       {"type", c.type},
       {"selectable", c.selectable},
       {"files", c.files}};
}

void from_json(const nlohmann::json& j, Component& c) {
  if (j.is_string()) {
    c = Component{};
    c.name = j.get<std::string>();
    return;
  }
  const Component defaults;
  c.name = j.at("name").get<std::string>();
  c.logical_path = j.value("logical_path", defaults.logical_path);
  c.type = j.value("type", defaults.type);
  c.selectable = j.value("selectable", defaults.selectable);
  c.files = j.value("files", defaults.files);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Writer, id, instance_id, name, state, failure,
                                                components)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Shadow, id, set_id, snapshots_in_set,
                                                device_object, original_volume,
                                                originating_machine, service_machine,
                                                exposed_name, exposed_path, provider_id,
                                                attributes, created_us, state, context,
                                                owner_pid, owner_object)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Storage, for_volume, on_volume, used, allocated,
                                                maximum)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SetInCreation, set_id, pid, object)

namespace {
constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;
}

std::string new_guid() {
  static std::mt19937_64 random{std::random_device{}()};
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  const std::uint64_t a = random(), b = random();
  return fmt::format("{{{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}}}", a >> 32, (a >> 16) & 0xFFFF,
                     a & 0xFFF, 0x8000 | ((b >> 48) & 0x3FFF), b & 0xFFFFFFFFFFFFull);
}

MachineState default_machine() {
  MachineState m;
  m.volumes = {
      {"\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000c}\\", {"C:\\"}, "NTFS", "System",
       true, 256 * kGiB},
      {"\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000d}\\", {"D:\\"}, "NTFS", "Data", true,
       512 * kGiB},
  };
  m.providers = {{"{b5946137-7b9f-4925-af80-51abd60b20d5}",
                  "Microsoft Software Shadow Copy provider 1.0", "1.0.0.7", 2}};
  auto writer = [](std::string id, std::string name, std::vector<Component> components) {
    return Writer{std::move(id), new_guid(), std::move(name), 1, 0, std::move(components)};
  };
  constexpr int kDatabase = 1;
  constexpr int kFilegroup = 2;
  // What these writers describe on a Windows Server with SQL Server, abridged.
  m.writers = {
      writer("{e8132975-6f93-4464-a53e-1050253ae220}", "System Writer",
             {{"System Files", "", kFilegroup, true,
               {{"C:\\Windows\\System32", "*.dll", true},
                {"C:\\Windows\\System32", "*.exe", true}}}}),
      writer("{afbab4a2-367d-4d15-a586-71dbb18f8485}", "Registry Writer",
             {{"Registry", "", kFilegroup, false,
               {{"C:\\Windows\\System32\\config", "SYSTEM", false},
                {"C:\\Windows\\System32\\config", "SOFTWARE", false}}}}),
      writer("{a6ad56c2-b509-4e6c-bb19-49d8f43532f0}", "WMI Writer",
             {{"WMI", "", kFilegroup, false,
               {{"C:\\Windows\\System32\\wbem\\Repository", "*.*", true}}}}),
      writer("{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}", "SqlServerWriter",
             {{"master", "SQL01", kDatabase, true,
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "master.mdf", false}}},
              {"model", "SQL01", kDatabase, true,
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "model.mdf", false}}}}),
  };
  for (const auto& v : m.volumes)
    m.storage.push_back({v.name, v.name, 0, 0, 10 * kGiB});
  return m;
}

std::string to_json_text(const MachineState& s) {
  nlohmann::json j = {{"machine_name", s.machine_name},
                      {"max_client_accessible", s.max_client_accessible},
                      {"volumes", s.volumes},
                      {"providers", s.providers},       {"writers", s.writers},
                      {"shadows", s.shadows},           {"storage", s.storage},
                      {"next_device_number", s.next_device_number}};
  j["in_creation"] = s.in_creation ? nlohmann::json(*s.in_creation) : nlohmann::json(nullptr);
  return j.dump(2);
}

MachineState from_json_text(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  MachineState s;
  s.machine_name = j.value("machine_name", s.machine_name);
  s.max_client_accessible = j.value("max_client_accessible", s.max_client_accessible);
  s.volumes = j.value("volumes", s.volumes);
  s.providers = j.value("providers", s.providers);
  s.writers = j.value("writers", s.writers);
  s.shadows = j.value("shadows", s.shadows);
  s.storage = j.value("storage", s.storage);
  s.next_device_number = j.value("next_device_number", s.next_device_number);
  if (j.contains("in_creation") && !j["in_creation"].is_null())
    s.in_creation = j["in_creation"].get<SetInCreation>();
  return s;
}

StateStore::StateStore(std::string path, MachineState initial)
    : path_(std::move(path)), memory_(std::move(initial)) {
  if (!path_.empty()) {
    os::FileLock lock(path_ + ".lock");
    if (!std::filesystem::exists(path_)) std::ofstream(path_, std::ios::binary) << to_json_text(memory_);
  }
}

void StateStore::purge_dead_processes(MachineState& state) const {
  remove_shadows(state, [](const Shadow& s) {
    return s.owner_pid != 0 && !os::process_alive(s.owner_pid);
  });
  if (state.in_creation && !os::process_alive(state.in_creation->pid)) state.in_creation.reset();
}

void StateStore::update(const std::function<void(MachineState&)>& change) {
  std::lock_guard guard(mutex_);
  if (path_.empty()) {
    change(memory_);
    return;
  }
  os::FileLock lock(path_ + ".lock");
  std::stringstream text;
  text << std::ifstream(path_, std::ios::binary).rdbuf();
  MachineState state = from_json_text(text.str());
  purge_dead_processes(state);
  change(state);
  // Write beside, then rename: a reader never sees half a file.
  const std::string temp = path_ + ".tmp";
  std::ofstream(temp, std::ios::binary | std::ios::trunc) << to_json_text(state);
  std::filesystem::rename(temp, path_);
}

MachineState StateStore::read() {
  MachineState copy;
  update([&](MachineState& s) { copy = s; });
  return copy;
}

}  // namespace shadowctl::emulator
