#pragma once

// Shadow storage sizes as `storage add|resize` take them, and which shadow copies a smaller
// maximum would make Windows delete. Pure: tested natively.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shadowctl::core {

// The smallest maximum Microsoft documents for a shadow storage association: AddDiffArea's
// "must be at least 320 MB", vssadmin's "320MB or more" (MB of 1,048,576 bytes).
// https://learn.microsoft.com/windows/win32/api/vsmgmt/nf-vsmgmt-ivssdifferentialsoftwaresnapshotmgmt-adddiffarea
inline constexpr std::uint64_t kShadowStorageMinimum = 320ull * 1024 * 1024;

// A maximum as the user gave it.
struct StorageSize {
  enum class Kind { bytes, percent, unbounded } kind = Kind::bytes;
  std::uint64_t bytes = 0;
  double percent = 0;  // of the storage volume, 0 < percent <= 100
};

// As vssadmin's /MaxSize takes it: a number of bytes, or with a suffix B, K/KB, M/MB, G/GB,
// T/TB, P/PB, E/EB (any case; multiples of 1,024; a decimal point allowed, "1.5GB"), a
// percentage of the storage volume ("15%"), or "unbounded". nullopt otherwise.
std::optional<StorageSize> parse_storage_size(std::string_view text);

// The maximum in bytes for a storage volume of `capacity` bytes (percent rounded down);
// -1 for unbounded, as the management interface takes it.
std::int64_t storage_maximum(const StorageSize& size, std::uint64_t capacity);

// Why a maximum is refused before any call, or "": below kShadowStorageMinimum (naming it),
// or a percentage that is 0 or above 100.
std::string storage_size_problem(const StorageSize& size, std::uint64_t capacity);

// Lowering a maximum below what is used makes Windows delete the volume's oldest shadow
// copies until the rest fit. Windows does not say how much of the storage each copy holds,
// so the count is an estimate from their average: of `count` copies (oldest first) using
// `used` bytes, how many must go for the rest to fit under `maximum`; 0 when they fit, all
// when even one would not. https://learn.microsoft.com/windows-server/administration/windows-commands/vssadmin-resize-shadowstorage
std::size_t copies_a_maximum_purges(std::size_t count, std::uint64_t used, std::uint64_t maximum);

}  // namespace shadowctl::core
