#include "state.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "os.h"

namespace shadowctl::emulator {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Volume, name, mount_points, file_system, label,
                                                supported, capacity, used_space, content_root)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Provider, id, name, version, type)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ComponentFile, path, filespec, recursive)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Dependency, writer_id, logical_path, component_name)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RestoreMethod, method, service, user_procedure,
                                                writer_restore, reboot_required)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AlternateMapping, path, filespec, recursive,
                                                destination)

void to_json(nlohmann::json& j, const Component& c) {
  j = {{"name", c.name},
       {"logical_path", c.logical_path},
       {"type", c.type},
       {"selectable", c.selectable},
       {"files", c.files},
       {"log_files", c.log_files},
       {"dependencies", c.dependencies}};
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
  c.log_files = j.value("log_files", defaults.log_files);
  c.dependencies = j.value("dependencies", defaults.dependencies);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Writer, id, instance_id, name, state, failure,
                                                components, instance_name, usage, source, restore,
                                                excluded, alternate_locations, backup_schema,
                                                excluded_from_snapshot, checks_volumes,
                                                recorded_backups, records_events,
                                                recorded_events)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Shadow, id, set_id, shadows_in_set,
                                                device_path, original_volume,
                                                originating_machine, service_machine,
                                                exposed_name, exposed_path, provider_id,
                                                attributes, created_us, state, context,
                                                owner_pid, owner_object, contents, contents_note,
                                                storage_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RecordedEvent, log, source, id, level, time_us,
                                                data, record_id)
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
  auto writer = [](std::string id, std::string name, int usage, int source,
                   std::vector<Component> components) {
    Writer w;
    w.id = std::move(id);
    w.instance_id = new_guid();
    w.name = std::move(name);
    w.usage = usage;
    w.source = source;
    w.components = std::move(components);
    return w;
  };
  constexpr int kDatabase = 1;
  constexpr int kFilegroup = 2;
  // VSS_USAGE_TYPE and VSS_SOURCE_TYPE values.
  constexpr int kBootableSystemState = 1, kSystemService = 2, kUserData = 3;
  constexpr int kTransactedDb = 1, kOther = 3;
  // What these writers describe on a Windows Server with SQL Server, abridged.
  m.writers = {
      writer("{e8132975-6f93-4464-a53e-1050253ae220}", "System Writer", kBootableSystemState,
             kOther,
             {{"System Files",
               "",
               kFilegroup,
               true,
               {{"C:\\Windows\\System32", "*.dll", true}, {"C:\\Windows\\System32", "*.exe", true}},
               {},
               {}}}),
      writer("{afbab4a2-367d-4d15-a586-71dbb18f8485}", "Registry Writer", kBootableSystemState,
             kOther,
             {{"Registry",
               "",
               kFilegroup,
               false,
               {{"C:\\Windows\\System32\\config", "SYSTEM", false},
                {"C:\\Windows\\System32\\config", "SOFTWARE", false}},
               {},
               {}}}),
      writer("{a6ad56c2-b509-4e6c-bb19-49d8f43532f0}", "WMI Writer", kSystemService, kOther,
             {{"WMI",
               "",
               kFilegroup,
               false,
               {{"C:\\Windows\\System32\\wbem\\Repository", "*.*", true}},
               {},
               {}}}),
      writer("{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}", "SqlServerWriter", kUserData, kTransactedDb,
             {{"master",
               "SQL01",
               kDatabase,
               true,
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "master.mdf", false}},
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "mastlog.ldf", false}},
               {}},
              {"model",
               "SQL01",
               kDatabase,
               true,
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "model.mdf", false}},
               {{"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "modellog.ldf", false}},
               {{"{a65faa63-5ea8-4ebc-9dbd-a0c4db26912a}", "SQL01", "master"}}}}),
  };
  // Restore methods, exclusions and alternate locations as these writers declare them.
  m.writers[0].restore = {5, "", "", 1, true};  // VSS_RME_RESTORE_AT_REBOOT, reboot required
  m.writers[0].excluded = {{"C:\\Windows\\System32\\LogFiles", "*", true}};
  m.writers[1].restore = {5, "", "", 1, true};
  m.writers[2].restore = {3, "Winmgmt", "", 1, false};  // VSS_RME_STOP_RESTORE_START
  m.writers[3].instance_name = "MSSQLSERVER";
  m.writers[3].restore = {2, "", "", 3, false};  // VSS_RME_RESTORE_IF_CAN_REPLACE, VSS_WRE_ALWAYS
  m.writers[3].alternate_locations = {
      {"C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA", "*.mdf", false, "D:\\Restore\\SQL"}};
  // VSS_BS_DIFFERENTIAL | INCREMENTAL | LOG | COPY | WRITER_SUPPORTS_RESTORE_WITH_MOVE
  m.writers[3].backup_schema = 0x1 | 0x2 | 0x8 | 0x10 | 0x200;
  for (const auto& v : m.volumes)
    m.storage.push_back({v.name, v.name, 0, 0, 10 * kGiB});
  return m;
}

std::string to_json_text(const MachineState& s) {
  nlohmann::json j = {
      {"machine_name", s.machine_name}, {"max_client_accessible", s.max_client_accessible},
      {"volumes", s.volumes},           {"providers", s.providers},
      {"writers", s.writers},           {"shadows", s.shadows},
      {"storage", s.storage},           {"next_device_number", s.next_device_number},
      {"contents_store", s.contents_store}, {"events", s.events},
      {"next_event_record", s.next_event_record}};
  j["in_creation"] = s.in_creation ? nlohmann::json(*s.in_creation) : nlohmann::json(nullptr);
  return j.dump(2);
}

