// Stable key hashing and key groups. The hash is dfc's own (not Java's hashCode) and must never
// change between versions: savepoints record state by key group.
//   key group  = hash(key) mod max_parallelism
//   subtask    = key_group * parallelism / max_parallelism          (Flink's scheme)
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dfc::rt {

inline uint64_t Mix64(uint64_t x) {  // splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline uint64_t HashBytes(const void* data, size_t n, uint64_t seed = 0x9e3779b97f4a7c15ULL) {
  // FNV-1a over bytes, then a 64-bit finalizer: simple, stable, adequate spread for key groups.
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return Mix64(h ^ n);
}

inline uint64_t HashValue(int64_t v) { return Mix64(static_cast<uint64_t>(v) + 0x9e3779b97f4a7c15ULL); }
inline uint64_t HashValue(int32_t v) { return HashValue(static_cast<int64_t>(v)); }
inline uint64_t HashValue(bool v) { return HashValue(static_cast<int64_t>(v)); }
inline uint64_t HashValue(double v) {
  if (v == 0) v = 0;  // +0 and -0 are one key
  int64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return HashValue(bits);
}
inline uint64_t HashValue(std::string_view v) { return HashBytes(v.data(), v.size()); }
inline uint64_t HashValue(const std::string& v) { return HashBytes(v.data(), v.size()); }

// Combines the hashes of a composite key's fields, in key order.
inline uint64_t HashCombine(uint64_t h, uint64_t next) { return Mix64(h * 31 + next); }

inline int KeyGroupFor(uint64_t hash, int max_parallelism) {
  return static_cast<int>(hash % static_cast<uint64_t>(max_parallelism));
}
inline int SubtaskForKeyGroup(int key_group, int parallelism, int max_parallelism) {
  return static_cast<int>(static_cast<int64_t>(key_group) * parallelism / max_parallelism);
}

}  // namespace dfc::rt
