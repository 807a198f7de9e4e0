// CRC32C (Castagnoli, the checksum of iSCSI, ext4 metadata, RocksDB and Kafka record batches):
// the checksum every checkpoint file carries. Debian bookworm packages no C/C++ CRC32C library
// (libcrc32c-dev arrived later; RocksDB's and Abseil 2022's are internal), so it is here: the
// SSE4.2 crc32 instruction when the CPU has it, else a table-driven fallback with the same result.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dfc::rt {

// Extends `crc` (0 to start) over `n` bytes. Crc32c("123456789") == 0xE3069283.
uint32_t Crc32c(const void* data, size_t n, uint32_t crc = 0);

}  // namespace dfc::rt
