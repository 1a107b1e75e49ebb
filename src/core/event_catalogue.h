#pragma once

// The Windows events an admin meets when VSS misbehaves, by source and ID, sorted by ID and
// then source (a test keeps it so): what the event means, its usual causes, and what to do.
// Written in our words from Microsoft's event documentation and the VSS pages; where the
// event's own text carries an HRESULT, `shadowctl explain` decodes it.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace shadowctl::core {

// One event as Event Viewer shows it.
struct EventInfo {
  std::uint32_t id;
  std::string_view source;  // "VSS" (Application log) or "volsnap" (System log)
  std::string_view log;     // the Windows log it is written to
  std::string_view level;   // "Error", "Warning" or "Information"
  std::string_view meaning;
  std::string_view causes;
  std::string_view remedy;
};

namespace event_detail {
inline constexpr std::string_view kExplainHr =
    "Run `shadowctl explain` on the hr = 0x... value in the event's text. ";

inline constexpr auto kEvents = std::to_array<EventInfo>({
    {13, "VSS", "Application", "Error",
     "VSS could not start a COM server it needs; the event names the class (CLSID) and the "
     "HRESULT it got.",
     "The COM+ Event System or COM+ System Application service is stopped or disabled; a "
     "COM registration damaged by a failed setup or an uninstalled backup product.",
     "Run `shadowctl explain` on the HRESULT in the event. Check that the COM+ Event System "
     "(EventSystem) and COM+ System Application (COMSysApp) services can start, then run "
     "`shadowctl check`."},
    {14, "volsnap", "System", "Error",
     "The shadow copies of a volume were aborted because of an I/O failure on the volume "
     "that holds their shadow copy storage.",
     "A failing or disconnected disk under the storage volume; a storage driver or filter "
     "driver error.",
     "Look in the System log for disk errors at the same time, run `chkdsk` on the storage "
     "volume, and if it keeps failing move the shadow copy storage to another volume."},
    {20, "VSS", "Application", "Error",
     "A component VSS needs could not be created: CoCreateInstance failed for the class the "
     "event names (often IVssCoordinator's class).",
     "A registration damaged by a failed Windows setup, update or provider installation; "
     "the VSS service's files replaced or missing.",
     "Run `shadowctl explain` on the error in the event; repair Windows' files "
     "(`DISM /Online /Cleanup-Image /RestoreHealth`, then `sfc /scannow`), and reinstall "
     "the shadow copy provider the event names if it is not Microsoft's."},
    {20, "volsnap", "System", "Error",
     "The shadow copies of a volume were aborted because the free space on the storage "
     "volume could not be computed.",
     "File system damage on the storage volume; too little memory for the computation.",
     "Run `chkdsk` on the volume, check free memory, then create the shadow copy again."},
    {22, "VSS", "Application", "Error",
     "A critical component VSS needs is not registered (often the VSSEvent class), so VSS "
     "cannot reach the writers.",
     "The COM+ Event System is stopped or its registration is damaged; a failed Windows "
     "setup or provider installation.",
     "Make sure the COM+ Event System (EventSystem) service runs; repair Windows' files "
     "(`DISM /Online /Cleanup-Image /RestoreHealth`, then `sfc /scannow`); then run "
     "`shadowctl list writers`."},
    {25, "volsnap", "System", "Error",
     "The shadow copies of a volume were deleted because their shadow copy storage could "
     "not grow fast enough.",
     "Heavy writes to the volume while shadow copies exist; shadow copy storage on a volume "
     "that is itself being shadow-copied; a slow disk.",
     "Make shadow copies when the volume is quieter, give the storage more room (`shadowctl "
     "list storage` shows it; `shadowctl storage resize` changes it), or place it on "
     "another volume that is not shadow-copied."},
    {33, "volsnap", "System", "Information",
     "The oldest shadow copy of a volume was deleted to keep the shadow copy storage within "
     "its maximum size.",
     "Normal when the storage is full: VSS drops the oldest copy to make room for changes.",
     "Nothing to do, unless older copies matter: then raise the maximum (`shadowctl storage "
     "resize --for C: --max 20%`) and check with `shadowctl list storage`."},
    {36, "volsnap", "System", "Error",
     "The shadow copies of a volume were aborted because their storage could not grow past "
     "the maximum size an administrator set.",
     "The maximum size of the shadow copy storage is too small for the volume's changes "
     "while copies exist.",
     "Raise the maximum (`shadowctl storage resize --for C: --max 20%`) or set "
     "it to unbounded; `shadowctl list storage` shows the current figures."},
    {8193, "VSS", "Application", "Error",
     "A routine VSS called failed; the event names the routine and its hr.",
     "Access denied on a registry key or file VSS reads (hr 0x80070005); no volume can hold "
     "shadow copy storage (\"Cannot find anymore diff area candidates\", hr 0x8000FFFF); a "
     "service VSS depends on is stopped.",
     "Run `shadowctl explain` on the hr in the event. For access denied, restore the "
     "default permissions on the key or file the event names; for diff area candidates, "
     "give the volume shadow copy storage (`shadowctl list storage` shows it; `shadowctl "
     "storage add --for C: --on C: --max 20%` adds it)."},
    {8194, "VSS", "Application", "Error",
     "VSS could not query the requester's IVssWriterCallback interface, usually with access "
     "denied: a writer's process was not allowed to call back into the backup program.",
     "The backup program runs as a user that writers may not call (not an administrator, "
     "Backup Operator or LocalSystem); DCOM's default access permissions were narrowed; "
     "the backup program's COM security does not allow the writers' accounts.",
     "Run the backup elevated as an administrator or as LocalSystem (a scheduled task); "
     "check that DCOM's default access permissions (dcomcnfg) still grant SYSTEM, "
     "Administrators and NETWORK SERVICE. shadowctl's own COM security is described in "
     "docs/security.md."},
    {8224, "VSS", "Application", "Information", "The VSS service stopped because it had been idle.",
     "Normal: VSS starts when a program asks for it and stops after a while without work.",
     "Nothing to do."},
    {8229, "VSS", "Application", "Warning",
     "A writer rejected an event (the error it returned is in the event's text); what it "
     "changed while handling the event is not passed to the requester.",
     "The writer's application failed during the event: its own log has the reason; it ran "
     "out of resources or time.",
     "Run `shadowctl list writers` for the writer's state and last error, read the "
     "application's own events at the same time, and restart the service that hosts the "
     "writer if it stays failed."},
    {8230, "VSS", "Application", "Error",
     "VSS could not resolve an account listed under its VssAccessControl registry key.",
     "An account that was deleted, or a domain controller that could not be reached; an "
     "entry left behind by uninstalled backup software.",
     "Check HKLM\\SYSTEM\\CurrentControlSet\\Services\\VSS\\VssAccessControl: remove entries "
     "for accounts that no longer exist, and check the connection to a domain controller."},
    {12289, "VSS", "Application", "Error",
     "A DeviceIoControl call on a volume failed; the event names the volume, the control "
     "code and the hr.",
     "A volume that cannot be shadow-copied (removable media, some USB or virtual disks, a "
     "disconnected iSCSI target); disk errors; a filter driver refusing the call.",
     "Find the volume with `shadowctl list volumes`, run `chkdsk` on it, look for disk "
     "errors in the System log, and leave it out of the shadow copy set if it cannot be "
     "shadow-copied."},
    {12292, "VSS", "Application", "Error",
     "VSS could not create a shadow copy provider's COM class; the event names its CLSID and "
     "the HRESULT.",
     "A third-party provider uninstalled badly or its service disabled; the Microsoft "
     "Software Shadow Copy provider (swprv) service disabled.",
     "Run `shadowctl list providers`; check that the swprv service is not disabled (`sc qc "
     "swprv`); repair or remove the third-party provider the CLSID belongs to."},
    {12293, "VSS", "Application", "Error",
     "A shadow copy provider returned an error from a routine; the event names the provider, "
     "the routine and the hr.",
     "Too little shadow copy storage; a hardware provider that cannot snapshot the LUN; a "
     "provider-specific failure recorded in its own log.",
     "Run `shadowctl explain` on the hr in the event and `shadowctl list storage`; if a "
     "third-party provider is named, read its own events."},
    {12298, "VSS", "Application", "Error",
     "VSS could not hold writes on a volume during the short flush-and-hold window of shadow "
     "copy creation; the event names the volume and the step that failed (Open, Flush, "
     "Release, OnRun).",
     "Heavy writes to the volume at the moment of the shadow copy; slow storage; a filter "
     "driver delaying I/O. The window lasts about ten seconds.",
     "Make the shadow copy when the volume is quieter, put fewer volumes in one set, and "
     "retry (`shadowctl create --retry 3`)."},
    {12302, "VSS", "Application", "Error",
     "VSS found an internal inconsistency while contacting the writers.",
     "A writer that failed or hangs; the COM+ Event System in trouble; a damaged writer "
     "registration.",
     "Run `shadowctl list writers`, restart the service that hosts a failed writer, then "
     "restart VSS (`net stop vss`) and the COM+ Event System if it persists."},
});
}  // namespace event_detail

inline constexpr auto& kEventCatalogue = event_detail::kEvents;

// The catalogue's events with this ID, from `source` ("VSS", "volsnap", any case) or from
// every source when it is empty.
std::vector<const EventInfo*> find_events(std::uint32_t id, std::string_view source = {});

// Whether the catalogue has events from `source`, in any case.
bool is_event_source(std::string_view source);

}  // namespace shadowctl::core
