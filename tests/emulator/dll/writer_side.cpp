// The writer side of vssapi.dll (CVssWriter, CVssJetWriter, the express writer and the
// writer factories), exported so that a writer program linked against libvssapi.a starts
// under Wine. The emulator models no writer process: entry points that answer an HRESULT
// answer VSS_E_UNEXPECTED (the "unexpected error" of CVssWriter::Initialize's and
// Subscribe's pages), journalled; SetWriterFailure outside an event is VSS_E_BAD_STATE; the
// event handlers answer true, as the base class's do ("As implemented by the base class,
// OnPrepareBackup always returns true"), and the state getters answer nothing selected.
//
// x64 Windows has one calling convention and the caller owns the stack, so one function
// serves every export of the same return kind whatever its parameters; vssapi.def maps each
// C++-decorated name to one of these.
#include <windows.h>

#include <vss.h>
#include <vswriter.h>

#include "accounting.h"
#include "core/error_catalogue.h"

namespace dll = shadowctl::emulator::dll;

// Writer-side calls that answer an HRESULT (Initialize, Subscribe, CreateWriter, ...).
extern "C" HRESULT emulator_writer_unexpected() {
  return static_cast<HRESULT>(dll::service().call("CVssWriter (writer side)", "not modelled", [] {
    return shadowctl::core::hr::vss_e_unexpected;
  }));
}

// CreateVssExpressWriterInternal(IVssExpressWriter**): no writer, and the pointer says so.
extern "C" HRESULT emulator_express_writer(IVssExpressWriter** out) {
  if (out) *out = nullptr;
  return emulator_writer_unexpected();
}

// SetWriterFailure: only meaningful while handling an event, and none ever comes.
extern "C" HRESULT emulator_writer_bad_state() {
  return static_cast<HRESULT>(shadowctl::core::hr::vss_e_bad_state);
}

// The On* event handlers of the base classes.
extern "C" bool emulator_writer_true() { return true; }

// Getters: false, 0, a null pointer or the zero enumerator; void members do nothing.
extern "C" INT_PTR emulator_writer_zero() { return 0; }

// GetCurrentSnapshotSetId returns a GUID by value: MSVC passes the result's address after
// `this` and expects it back.
extern "C" GUID* emulator_writer_guid(void*, GUID* result) {
  *result = GUID_NULL;
  return result;
}

// Constructors return `this`; the derived class sets its own vtable afterwards.
extern "C" void* emulator_writer_constructor(void* self) { return self; }
