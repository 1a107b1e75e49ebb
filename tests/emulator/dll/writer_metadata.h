#pragma once

#include <windows.h>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include "model.h"

namespace shadowctl::emulator::dll {

// IVssExamineWriterMetadata (to Ex2) for one writer as GatherWriterMetadata found it.
IVssExamineWriterMetadataEx2* new_writer_metadata(const Writer& writer);

// CreateVssExamineWriterMetadata: a writer metadata document this emulator saved (SaveAsXML)
// read back; any other text is VSS_E_INVALID_XML_DOCUMENT.
HRESULT examine_writer_metadata(const wchar_t* xml, IVssExamineWriterMetadata** out);

// One writer's components in the Backup Components Document, as the SDK's
// IVssWriterComponentsExt: the IVssWriterComponents vtable, then IUnknown's.
IVssWriterComponents* new_writer_components(const WriterComponents& components);

}  // namespace shadowctl::emulator::dll
