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
  long snapshots_in_set = 0;
  std::string device_object;    // \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN
  std::string original_volume;  // \\?\Volume{GUID}\ form
  std::string originating_machine;
  std::string service_machine;
  std::string exposed_name;
  std::string exposed_path;
  std::string provider_id;
  long attributes = 0;
  std::int64_t created_unix_us = 0;  // microseconds since 1970-01-01 UTC
  int state = 0;
};

// One writer as GatherWriterStatus reports it.
struct WriterStatus {
  std::string id;
  std::string instance_id;
  std::string name;
  int state = 0;
  HResult failure = 0;
};

// One component of a writer's metadata.
struct WriterComponent {
  std::string logical_path;
  std::string name;
};

// One writer as GatherWriterMetadata describes it.
struct WriterMetadata {
  std::string id;
  std::string instance_id;
  std::string name;
  std::vector<WriterComponent> components;
};

// One registered VSS provider.
struct Provider {
  std::string id;
  std::string name;
  std::string version;
  int type = 0;  // vss::provider_type
};

// One local volume.
struct Volume {
  std::string name;  // \\?\Volume{GUID}\ form
  std::vector<std::string> mount_points;
  std::string file_system;
  std::string label;
  bool supported = false;  // a provider can shadow it
};

// One shadow storage (diff area) association.
struct StorageAssociation {
  std::string for_volume;
  std::string on_volume;
  std::uint64_t used = 0;
  std::uint64_t allocated = 0;
  std::uint64_t maximum = 0;  // 0: no limit (UNBOUNDED)
};

}  // namespace shadowctl::core