std::string writer_to_json_text(const Writer& writer) { return nlohmann::json(writer).dump(); }

Writer writer_from_json_text(const std::string& text) {
  return nlohmann::json::parse(text).get<Writer>();
}

std::string with_stand_ins_for_lone_surrogates(const std::string& json_text) {
  auto hex_at = [&](std::size_t i) -> std::optional<unsigned> {
    if (i + 6 > json_text.size() || json_text[i] != '\\' || json_text[i + 1] != 'u')
      return std::nullopt;
    unsigned value = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
      const char c = json_text[k];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    return value;
  };
  std::string out;
  out.reserve(json_text.size());
  for (std::size_t i = 0; i < json_text.size();) {
    if (json_text[i] != '\\') {
      out += json_text[i++];
      continue;
    }
    const auto unit = hex_at(i);
    if (!unit) {  // another escape: \\ must not start a \u here
      out.append(json_text, i, 2);
      i += 2;
      continue;
    }
    const bool high = *unit >= 0xD800 && *unit <= 0xDBFF, low = *unit >= 0xDC00 && *unit <= 0xDFFF;
    const auto next = hex_at(i + 6);
    if (high && next && *next >= 0xDC00 && *next <= 0xDFFF) {  // a proper pair
      out.append(json_text, i, 12);
      i += 12;
      continue;
    }
    if (!high && !low) {
      out.append(json_text, i, 6);
      i += 6;
      continue;
    }
    const char32_t stand_in = kLoneSurrogateStandIns + (*unit - 0xD800) - 0x10000;
    out +=
        fmt::format("\\u{:04X}\\u{:04X}", 0xD800 + (stand_in >> 10), 0xDC00 + (stand_in & 0x3FF));
    i += 6;
  }
  return out;
}

std::u16string lone_surrogates_back(std::u16string text) {
  std::u16string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char16_t c = text[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
        text[i + 1] <= 0xDFFF) {
      const char32_t code = 0x10000 + ((static_cast<char32_t>(c) - 0xD800) << 10) +
                            (static_cast<char32_t>(text[i + 1]) - 0xDC00);
      if (code >= kLoneSurrogateStandIns) {
        out += static_cast<char16_t>(0xD800 + (code - kLoneSurrogateStandIns));
      } else {
        out += c;
        out += text[i + 1];
      }
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

MachineState from_json_text(const std::string& text) {
  const auto j = nlohmann::json::parse(with_stand_ins_for_lone_surrogates(text));
  MachineState s;
  s.machine_name = j.value("machine_name", s.machine_name);
  s.max_client_accessible = j.value("max_client_accessible", s.max_client_accessible);
  s.volumes = j.value("volumes", s.volumes);
  s.providers = j.value("providers", s.providers);
  s.writers = j.value("writers", s.writers);
  s.shadows = j.value("shadows", s.shadows);
  s.storage = j.value("storage", s.storage);
  s.next_device_number = j.value("next_device_number", s.next_device_number);
  s.contents_store = j.value("contents_store", s.contents_store);
  s.events = j.value("events", s.events);
  s.next_event_record = j.value("next_event_record", s.next_event_record);
  if (j.contains("in_creation") && !j["in_creation"].is_null())
    s.in_creation = j["in_creation"].get<SetInCreation>();
  return s;
}

StateStore::StateStore(std::string path, MachineState initial)
    : path_(std::move(path)), memory_(std::make_shared<MachineState>(std::move(initial))) {
  if (!path_.empty()) {
    os::FileLock lock(path_ + ".lock");
    if (!std::filesystem::exists(path_))
      std::ofstream(path_, std::ios::binary) << to_json_text(*memory_);
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
    change(writable_memory());
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

void StateStore::view(const std::function<void(const MachineState&)>& see) {
  std::lock_guard guard(mutex_);
  if (path_.empty()) {
    purge_dead_processes(writable_memory());  // this process's own machine: nothing written back
    see(*memory_);
    return;
  }
  MachineState state;
  {
    os::FileLock lock(path_ + ".lock");
    std::stringstream text;
    text << std::ifstream(path_, std::ios::binary).rdbuf();
    state = from_json_text(text.str());
  }
  purge_dead_processes(state);
  see(state);
}

MachineState& StateStore::writable_memory() {
  if (memory_.use_count() > 1) memory_ = std::make_shared<MachineState>(*memory_);
  return *memory_;
}

std::shared_ptr<const MachineState> StateStore::snapshot() {
  if (path_.empty()) {
    std::lock_guard guard(mutex_);
    const bool any_dead = [&] {
      MachineState& m = *memory_;
      return std::any_of(m.shadows.begin(), m.shadows.end(),
                         [](const Shadow& s) {
                           return s.owner_pid != 0 && !os::process_alive(s.owner_pid);
                         }) ||
             (m.in_creation && !os::process_alive(m.in_creation->pid));
    }();
    if (any_dead) purge_dead_processes(writable_memory());
    return memory_;
  }
  auto copy = std::make_shared<MachineState>();
  view([&](const MachineState& s) { *copy = s; });
  return copy;
}

MachineState StateStore::read() {
  MachineState copy;
  view([&](const MachineState& s) { copy = s; });
  return copy;
}

}  // namespace shadowctl::emulator
