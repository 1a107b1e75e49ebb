#pragma once

#include <string>
#include <string_view>

namespace shadowctl::core {

// The Windows service that hosts a writer, by the writer's name as `list writers` shows it
// (the writers of Microsoft's "In-Box VSS Writers" page and the common application writers);
// empty when the writer is not known or runs inside the VSS service itself. A failed writer
// is usually put right by restarting its service.
// https://learn.microsoft.com/windows/win32/vss/in-box-vss-writers
std::string_view writer_service(std::string_view writer_name);

// The remedy for a failed writer: `generic` (the catalogue's), then how to restart its
// service when it has one of its own.
std::string writer_remedy(std::string_view writer_name, std::string_view generic);

}  // namespace shadowctl::core
