#include "core/writer_services.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace shadowctl::core {
namespace {

// Writer name -> service name. Writers hosted by the VSS service itself (Registry, COM+
// REGDB, ASR, Shadow Copy Optimization, Metadata Store, Performance Counters) are left out:
// restarting VSS is the catalogue's general advice already.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kWriterServices = {{
    {"SqlServerWriter", "SQLWriter"},
    {"WMI Writer", "Winmgmt"},
    {"System Writer", "CryptSvc"},
    {"BITS Writer", "BITS"},
    {"IIS Config Writer", "AppHostSvc"},
    {"IIS Metabase Writer", "IISADMIN"},
    {"NTDS", "NTDS"},
    {"DFS Replication service writer", "DFSR"},
    {"FRS Writer", "NtFrs"},
    {"Dhcp Jet Writer", "DHCPServer"},
    {"WINS Jet Writer", "WINS"},
    {"Certificate Authority", "CertSvc"},
    {"Cluster Database", "ClusSvc"},
    {"Cluster Shared Volume VSS Writer", "ClusSvc"},
    {"Microsoft Hyper-V VSS Writer", "vmms"},
    {"Microsoft Exchange Writer", "MSExchangeIS"},
    {"Microsoft Exchange Replica Writer", "MSExchangeRepl"},
    {"MSSearch Service Writer", "WSearch"},
    {"Task Scheduler Writer", "Schedule"},
    {"TermServLicensing", "TermServLicensing"},
    {"Remote Desktop Services Gateway VSS Writer", "TSGateway"},
    {"FSRM Writer", "srmsvc"},
    {"MSMQ Writer (MSMQ)", "MSMQ"},
    {"WIDWriter", "WIDWriter"},
}};

}  // namespace

std::string_view writer_service(std::string_view writer_name) {
  for (const auto& [writer, service] : kWriterServices)
    if (same_ignoring_case(writer, writer_name)) return service;
  return {};
}

std::string writer_remedy(std::string_view writer_name, std::string_view generic) {
  std::string remedy(generic);
  const std::string_view service = writer_service(writer_name);
  if (service.empty()) return remedy;
  const std::string name(service);
  return remedy + " The writer runs in the " + name + " service: restart it with `net stop " +
         name + "` and `net start " + name + "` (or Restart-Service " + name +
         "), then check with `shadowctl list writers`.";
}

}  // namespace shadowctl::core
