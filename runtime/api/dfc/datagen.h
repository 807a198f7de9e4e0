// Deterministic data generation for the `datagen` source connector. Every value is a pure
// function of (row index, field index, seed): row N is the same in every run and at every
// parallelism, so bounded datagen jobs have reproducible outputs.
#pragma once

#include <cstdint>
#include <string>

#include "dfc/hash.h"

namespace dfc::rt::gen {

inline uint64_t Bits(int64_t row, int field) {
  return Mix64(HashCombine(static_cast<uint64_t>(row) * 0x9e3779b97f4a7c15ULL + 1,
                           static_cast<uint64_t>(field) + 0x632be59bd9b4e019ULL));
}

// Uniform in [min, max] (inclusive).
inline int64_t RandomInt(int64_t row, int field, int64_t min, int64_t max) {
  uint64_t span = static_cast<uint64_t>(max) - static_cast<uint64_t>(min) + 1;
  uint64_t b = Bits(row, field);
  return span == 0 ? static_cast<int64_t>(b)
                   : static_cast<int64_t>(static_cast<uint64_t>(min) + b % span);
}

// Uniform in [min, max).
inline double RandomDouble(int64_t row, int field, double min, double max) {
  double u = static_cast<double>(Bits(row, field) >> 11) * (1.0 / 9007199254740992.0);
  return min + u * (max - min);
}

inline bool RandomBool(int64_t row, int field) { return (Bits(row, field) & 1) != 0; }

// `length` characters from [a-z0-9].
inline std::string RandomString(int64_t row, int field, int length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(static_cast<size_t>(length), 'a');
  uint64_t b = 0;
  for (int i = 0; i < length; ++i) {
    if (i % 10 == 0) b = Bits(row, field * 1000003 + i / 10);
    s[static_cast<size_t>(i)] = kAlphabet[b % 36];
    b /= 36;
  }
  return s;
}

}  // namespace dfc::rt::gen
