#pragma once

#include <windows.h>

#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>

#include "state.h"

namespace shadowctl::emulator::dll {

// IVssExamineWriterMetadata for one writer as GatherWriterMetadata found it: its identity,
// and one IVssWMComponent per component.
IVssExamineWriterMetadata* new_writer_metadata(const Writer& writer);

}  // namespace shadowctl::emulator::dll
