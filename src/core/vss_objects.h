#pragma once

// What VSS tells about the machine, as plain values: the session layer fills them from
// whichever backend runs, the report layer shows them. GUIDs are kept in the form VSS
// prints them ("{xxxxxxxx-...}", lower case); sizes in bytes; times in UTC.

#include <cstdint>
#include <string>
#include <vector>

#include "core/hresult.h"

namespace shadowctl::core {

// One shadow copy: every field of VSS_SNAPSHOT_PROP.
struct ShadowCopy {
  std::string id;
  std::string set_id;
  long shadows_in_set = 0;
  std::string device_path;    // \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN
  std::string original_volume;  // \\?\Volume{GUID}\ form
  std::string originating_machine;
  std::string service_machine;
  std::string exposed_name;
  std::string exposed_path;
  std::string provider_id;
  long attributes = 0;
  std::int64_t created_unix_us = 0;  // microseconds since 1970-01-01 UTC
  int state = 0;
  // Not from VSS_SNAPSHOT_PROP: what the session layer adds from the volume and provider
  // lists, so that people see "C:\" and a provider's name. Empty when unknown.
  std::vector<std::string> original_mount_points;  // every mount point of the volume
  std::string original_mount_point;                // the first, as people call the volume
  std::string provider_name;
};

// One writer as GatherWriterStatus reports it.
struct WriterStatus {
  std::string id;
  std::string instance_id;
  std::string name;
  int state = 0;
  HResult failure = 0;
};

// One file specification of a component: a folder, a pattern, and whether it recurses.
struct FileSpec {
  std::string path;
  std::string filespec;
  bool recursive = false;
};

// A component another component depends on (IVssWMDependency), of the same writer or
// another: its writer class, logical path and name.
struct ComponentDependency {
  std::string writer_id;
  std::string logical_path;
  std::string name;
};

// One component of a writer's metadata.
struct WriterComponent {
  std::string logical_path;
  std::string name;
  std::string type;  // "database" or "filegroup" (VSS_COMPONENT_TYPE)
  bool selectable = false;
  std::vector<FileSpec> files;  // its files, a database's files and log files
  std::vector<ComponentDependency> dependencies = {};
};

// One writer as GatherWriterMetadata describes it.
struct WriterMetadata {
  std::string id;
  std::string instance_id;
  std::string name;
  std::vector<WriterComponent> components;
};

// One component selected in component mode, by writer name, for the report.
struct SelectedComponent {
  std::string writer;
  std::string logical_path;
  std::string name;
};

// A component, or a whole writer, left out of a component-mode backup because some of its
// files lie on volumes outside the set.
struct LeftOut {
  std::string writer;     // the writer's name
  std::string writer_id;
  std::string component;  // its full logical path; empty: the whole writer dropped out
  std::vector<std::string> volumes;  // the volumes outside the set its files need, as shown
  std::string reason;                // for people
};

// One registered VSS provider.
struct Provider {
  std::string id;
  std::string name;
  std::string version;
  int type = 0;  // vss::provider_type
};

// One local volume, as the system's volume APIs describe it.
struct Volume {
  std::string name;  // \\?\Volume{GUID}\ form
  std::vector<std::string> mount_points;  // "C:\", "D:\Data\"
  std::string file_system;
  std::string label;
};

// What people call a volume: its first mount point, else its \\?\Volume{GUID}\ name.
inline const std::string& display_name(const Volume& volume) {
  return volume.mount_points.empty() ? volume.name : volume.mount_points.front();
}

// What people call the volume a shadow copy was made of, the same way (once the session has
// filled original_mount_point).
inline const std::string& display_volume(const ShadowCopy& shadow) {
  return shadow.original_mount_point.empty() ? shadow.original_volume : shadow.original_mount_point;
}

// A volume as VSS sees it.
struct VolumeShadowing {
  Volume volume;
  bool supported = false;    // IsVolumeSupported: a provider can shadow it
  bool snapshotted = false;  // IsVolumeSnapshotted: it has shadow copies
  long shadow_count = 0;     // of every context
};

// One shadow storage (diff area) association.
struct StorageAssociation {
  std::string for_volume;
  std::string on_volume;
  std::uint64_t used = 0;
  std::uint64_t allocated = 0;
  std::uint64_t maximum = 0;  // 0: no limit (UNBOUNDED)
  // Not from VSS: the volumes' mount points, filled in by the session layer.
  std::vector<std::string> for_mount_points = {}, on_mount_points = {};
};

}  // namespace shadowctl::core
