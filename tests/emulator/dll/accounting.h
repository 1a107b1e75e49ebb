#pragma once

// What the emulator DLL hands out and what comes back: COM references and the CoTaskMem
// strings of snapshot properties (freed through VssFreeSnapshotProperties). At unload the
// report names what the tool never released, with the model's ledger of unfinished sets.

#include <windows.h>

#include <oleauto.h>

#include <string>
#include <string_view>

#include "model.h"

namespace shadowctl::emulator::dll {

// The model of this process; created on first use from the SHADOWCTL_EMULATOR_* variables.
Service& service();
// True when SHADOWCTL_EMULATOR_SCENARIO could not be read: every creation then fails.
bool scenario_unreadable();

void reference_added();
void reference_released();

// Counts an allocation handed out until untrack; untrack answers false for one never tracked.
void track(const void* p);
bool untrack(const void* p);

// Strings the caller frees itself (CoTaskMemFree, SysFreeString), counted until it does:
// an IMallocSpy registered with the service sees the free. BSTRs are counted only with
// OANOCACHE set, since Wine's BSTR cache otherwise keeps freed strings from IMalloc.
wchar_t* caller_freed_string(std::string_view utf8);
BSTR caller_freed_bstr(std::string_view utf8);

// A CoTaskMem copy of a UTF-8 string as UTF-16, counted until free_tracked.
wchar_t* tracked_string(std::string_view utf8);
// Frees a string from tracked_string; null is fine. Returns false for one we never handed out.
bool free_tracked(wchar_t* p);

// Writes the report to SHADOWCTL_EMULATOR_REPORT, or else beside the state file as
// STATE.report.json, with kernel32 only: at process exit the C++ runtime may be gone.
void write_report();

std::string environment(const char* name);

}  // namespace shadowctl::emulator::dll
