// core/vss.h equals the SDK's vss.h and vswriter.h, checked when the Windows build compiles:
// a wrong value is a build error, not a test failure.
#include <windows.h>

#include <vss.h>
#include <vswriter.h>

#include "core/vss.h"

namespace shadowctl::platform {
namespace {

namespace vss = core::vss;

#define SHADOWCTL_SAME(ours, sdk) static_assert((ours) == static_cast<long>(sdk), #sdk);
SHADOWCTL_SAME(vss::context::backup, VSS_CTX_BACKUP)
SHADOWCTL_SAME(vss::context::file_share_backup, VSS_CTX_FILE_SHARE_BACKUP)
SHADOWCTL_SAME(vss::context::nas_rollback, VSS_CTX_NAS_ROLLBACK)
SHADOWCTL_SAME(vss::context::app_rollback, VSS_CTX_APP_ROLLBACK)
SHADOWCTL_SAME(vss::context::client_accessible, VSS_CTX_CLIENT_ACCESSIBLE)
SHADOWCTL_SAME(vss::context::client_accessible_writers, VSS_CTX_CLIENT_ACCESSIBLE_WRITERS)
SHADOWCTL_SAME(vss::context::all, VSS_CTX_ALL)
SHADOWCTL_SAME(vss::attr::persistent, VSS_VOLSNAP_ATTR_PERSISTENT)
SHADOWCTL_SAME(vss::attr::no_autorecovery, VSS_VOLSNAP_ATTR_NO_AUTORECOVERY)
SHADOWCTL_SAME(vss::attr::client_accessible, VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE)
SHADOWCTL_SAME(vss::attr::no_auto_release, VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE)
SHADOWCTL_SAME(vss::attr::no_writers, VSS_VOLSNAP_ATTR_NO_WRITERS)
SHADOWCTL_SAME(vss::attr::transportable, VSS_VOLSNAP_ATTR_TRANSPORTABLE)
SHADOWCTL_SAME(vss::attr::not_surfaced, VSS_VOLSNAP_ATTR_NOT_SURFACED)
SHADOWCTL_SAME(vss::attr::not_transacted, VSS_VOLSNAP_ATTR_NOT_TRANSACTED)
SHADOWCTL_SAME(vss::attr::hardware_assisted, VSS_VOLSNAP_ATTR_HARDWARE_ASSISTED)
SHADOWCTL_SAME(vss::attr::differential, VSS_VOLSNAP_ATTR_DIFFERENTIAL)
SHADOWCTL_SAME(vss::attr::plex, VSS_VOLSNAP_ATTR_PLEX)
SHADOWCTL_SAME(vss::attr::imported, VSS_VOLSNAP_ATTR_IMPORTED)
SHADOWCTL_SAME(vss::attr::exposed_locally, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY)
SHADOWCTL_SAME(vss::attr::exposed_remotely, VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY)
SHADOWCTL_SAME(vss::attr::autorecover, VSS_VOLSNAP_ATTR_AUTORECOVER)
SHADOWCTL_SAME(vss::attr::rollback_recovery, VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY)
SHADOWCTL_SAME(vss::attr::delayed_postsnapshot, VSS_VOLSNAP_ATTR_DELAYED_POSTSNAPSHOT)
SHADOWCTL_SAME(vss::attr::txf_recovery, VSS_VOLSNAP_ATTR_TXF_RECOVERY)
SHADOWCTL_SAME(vss::attr::file_share, VSS_VOLSNAP_ATTR_FILE_SHARE)
SHADOWCTL_SAME(vss::backup_type::undefined, VSS_BT_UNDEFINED)
SHADOWCTL_SAME(vss::backup_type::full, VSS_BT_FULL)
SHADOWCTL_SAME(vss::backup_type::incremental, VSS_BT_INCREMENTAL)
SHADOWCTL_SAME(vss::backup_type::differential, VSS_BT_DIFFERENTIAL)
SHADOWCTL_SAME(vss::backup_type::log, VSS_BT_LOG)
SHADOWCTL_SAME(vss::backup_type::copy, VSS_BT_COPY)
SHADOWCTL_SAME(vss::backup_type::other, VSS_BT_OTHER)
SHADOWCTL_SAME(vss::object_type::unknown, VSS_OBJECT_UNKNOWN)
SHADOWCTL_SAME(vss::object_type::none, VSS_OBJECT_NONE)
SHADOWCTL_SAME(vss::object_type::snapshot_set, VSS_OBJECT_SNAPSHOT_SET)
SHADOWCTL_SAME(vss::object_type::snapshot, VSS_OBJECT_SNAPSHOT)
SHADOWCTL_SAME(vss::object_type::provider, VSS_OBJECT_PROVIDER)
SHADOWCTL_SAME(vss::provider_type::unknown, VSS_PROV_UNKNOWN)
SHADOWCTL_SAME(vss::provider_type::system, VSS_PROV_SYSTEM)
SHADOWCTL_SAME(vss::provider_type::software, VSS_PROV_SOFTWARE)
SHADOWCTL_SAME(vss::provider_type::hardware, VSS_PROV_HARDWARE)
SHADOWCTL_SAME(vss::provider_type::fileshare, VSS_PROV_FILESHARE)
SHADOWCTL_SAME(vss::snapshot_state::created, VSS_SS_CREATED)
#undef SHADOWCTL_SAME

// Every writer state: our entry at the SDK's value carries the SDK's name.
#define SHADOWCTL_STATE(sdk) static_assert(vss::kWriterStates[sdk].name == #sdk, #sdk);
SHADOWCTL_STATE(VSS_WS_UNKNOWN)
SHADOWCTL_STATE(VSS_WS_STABLE)
SHADOWCTL_STATE(VSS_WS_WAITING_FOR_FREEZE)
SHADOWCTL_STATE(VSS_WS_WAITING_FOR_THAW)
SHADOWCTL_STATE(VSS_WS_WAITING_FOR_POST_SNAPSHOT)
SHADOWCTL_STATE(VSS_WS_WAITING_FOR_BACKUP_COMPLETE)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_IDENTIFY)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_PREPARE_BACKUP)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_PREPARE_SNAPSHOT)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_FREEZE)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_THAW)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_POST_SNAPSHOT)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_BACKUP_COMPLETE)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_PRE_RESTORE)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_POST_RESTORE)
SHADOWCTL_STATE(VSS_WS_FAILED_AT_BACKUPSHUTDOWN)
#undef SHADOWCTL_STATE
static_assert(vss::kWriterStates.size() == VSS_WS_FAILED_AT_BACKUPSHUTDOWN + 1);

}  // namespace
}  // namespace shadowctl::platform
