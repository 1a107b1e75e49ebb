#pragma once

// The catalogue of every HRESULT shadowctl can meet, sorted by value (a test keeps it so;
// the Windows build checks each VSS value against the SDK's vsserror.h). The text is ours,
// written for the admin who reads it at a console or in a CI log.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/exit_status.h"
#include "core/hresult.h"

namespace shadowctl::core {

// One catalogue entry.
struct ErrorInfo {
  HResult value;
  std::string_view name;
  std::string_view meaning;
  std::string_view remedy;
  ExitStatus exit;
  bool retryable;
};

namespace catalogue_detail {
using enum ExitStatus;
inline constexpr std::string_view kCheckEventLog =
    "Look in the Application event log (source VSS) for the matching event, then run "
    "`shadowctl check`.";

inline constexpr auto kEntries = std::to_array<ErrorInfo>({
    {0x00000000, "S_OK", "The operation succeeded.", "Nothing to do.", success, false},
    {0x00000001, "S_FALSE", "The operation succeeded but did nothing, or the answer is no.",
     "Nothing to do.", success, false},
    {0x00041300, "SCHED_S_TASK_READY", "The scheduled task is ready to run at its next time.",
     "Nothing to do.", success, false},
    {0x00041301, "SCHED_S_TASK_RUNNING", "The scheduled task is running now.",
     "Wait for it to end; `shadowctl schedule list` shows its result then.", success, false},
    {0x00041302, "SCHED_S_TASK_DISABLED", "The scheduled task is disabled: it does not run.",
     "Enable it in Task Scheduler (`Enable-ScheduledTask -TaskPath \\shadowctl\\ -TaskName "
     "NAME`), or add it again with `shadowctl schedule add --replace`.",
     success, false},
    {0x00041303, "SCHED_S_TASK_HAS_NOT_RUN", "The scheduled task has not run yet.",
     "Nothing to do: it runs at its next time.", success, false},
    {0x00041306, "SCHED_S_TASK_TERMINATED",
     "The scheduled task's last run was ended before it finished (by a user, or at its "
     "2-hour limit).",
     "Read the task's log file (`shadowctl schedule list` names it) for what it was doing.",
     success, false},
    {0x00042309, "VSS_S_ASYNC_PENDING", "The asynchronous VSS operation is still running.",
     "Wait for it to finish, or cancel it.", success, false},
    {0x0004230A, "VSS_S_ASYNC_FINISHED", "The asynchronous VSS operation finished.",
     "Nothing to do.", success, false},
    {0x0004230B, "VSS_S_ASYNC_CANCELLED", "The asynchronous VSS operation was cancelled.",
     "Nothing to do if you cancelled it; otherwise run the command again.", success, false},
    {0x00042321, "VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED",
     "Some shadow copies of a transportable set were imported, others were not.",
     "Check that every disk of the set is visible to this machine, then import again.", success,
     false},
    {0x80004001, "E_NOTIMPL",
     "The VSS interface on this system does not implement the call: VSS is not available "
     "here (Wine, Windows PE without VSS, or a stripped-down image).",
     "Run shadowctl on a full Windows or Windows Server installation with the Volume Shadow "
     "Copy service.",
     vss_unavailable, false},
    {0x80004003, "E_POINTER", "A required pointer argument was null.",
     "This is a bug in shadowctl or in the VSS provider; report it with the `-vv` log.", failure,
     false},
    {0x80004004, "E_ABORT", "The operation was aborted.",
     "Run the command again; if something else aborts it, look in the Application event log.",
     failure, true},
    {0x80004005, "E_FAIL", "The operation failed without a more precise reason.", kCheckEventLog,
     failure, false},
    {0x8000FFFF, "E_UNEXPECTED",
     "VSS failed in an unexpected way, often because the VSS service or COM is in a bad "
     "state.",
     "Restart the VSS service (`net stop vss`, then run the command again) and look in the "
     "Application event log.",
     failure, true},
    {0x80010119, "RPC_E_TOO_LATE",
     "COM security was already initialised in this process (CoInitializeSecurity may be "
     "called only once).",
     "Nothing to do in shadowctl's own process; a host that embeds it must call "
     "CoInitializeSecurity with packet privacy (RPC_C_AUTHN_LEVEL_PKT_PRIVACY) and the "
     "identify impersonation level (RPC_C_IMP_LEVEL_IDENTIFY), as the Windows SDK's vshadow "
     "sample does.",
     failure, false},
    {0x800401F0, "CO_E_NOTINITIALIZED", "COM was not initialised on the calling thread.",
     "This is a bug in shadowctl; report it with the `-vv` log.", failure, false},
    {0x8004130C, "SCHED_E_SERVICE_NOT_INSTALLED", "The Task Scheduler service is not installed.",
     "Schedules need the Task Scheduler service (Schedule); on Server Core and containers it "
     "may be missing. Use the image's own way of running a job instead.",
     vss_unavailable, false},
    {0x8004130E, "SCHED_E_INVALID_TASK", "The Task Scheduler refused the task as invalid.",
     "This is a bug in shadowctl; report it with the `--log-file` log.", failure, false},
    {0x80041315, "SCHED_E_SERVICE_NOT_RUNNING", "The Task Scheduler service is not running.",
     "Start it (`Start-Service Schedule`) and run the command again.", failure, true},
    {0x80041316, "SCHED_E_UNEXPECTEDNODE",
     "The Task Scheduler refused the task's XML: an element it does not expect.",
     "This is a bug in shadowctl; report it with the `--log-file` log.", failure, false},
    {0x80041317, "SCHED_E_NAMESPACE",
     "The Task Scheduler refused the task's XML: the wrong namespace.",
     "This is a bug in shadowctl; report it with the `--log-file` log.", failure, false},
    {0x80041318, "SCHED_E_INVALIDVALUE",
     "The Task Scheduler refused a value in the task's XML.",
     "Check the time and names given; if they are right, report it with the `--log-file` log.",
     usage, false},
    {0x80041319, "SCHED_E_MISSINGNODE",
     "The Task Scheduler refused the task's XML: a required element is missing.",
     "This is a bug in shadowctl; report it with the `--log-file` log.", failure, false},
    {0x8004131A, "SCHED_E_MALFORMEDXML", "The Task Scheduler could not parse the task's XML.",
     "This is a bug in shadowctl; report it with the `--log-file` log.", failure, false},
    {0x8004131F, "SCHED_E_ALREADY_RUNNING",
     "The scheduled task was started while its last run was still running, so this start was "
     "skipped (shadowctl's tasks run one at a time).",
     "If runs keep overlapping, schedule them further apart; read the log for what the long "
     "run was doing.",
     busy, true},
    {0x80041326, "SCHED_E_TASK_DISABLED", "The scheduled task is disabled.",
     "Enable it in Task Scheduler, or add it again with `shadowctl schedule add --replace`.",
     failure, false},
    {0x80042301, "VSS_E_BAD_STATE",
     "A VSS call was made out of the documented order, or the backup object is in a state "
     "that forbids it. Often left behind by a tool that did not abort a failed backup, or by "
     "a 32-bit process on 64-bit Windows.",
     "Use the 64-bit shadowctl on 64-bit Windows; run `shadowctl check`; if a set is stuck, "
     "restart the VSS service (`net stop vss`).",
     failure, false},
    {0x80042302, "VSS_E_UNEXPECTED",
     "The VSS service hit an unexpected internal error (for example the service is stopped "
     "mid-call, or its COM registration is damaged).",
     "Restart the VSS service (`net stop vss`, then run again), read the Application event log "
     "(source VSS), and run `sfc /scannow` if it persists.",
     failure, true},
    {0x80042303, "VSS_E_PROVIDER_ALREADY_REGISTERED", "The VSS provider is already registered.",
     "Nothing to do, or unregister the provider before registering it again.", failure, false},
    {0x80042304, "VSS_E_PROVIDER_NOT_REGISTERED",
     "The requested VSS provider is not registered on this machine.",
     "List providers with `shadowctl list providers` and choose one that is registered.", not_found,
     false},
    {0x80042306, "VSS_E_PROVIDER_VETO",
     "The provider refused to create the shadow copy, usually for a transient reason (I/O "
     "load, a flush that did not finish, its own error).",
     "Wait ten minutes and try again, up to three times, as Microsoft advises (`--retry 3` "
     "does so); if it keeps failing, read the provider's events in the System and "
     "Application logs.",
     failure, true},
    {0x80042307, "VSS_E_PROVIDER_IN_USE", "The provider is busy with another operation.",
     "Wait for the other backup to finish, then run again.", busy, true},
    {0x80042308, "VSS_E_OBJECT_NOT_FOUND",
     "The shadow copy, set, volume or writer named does not exist (or no longer exists).",
     "List what exists with `shadowctl list shadows` and use one of those ids.", not_found, false},
    {0x8004230C, "VSS_E_VOLUME_NOT_SUPPORTED",
     "No provider on this machine can make a shadow copy of this volume (FAT32, exFAT, ReFS "
     "on older systems, removable media, or not a local volume).",
     "Choose an NTFS (or supported ReFS) local volume; `shadowctl list volumes` shows which "
     "are supported.",
     failure, false},
    {0x8004230D, "VSS_E_OBJECT_ALREADY_EXISTS",
     "The object already exists, for example the volume is already in the snapshot set or "
     "the drive letter is already in use.",
     "Name each volume once, or choose a free drive letter or an empty folder to expose to.",
     failure, false},
    {0x8004230E, "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER",
     "The chosen provider cannot make a shadow copy of this volume.",
     "Let VSS choose the provider (omit --provider) or pick one that supports the volume.", failure,
     false},
    {0x8004230F, "VSS_E_UNEXPECTED_PROVIDER_ERROR",
     "The provider failed unexpectedly; it has logged the cause.",
     "Retry (Microsoft advises up to 3 tries); then read the provider's events in the System "
     "and Application logs.",
     failure, true},
    {0x80042310, "VSS_E_CORRUPT_XML_DOCUMENT", "An XML document passed to VSS is corrupt.",
     "Recreate the backup components document; do not edit it by hand.", failure, false},
    {0x80042311, "VSS_E_INVALID_XML_DOCUMENT",
     "An XML document passed to VSS is not valid against its schema.",
     "Recreate the backup components document with the same Windows version.", failure, false},
    {0x80042312, "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
     "The snapshot set already holds as many volumes as the provider allows (64).",
     "Split the volumes over several snapshot sets.", limit_reached, false},
    {0x80042313, "VSS_E_FLUSH_WRITES_TIMEOUT",
     "The system could not flush I/O writes in time to freeze the volume (heavy write load).",
     "Wait ten minutes and try again, up to three times, as Microsoft advises (`--retry 3` "
     "does so), ideally when the volume is quieter.",
     timeout, true},
    {0x80042314, "VSS_E_HOLD_WRITES_TIMEOUT",
     "The system could not hold I/O writes long enough to take the shadow copy.",
     "Wait ten minutes and try again, up to three times, as Microsoft advises (`--retry 3` "
     "does so), ideally when the volume is quieter.",
     timeout, true},
    {0x80042315, "VSS_E_UNEXPECTED_WRITER_ERROR", "A writer failed in an unexpected way.",
     "Run `shadowctl list writers` to find the failed writer, then restart its service.",
     writer_failure, false},
    {0x80042316, "VSS_E_SNAPSHOT_SET_IN_PROGRESS",
     "Another snapshot set is being created on this machine; VSS allows one at a time.",
     "Wait for the other backup to finish (`shadowctl check` warns while one is being made), "
     "then run again.",
     busy, true},
    {0x80042317, "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED",
     "The volume already has the most shadow copies allowed (64 client-accessible, 512 in "
     "all).",
     "Delete old shadow copies (`shadowctl delete --volume C: --oldest`), then run again.",
     limit_reached, false},
    {0x80042318, "VSS_E_WRITER_INFRASTRUCTURE",
     "The writer infrastructure is not working: VSS could not contact the writers.",
     "Restart the VSS service and the COM+ Event System service (EventSystem), then run "
     "`shadowctl list writers`.",
     writer_failure, false},
    {0x80042319, "VSS_E_WRITER_NOT_RESPONDING",
     "A writer did not answer, or took too long to answer.",
     "Restart the writer's service; `shadowctl list writers` names the writer.", writer_failure,
     true},
    {0x8004231A, "VSS_E_WRITER_ALREADY_SUBSCRIBED", "The writer has already subscribed.",
     "Restart the writer's service.", writer_failure, false},
    {0x8004231B, "VSS_E_UNSUPPORTED_CONTEXT",
     "The provider does not support the requested shadow copy context.",
     "Choose another --context, or another provider.", failure, false},
    {0x8004231D, "VSS_E_VOLUME_IN_USE",
     "The volume is in use by another VSS operation (a revert, or another shadow copy "
     "being made); or, deleting shadow storage, shadow copies are still stored in it.",
     "Wait for the other operation to finish, then run again. To delete shadow storage that "
     "holds copies, `shadowctl storage delete` deletes them first (it names them).",
     busy, true},
    {0x8004231E, "VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED",
     "The volume has as many shadow storage associations as allowed.",
     "Remove an association with `vssadmin delete shadowstorage`.", limit_reached, false},
    {0x8004231F, "VSS_E_INSUFFICIENT_STORAGE",
     "There is not enough shadow storage (diff area) space for the shadow copy.",
     "Free space on the storage volume or raise its maximum: `shadowctl storage resize "
     "--for C: --max 20%` (`shadowctl list storage` shows usage; a volume without storage "
     "gets some with `shadowctl storage add --for C: --on C: --max 20%`).",
     limit_reached, false},
    {0x80042320, "VSS_E_NO_SNAPSHOTS_IMPORTED",
     "No shadow copy of the transportable set was imported.",
     "Check that the set's disks are visible to this machine, then import again.", failure, false},
    {0x80042321, "VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED",
     "Some shadow copies of the transportable set were not imported.",
     "Check that every disk of the set is visible to this machine, then import again.", failure,
     false},
    {0x80042322, "VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED",
     "Too many remote machines take part in the file share shadow copy.",
     "Shadow fewer file shares in one set.", limit_reached, false},
    {0x80042323, "VSS_E_REMOTE_SERVER_UNAVAILABLE",
     "The remote file server did not answer the shadow copy request.",
     "Check that the file server is reachable and runs the File Server VSS Agent Service.", failure,
     true},
    {0x80042324, "VSS_E_REMOTE_SERVER_UNSUPPORTED",
     "The remote file server does not support file share shadow copies.",
     "Install the File Server VSS Agent Service on the file server.", failure, false},
    {0x80042325, "VSS_E_REVERT_IN_PROGRESS", "The volume is being reverted to a shadow copy.",
     "Wait for the revert to finish.", busy, true},
    {0x80042326, "VSS_E_REVERT_VOLUME_LOST", "The volume was lost during a revert.",
     "Check the disk, then restore the volume from a backup.", failure, false},
    {0x80042327, "VSS_E_REBOOT_REQUIRED",
     "A reboot is needed before VSS can do this (for example after a revert).",
     "Restart Windows, then run again.", failure, false},
    {0x80042328, "VSS_E_TRANSACTION_FREEZE_TIMEOUT",
     "A transaction (KTM) could not be frozen in time.", "Retry when the system is less busy.",
     timeout, true},
    {0x80042329, "VSS_E_TRANSACTION_THAW_TIMEOUT",
     "Transactions were frozen longer than allowed before the thaw.",
     "Retry when the system is less busy.", timeout, true},
    {0x8004232A, "VSS_E_UNSELECTED_VOLUME",
     "A volume needed by the backup is not in the snapshot set.",
     "Add the volume (every volume a selected component lives on) to the set.", failure, false},
    {0x8004232B, "VSS_E_SNAPSHOT_NOT_IN_SET",
     "The shadow copy does not belong to the snapshot set named.",
     "Use `vssadmin list shadows /set=ID` to see the set's members.", not_found, false},
    {0x8004232C, "VSS_E_NESTED_VOLUME_LIMIT",
     "The volume is nested too deeply (a VHD on a VHD on a VHD) for a shadow copy.",
     "Shadow the volume that holds the outer virtual disk instead.", limit_reached, false},
    {0x8004232D, "VSS_E_VOLUME_NOT_LOCAL", "The volume is not local to this machine.",
     "Run shadowctl on the machine that owns the volume.", failure, false},
    {0x8004232E, "VSS_E_CLUSTER_TIMEOUT",
     "A cluster resource could not be brought online or offline in time.",
     "Check the cluster's health (Failover Cluster Manager), then retry.", timeout, true},
    {0x8004232F, "VSS_E_NOT_SUPPORTED", "The operation is not supported here.",
     "Check the Windows edition and version the operation needs.", failure, false},
    {0x80042336, "VSS_E_WRITERERROR_PARTIAL_FAILURE",
     "A writer reported that some of its components failed.",
     "Run `vssadmin list writers` for the failed writer; restart the writer's service.",
     writer_failure, false},
    {0x800423F0, "VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT",
     "A writer found the shadow copy inconsistent: the set lacks a volume that a component "
     "selected for it lies on. The same set fails the same way again.",
     "Add every volume the writer's components live on to the set (shadowctl selects only "
     "components on the set's volumes; `-v` names what it left out), or leave the writer out.",
     writer_failure, false},
    {0x800423F1, "VSS_E_WRITERERROR_OUTOFRESOURCES",
     "A writer ran out of memory or another resource.",
     "Free memory or handles on the machine, then wait ten minutes and try again, up to three "
     "times (`--retry 3` does so).",
     writer_failure, true},
    {0x800423F2, "VSS_E_WRITERERROR_TIMEOUT",
     "A writer timed out between its freeze and thaw (more than 60 seconds by default).",
     "Wait ten minutes and try again, up to three times (`--retry 3` does so), when the "
     "writer's application is less busy; check its event log.",
     writer_failure, true},
    {0x800423F3, "VSS_E_WRITERERROR_RETRYABLE",
     "A writer failed with an error it says may not happen again.",
     "Wait ten minutes and try again, up to three times, as Microsoft advises (`--retry 3` "
     "does so).",
     writer_failure, true},
    {0x800423F4, "VSS_E_WRITERERROR_NONRETRYABLE",
     "A writer failed with an error that will happen again.",
     "Fix the writer's application (read its event log), or exclude the writer.", writer_failure,
     false},
    {0x800423F5, "VSS_E_WRITERERROR_RECOVERY_FAILED",
     "A writer could not recover the shadow copy volume (auto-recovery failed).",
     "Read the writer's event log; retry, or exclude the writer.", writer_failure, false},
    {0x800423F6, "VSS_E_BREAK_REVERT_ID_FAILED",
     "The disk identifiers of a broken-off shadow copy could not be reverted.",
     "Check the disks in Disk Management.", failure, false},
    {0x800423F7, "VSS_E_LEGACY_PROVIDER",
     "The operation needs a newer provider than the one installed.",
     "Update or replace the provider.", failure, false},
    {0x800423F8, "VSS_E_MISSING_DISK", "A disk recorded in the backup is missing (ASR).",
     "Attach the disk, or restore to a machine that has it.", not_found, false},
    {0x800423F9, "VSS_E_MISSING_HIDDEN_VOLUME",
     "A hidden volume recorded in the backup is missing (ASR).",
     "Recreate the hidden volume, or restore the whole disk.", not_found, false},
    {0x800423FA, "VSS_E_MISSING_VOLUME", "A volume recorded in the backup is missing (ASR).",
     "Recreate the volume, or restore the whole disk.", not_found, false},
    {0x800423FB, "VSS_E_AUTORECOVERY_FAILED", "Auto-recovery of a writable shadow copy failed.",
     "Read the Application event log; retry without auto-recovery.", failure, false},
    {0x800423FC, "VSS_E_DYNAMIC_DISK_ERROR", "A dynamic disk could not be handled (ASR).",
     "Check the dynamic disks in Disk Management.", failure, false},
    {0x800423FD, "VSS_E_NONTRANSPORTABLE_BCD",
     "The boot configuration data is not on a transportable volume (ASR).",
     "Check the system's boot configuration (bcdedit).", failure, false},
    {0x800423FE, "VSS_E_CANNOT_REVERT_DISKID", "A disk identifier could not be reverted.",
     "Check the disks in Disk Management.", failure, false},
    {0x800423FF, "VSS_E_RESYNC_IN_PROGRESS", "A LUN resynchronisation is in progress.",
     "Wait for it to finish.", busy, true},
    {0x80042400, "VSS_E_CLUSTER_ERROR", "The cluster returned an error.",
     "Check the cluster's health and its event log.", failure, false},
    {0x80042401, "VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED",
     "ASR could not assign the backed-up disks to the disks of this machine.",
     "Attach disks at least as large as the originals.", failure, false},
    {0x80042402, "VSS_E_ASRERROR_DISK_RECREATION_FAILED", "ASR could not recreate a disk's layout.",
     "Check the target disk and retry the restore.", failure, false},
    {0x80042403, "VSS_E_ASRERROR_NO_ARCPATH", "ASR found no ARC path for a disk.",
     "Check the disk controller's driver.", failure, false},
    {0x80042404, "VSS_E_ASRERROR_MISSING_DYNDISK", "A dynamic disk of the backup is missing.",
     "Attach the disk.", not_found, false},
    {0x80042405, "VSS_E_ASRERROR_SHARED_CRIDISK",
     "A critical disk is a shared (cluster) disk, which ASR cannot restore.",
     "Move the critical volumes off shared disks.", failure, false},
    {0x80042406, "VSS_E_ASRERROR_DATADISK_RDISK0",
     "The data disk is the machine's first disk, where the system disk must be.",
     "Change the disk order in firmware, or exclude the disk.", failure, false},
    {0x80042407, "VSS_E_ASRERROR_RDISK0_TOOSMALL",
     "The machine's first disk is too small for the system disk.", "Use a larger first disk.",
     failure, false},
    {0x80042408, "VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL",
     "The disks here are too small for the critical disks of the backup.", "Attach larger disks.",
     failure, false},
    {0x80042409, "VSS_E_WRITER_STATUS_NOT_AVAILABLE",
     "The writer's status is not available (the writer may have stopped).",
     "Restart the writer's service, then run `shadowctl list writers`.", writer_failure, false},
    {0x8004240A, "VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED",
     "A critical volume is on a dynamic VHD, which ASR does not support.",
     "Move the volume to a fixed VHD or a physical disk.", failure, false},
    {0x80042411, "VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK",
     "A critical volume is on a disk ASR cannot restore.",
     "Move the critical volume to a supported disk.", failure, false},
    {0x80042412, "VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND",
     "No disk here can take the system disk of the backup.",
     "Attach a disk large enough for the system disk.", not_found, false},
    {0x80042413, "VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE",
     "No physical disk is available for the restore.", "Attach a disk.", not_found, false},
    {0x80042414, "VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION",
     "After excluding disks, a fixed disk is still available to the restore.",
     "Review the disks excluded from the restore.", failure, false},
    {0x80042415, "VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED",
     "A critical disk was excluded from the restore.", "Include every critical disk.", failure,
     false},
    {0x80042416, "VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN",
     "The system partition is hidden, so ASR cannot use it.",
     "Give the system partition a volume GUID (unhide it).", failure, false},
    {0x80042417, "VSS_E_FSS_TIMEOUT", "A file share shadow copy timed out on the file server.",
     "Retry; check the File Server VSS Agent Service's log.", timeout, true},
    {0x80070002, "ERROR_FILE_NOT_FOUND", "A file named in the operation does not exist.",
     "Check the path you gave.", not_found, false},
    {0x80070003, "ERROR_PATH_NOT_FOUND", "A path named in the operation does not exist.",
     "Check the path or mount point you gave.", not_found, false},
    {0x80070005, "E_ACCESSDENIED",
     "Access denied: the process lacks the rights the operation needs.",
     "Run from an elevated console (Run as administrator) as a member of Administrators or "
     "Backup Operators.",
     access_denied, false},
    {0x8007000E, "E_OUTOFMEMORY", "Not enough memory to complete the operation.",
     "Close other programs or retry later.", failure, true},
    {0x80070015, "ERROR_NOT_READY", "The device is not ready (removable or offline volume).",
     "Bring the volume online, then run again.", failure, true},
    {0x8007001D, "ERROR_WRITE_FAULT", "The system cannot write to the device that holds the file.",
     "Check the disk (`chkdsk`) or name a file on another disk, then run again.", failure, true},
    {0x80070020, "ERROR_SHARING_VIOLATION",
     "The file is open in another program that does not share it.",
     "Read it from a shadow copy instead, which holds it as it was: `shadowctl restore PATH "
     "--to FOLDER`, or `shadowctl exec`. Otherwise close the program, then run again.",
     busy, true},
    {0x80070027, "ERROR_HANDLE_DISK_FULL", "The disk is full.",
     "Free space on the disk that holds the file, or name a file on another disk, then run "
     "again.",
     failure, true},
    {0x80070032, "ERROR_NOT_SUPPORTED",
     "The request is not supported here (an API this system does not serve: Wine's event log "
     "answers no query).",
     "Run shadowctl on Windows, where the call is served.", failure, false},
    {0x80070050, "ERROR_FILE_EXISTS", "A file is already at the path being written.",
     "restore: pass --overwrite or --skip-existing, or restore --to another folder. schedule "
     "add: pass --replace, or choose another name.",
     usage,
     false},
    {0x80070055, "ERROR_ALREADY_ASSIGNED", "The drive letter is already in use.",
     "Pick a free drive letter (`Get-PSDrive` or `mountvol` lists those in use).", usage, false},
    {0x80070057, "E_INVALIDARG",
     "VSS rejected an argument: a volume name it does not accept, an unknown context, or "
     "a 32-bit process on 64-bit Windows.",
     "Check the volume names (`vssadmin list volumes`); use the 64-bit shadowctl on 64-bit "
     "Windows.",
     failure, false},
    {0x80070070, "ERROR_DISK_FULL", "There is not enough space on the disk for the file.",
     "Free space on the disk that holds the file, or name a file on another disk, then run "
     "again.",
     failure, true},
    {0x8007007B, "ERROR_INVALID_NAME", "A volume or file name is not valid.",
     "Give a volume as C, C:, C:\\, a mount folder, or \\\\?\\Volume{GUID}\\.", usage, false},
    {0x8007007E, "ERROR_MOD_NOT_FOUND", "vssapi.dll was not found in System32.",
     "VSS is not installed on this system; use a full Windows installation.", vss_unavailable,
     false},
    {0x8007007F, "ERROR_PROC_NOT_FOUND",
     "vssapi.dll does not export the VSS entry point shadowctl needs.",
     "The vssapi.dll in System32 is not the Windows one, or is too old; run `sfc /scannow`.",
     vss_unavailable, false},
    {0x80070091, "ERROR_DIR_NOT_EMPTY", "The folder is not empty.",
     "Give an empty folder, or create a new one (`mkdir`).", usage, false},
    {0x800700B7, "ERROR_ALREADY_EXISTS", "Something is already at the path being made.",
     "restore: pass --overwrite or --skip-existing, or restore --to another folder. schedule "
     "add: pass --replace, or choose another name.",
     usage,
     false},
    {0x800700C1, "ERROR_BAD_EXE_FORMAT",
     "The file is not a program Windows can run: not a Windows executable, or one for another "
     "kind of processor.",
     "Give the program's .exe for this machine; run a script through its interpreter "
     "(`-- powershell -File script.ps1`, `-- cmd /c script.cmd`).",
     command_not_run, false},
    {0x800700D8, "ERROR_EXE_MACHINE_TYPE_MISMATCH",
     "The program is for another kind of processor than this machine's.",
     "Install the program's build for this machine (x64 or ARM64).", command_not_run, false},
    {0x8007010B, "ERROR_DIRECTORY", "The path names a file, not a folder.", "Give a folder.", usage,
     false},
    {0x800702E4, "ERROR_ELEVATION_REQUIRED",
     "The process is not elevated; VSS needs a full administrator token.",
     "Open the console with Run as administrator (from PowerShell: `Start-Process pwsh -Verb "
     "RunAs`), or run it from a task set to run with highest privileges, then run again. "
     "shadowctl never elevates itself: its manifest asks for no UAC prompt (asInvoker).",
     access_denied, false},
    {0x80070422, "ERROR_SERVICE_DISABLED", "The Volume Shadow Copy service (VSS) is disabled.",
     "Set it back to Manual start: `sc config vss start= demand` (and `sc config swprv "
     "start= demand`).",
     vss_unavailable, false},
    {0x80070424, "ERROR_SERVICE_DOES_NOT_EXIST",
     "The Volume Shadow Copy service (VSS) is not installed on this system.",
     "Use a Windows installation that has the VSS service.", vss_unavailable, false},
    {0x80070490, "ERROR_NOT_FOUND", "The element was not found.", "Check the name or id you gave.",
     not_found, false},
    {0x800704C7, "ERROR_CANCELLED", "The operation was cancelled (Ctrl+C or a timeout).",
     "Run the command again.", interrupted, false},
    {0x80070522, "ERROR_PRIVILEGE_NOT_HELD",
     "The token does not hold SeBackupPrivilege, which VSS requesters need.",
     "Run elevated as a member of Administrators or Backup Operators; check `whoami /priv` "
     "lists SeBackupPrivilege.",
     access_denied, false},
    {0x800705B4, "ERROR_TIMEOUT", "A phase did not finish before its deadline.",
     "Raise the phase's timeout, or retry when the system is less busy.", timeout, true},
    {0x800706BA, "RPC_S_SERVER_UNAVAILABLE",
     "The VSS service could not be reached over RPC (it stopped or crashed).",
     "Start it (`net start vss`), then run again.", failure, true},
    {0x800706BE, "RPC_S_CALL_FAILED", "An RPC call to the VSS service failed.",
     "Restart the VSS service, then run again.", failure, true},
    {0x800706BF, "RPC_S_CALL_FAILED_DNE",
     "An RPC call to the VSS service failed and did not execute.",
     "Restart the VSS service, then run again.", failure, true},
    {0x80073A99, "ERROR_EVT_INVALID_QUERY", "The event log refused the query as not valid.",
     "shadowctl's event queries are fixed: check that the Windows Event Log service (EventLog) "
     "runs and that `wevtutil gl Application` answers.",
     failure, false},
    {0x80073A9F, "ERROR_EVT_CHANNEL_NOT_FOUND", "The event log named does not exist here.",
     "List the logs with `wevtutil el`; the Application and System logs exist on every Windows.",
     failure, false},
    {0xA5C70001, "SHADOWCTL_E_WOW64_PROCESS",
     "This is a 32-bit process on 64-bit Windows; VSS works only from a 64-bit process there "
     "(it fails with VSS_E_BAD_STATE or E_INVALIDARG).",
     "Use the 64-bit (x86_64) shadowctl.exe.", vss_unavailable, false},
    {0xA5C70002, "SHADOWCTL_E_NOT_WINDOWS",
     "This build of shadowctl runs on a system without Windows' Volume Shadow Copy service.",
     "Run shadowctl.exe on Windows.", vss_unavailable, false},
    {0xA5C70003, "SHADOWCTL_E_USAGE", "The command line is not valid.",
     "Run `shadowctl --help` or `shadowctl COMMAND --help`.", usage, false},
    {0xA5C70004, "SHADOWCTL_E_INTERNAL", "shadowctl hit an internal error.",
     "Report it with the `-vv` log.", failure, false},
    {0xA5C70005, "SHADOWCTL_E_REPARSE_POINT",
     "The folder is itself a reparse point (a junction, symbolic link or mount point), so "
     "whatever is mounted there could be redirected elsewhere.",
     "Give an ordinary empty folder.", usage, false},
    {0xA5C70006, "SHADOWCTL_E_NOT_NTFS",
     "A shadow copy can be mounted only at a folder on an NTFS volume.",
     "Give a folder on an NTFS volume, or a free drive letter.", usage, false},
    {0xA5C70007, "SHADOWCTL_E_NOT_PERSISTENT",
     "Only a shadow copy made in the app-rollback or nas-rollback context can be exposed.",
     "Create it with `shadowctl create` (persistent by default), or use `shadowctl exec "
     "--mount` to mount a temporary one for one command.",
     usage, false},
    {0xA5C70008, "SHADOWCTL_E_COMMAND_NOT_FOUND",
     "The command was not found: not at the path given, nor in any absolute PATH folder with "
     "a PATHEXT extension (the current folder is never searched).",
     "Give the program's full path, or add its folder to PATH.", command_not_run, false},
    {0xA5C70009, "SHADOWCTL_E_COMMAND_NOT_STARTED", "Windows could not start the command.",
     "Check that it is a program for this Windows (not a document, not a 32-bit DOS "
     "program) and that its folder is readable.",
     command_not_run, false},
    {0xA5C7000A, "SHADOWCTL_E_BATCH_ARGUMENT",
     "An argument cannot be passed to a .cmd or .bat file safely: it holds a line break or "
     "NUL, which would end the command cmd.exe runs.",
     "Pass the value another way (a file, an environment variable), or run a program "
     "instead of a batch file.",
     usage, false},
    {0xA5C7000B, "SHADOWCTL_E_WRITER_DATA_OUTSIDE_SET",
     "A writer named by --include-writer or --require-writer cannot take part in full: some "
     "of its components' files lie on volumes that are not in the set. Nothing was started.",
     "Add the volumes the error names to the set, or leave the writer out "
     "(`shadowctl list writers --detailed` shows where each component's files lie).",
     usage, false},
    {0xA5C7000C, "SHADOWCTL_E_NOT_CONFIRMED",
     "The question at the prompt was not answered yes, so nothing was changed.",
     "Answer y to go ahead, or pass --yes where no one can answer; --dry-run shows what "
     "would be done.",
     usage, false},
    // NTSTATUS values, as drivers, volsnap's events and a crashed program's exit code give
    // them (ntstatus.h; "NTSTATUS Values" in the Windows protocols reference).
    {0xC0000001, "STATUS_UNSUCCESSFUL", "The operation failed (a driver's general failure).",
     "Read the System event log at the same time for the driver that reported it.", failure,
     false},
    {0xC0000005, "STATUS_ACCESS_VIOLATION",
     "A program crashed: it read or wrote memory it does not own. As an exit code (exec), "
     "the command crashed.",
     "Run the command alone to see whether it crashes without the shadow copy too; its "
     "vendor needs the crash's Application event (event 1000).",
     failure, false},
    {0xC000000D, "STATUS_INVALID_PARAMETER", "A call was given a parameter that is not valid.",
     "Check the names and values given; read the System event log.", failure, false},
    {0xC0000010, "STATUS_INVALID_DEVICE_REQUEST",
     "The device or its driver does not do what was asked (often a volume or file system "
     "without shadow copy support).",
     "Check the volume with `shadowctl list volumes`.", failure, false},
    {0xC0000017, "STATUS_NO_MEMORY", "Not enough memory or page file to finish the operation.",
     "Free memory or enlarge the page file, then run again.", failure, true},
    {0xC0000022, "STATUS_ACCESS_DENIED",
     "Access was denied (the NTSTATUS form of E_ACCESSDENIED).",
     "Run from an elevated console (Run as administrator), as a member of Administrators or "
     "Backup Operators.",
     access_denied, false},
    {0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND", "The file or object named does not exist.",
     "Check the name; `shadowctl ls` lists what a shadow copy holds.", not_found, false},
    {0xC000003A, "STATUS_OBJECT_PATH_NOT_FOUND", "A folder on the path does not exist.",
     "Check the path; `shadowctl ls` lists what a shadow copy holds.", not_found, false},
    {0xC0000043, "STATUS_SHARING_VIOLATION",
     "Another program has the file open in a way that does not share it.",
     "Read it from a shadow copy (`shadowctl restore`, `exec`), or close the other program.",
     failure, true},
    {0xC0000061, "STATUS_PRIVILEGE_NOT_HELD",
     "The process does not hold a privilege the operation needs (SeBackupPrivilege, "
     "SeRestorePrivilege).",
     "Run from an elevated console as a member of Administrators or Backup Operators.",
     access_denied, false},
    {0xC000007B, "STATUS_INVALID_IMAGE_FORMAT",
     "A program or DLL is not valid for this machine (damaged, or for another processor).",
     "Reinstall the program, in its build for this machine.", command_not_run, false},
    {0xC000007F, "STATUS_DISK_FULL", "The disk is full.",
     "Free space on the volume, or write somewhere else.", failure, false},
    {0xC000009A, "STATUS_INSUFFICIENT_RESOURCES",
     "The system lacked resources (memory, pool, handles) for the operation; volsnap reports "
     "this when it cannot keep up with a shadow copy.",
     "Run again when the system is less busy; read the System event log (source volsnap).",
     failure, true},
    {0xC00000B5, "STATUS_IO_TIMEOUT", "A device did not finish an I/O in time.",
     "Check the disk and its driver in the System event log, then run again.", timeout, true},
    {0xC00000BB, "STATUS_NOT_SUPPORTED", "The request is not supported by the device or system.",
     "Check the volume with `shadowctl list volumes`.", failure, false},
    {0xC0000135, "STATUS_DLL_NOT_FOUND",
     "A program could not start: a DLL it needs was not found. As an exit code (exec), the "
     "command never ran.",
     "Reinstall the program, or run it from its own folder.", command_not_run, false},
    {0xC0000139, "STATUS_ENTRYPOINT_NOT_FOUND",
     "A program could not start: a DLL it loaded lacks a function it needs (a DLL of another "
     "version).",
     "Reinstall the program.", command_not_run, false},
    {0xC000013A, "STATUS_CONTROL_C_EXIT",
     "The program was ended by Ctrl+C or by its console closing. As an exit code (exec), the "
     "command was interrupted.",
     "Run it again and let it finish.", interrupted, false},
    {0xC0000409, "STATUS_STACK_BUFFER_OVERRUN",
     "A program ended itself on a fast-fail check (a detected memory corruption, or an "
     "abort). As an exit code (exec), the command crashed.",
     "Run the command alone; its vendor needs the crash's Application event (event 1000).",
     failure, false},
});
}  // namespace catalogue_detail

// Every entry, sorted by value.
inline constexpr const auto& kErrorCatalogue = catalogue_detail::kEntries;

// The entry for a value, or nullptr.
constexpr const ErrorInfo* find_error(HResult value) {
  for (const auto& e : kErrorCatalogue)
    if (e.value == value) return &e;
  return nullptr;
}

// The value for a symbolic name (exact case). Only in constant expressions: a name the
// catalogue lacks stops the build instead of yielding a value.
consteval HResult code(std::string_view name) {
  for (const auto& e : kErrorCatalogue)
    if (e.name == name) return e.value;
  throw "not a name in the error catalogue";
}

// A constant for each catalogue entry the code names, named after it in lower case: the only
// spelling of an HRESULT in code (hr::vss_e_provider_veto). The catalogue above is the list
// of codes; an entry gets a constant here when code first needs it (code() checks the name
// at compile time), so no second list of every code is kept in step by hand.
namespace hr {
inline constexpr HResult s_ok = code("S_OK");
inline constexpr HResult s_false = code("S_FALSE");
inline constexpr HResult vss_s_async_pending = code("VSS_S_ASYNC_PENDING");
inline constexpr HResult vss_s_async_finished = code("VSS_S_ASYNC_FINISHED");
inline constexpr HResult vss_s_async_cancelled = code("VSS_S_ASYNC_CANCELLED");
inline constexpr HResult e_notimpl = code("E_NOTIMPL");
inline constexpr HResult e_pointer = code("E_POINTER");
inline constexpr HResult e_fail = code("E_FAIL");
inline constexpr HResult e_unexpected = code("E_UNEXPECTED");
inline constexpr HResult rpc_e_too_late = code("RPC_E_TOO_LATE");
inline constexpr HResult vss_e_bad_state = code("VSS_E_BAD_STATE");
inline constexpr HResult vss_e_unexpected = code("VSS_E_UNEXPECTED");
inline constexpr HResult vss_e_provider_not_registered = code("VSS_E_PROVIDER_NOT_REGISTERED");
inline constexpr HResult vss_e_provider_veto = code("VSS_E_PROVIDER_VETO");
inline constexpr HResult vss_e_object_not_found = code("VSS_E_OBJECT_NOT_FOUND");
inline constexpr HResult vss_e_volume_not_supported = code("VSS_E_VOLUME_NOT_SUPPORTED");
inline constexpr HResult vss_e_object_already_exists = code("VSS_E_OBJECT_ALREADY_EXISTS");
inline constexpr HResult vss_e_volume_not_supported_by_provider = code("VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER");
inline constexpr HResult vss_e_unexpected_provider_error = code("VSS_E_UNEXPECTED_PROVIDER_ERROR");
inline constexpr HResult vss_e_invalid_xml_document = code("VSS_E_INVALID_XML_DOCUMENT");
inline constexpr HResult vss_e_maximum_number_of_volumes_reached = code("VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED");
inline constexpr HResult vss_e_flush_writes_timeout = code("VSS_E_FLUSH_WRITES_TIMEOUT");
inline constexpr HResult vss_e_hold_writes_timeout = code("VSS_E_HOLD_WRITES_TIMEOUT");
inline constexpr HResult vss_e_unexpected_writer_error = code("VSS_E_UNEXPECTED_WRITER_ERROR");
inline constexpr HResult vss_e_snapshot_set_in_progress = code("VSS_E_SNAPSHOT_SET_IN_PROGRESS");
inline constexpr HResult vss_e_maximum_number_of_snapshots_reached = code("VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED");
inline constexpr HResult vss_e_writer_not_responding = code("VSS_E_WRITER_NOT_RESPONDING");
inline constexpr HResult vss_e_insufficient_storage = code("VSS_E_INSUFFICIENT_STORAGE");
inline constexpr HResult vss_e_volume_in_use = code("VSS_E_VOLUME_IN_USE");
inline constexpr HResult vss_e_writererror_inconsistentsnapshot = code("VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT");
inline constexpr HResult vss_e_writererror_outofresources = code("VSS_E_WRITERERROR_OUTOFRESOURCES");
inline constexpr HResult vss_e_writererror_timeout = code("VSS_E_WRITERERROR_TIMEOUT");
inline constexpr HResult vss_e_writererror_retryable = code("VSS_E_WRITERERROR_RETRYABLE");
inline constexpr HResult vss_e_writererror_nonretryable = code("VSS_E_WRITERERROR_NONRETRYABLE");
inline constexpr HResult error_file_not_found = code("ERROR_FILE_NOT_FOUND");
inline constexpr HResult error_path_not_found = code("ERROR_PATH_NOT_FOUND");
inline constexpr HResult e_accessdenied = code("E_ACCESSDENIED");
inline constexpr HResult e_outofmemory = code("E_OUTOFMEMORY");
inline constexpr HResult error_already_assigned = code("ERROR_ALREADY_ASSIGNED");
inline constexpr HResult e_invalidarg = code("E_INVALIDARG");
inline constexpr HResult error_dir_not_empty = code("ERROR_DIR_NOT_EMPTY");
inline constexpr HResult error_directory = code("ERROR_DIRECTORY");
inline constexpr HResult error_mod_not_found = code("ERROR_MOD_NOT_FOUND");
inline constexpr HResult error_proc_not_found = code("ERROR_PROC_NOT_FOUND");
inline constexpr HResult error_elevation_required = code("ERROR_ELEVATION_REQUIRED");
inline constexpr HResult error_service_disabled = code("ERROR_SERVICE_DISABLED");
inline constexpr HResult error_service_does_not_exist = code("ERROR_SERVICE_DOES_NOT_EXIST");
inline constexpr HResult error_cancelled = code("ERROR_CANCELLED");
inline constexpr HResult error_sharing_violation = code("ERROR_SHARING_VIOLATION");
inline constexpr HResult error_file_exists = code("ERROR_FILE_EXISTS");
inline constexpr HResult error_already_exists = code("ERROR_ALREADY_EXISTS");
inline constexpr HResult error_disk_full = code("ERROR_DISK_FULL");
inline constexpr HResult error_privilege_not_held = code("ERROR_PRIVILEGE_NOT_HELD");
inline constexpr HResult error_timeout = code("ERROR_TIMEOUT");
inline constexpr HResult rpc_s_call_failed_dne = code("RPC_S_CALL_FAILED_DNE");
inline constexpr HResult shadowctl_e_wow64_process = code("SHADOWCTL_E_WOW64_PROCESS");
inline constexpr HResult shadowctl_e_not_windows = code("SHADOWCTL_E_NOT_WINDOWS");
inline constexpr HResult shadowctl_e_usage = code("SHADOWCTL_E_USAGE");
inline constexpr HResult shadowctl_e_internal = code("SHADOWCTL_E_INTERNAL");
inline constexpr HResult shadowctl_e_reparse_point = code("SHADOWCTL_E_REPARSE_POINT");
inline constexpr HResult shadowctl_e_not_ntfs = code("SHADOWCTL_E_NOT_NTFS");
inline constexpr HResult shadowctl_e_not_persistent = code("SHADOWCTL_E_NOT_PERSISTENT");
inline constexpr HResult shadowctl_e_command_not_found = code("SHADOWCTL_E_COMMAND_NOT_FOUND");
inline constexpr HResult shadowctl_e_command_not_started = code("SHADOWCTL_E_COMMAND_NOT_STARTED");
inline constexpr HResult shadowctl_e_batch_argument = code("SHADOWCTL_E_BATCH_ARGUMENT");
inline constexpr HResult shadowctl_e_writer_data_outside_set = code("SHADOWCTL_E_WRITER_DATA_OUTSIDE_SET");
inline constexpr HResult shadowctl_e_not_confirmed = code("SHADOWCTL_E_NOT_CONFIRMED");
}  // namespace hr

}  // namespace shadowctl::core
