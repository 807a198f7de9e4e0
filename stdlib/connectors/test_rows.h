// Test helpers for the connector tests: a row struct with one field of every type, its RowDesc
// built by hand (as generated code would), and temporary files.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "dfc/row.h"

namespace dfc::rt::testing {

struct AllTypes {
  bool b = false;
  int32_t i = 0;
  int64_t l = 0;
  double d = 0;
  std::string s;
  int64_t ts = 0;

  bool operator==(const AllTypes&) const = default;
};

template <class T, class F, F T::*M>
void* Access(void* row) {
  return &(static_cast<T*>(row)->*M);
}

template <class T>
void* Create() {
  return new T();
}
template <class T>
void Destroy(void* row) {
  delete static_cast<T*>(row);
}

inline const FieldDesc kAllTypesFields[] = {
    {"b", FieldType::kBool, &Access<AllTypes, bool, &AllTypes::b>},
    {"i", FieldType::kInt32, &Access<AllTypes, int32_t, &AllTypes::i>},
    {"l", FieldType::kInt64, &Access<AllTypes, int64_t, &AllTypes::l>},
    {"d", FieldType::kDouble, &Access<AllTypes, double, &AllTypes::d>},
    {"s", FieldType::kString, &Access<AllTypes, std::string, &AllTypes::s>},
    {"ts", FieldType::kTimestamp, &Access<AllTypes, int64_t, &AllTypes::ts>},
};
inline const RowDesc kAllTypesDesc{"AllTypes", kAllTypesFields, 6, &Create<AllTypes>,
                                   &Destroy<AllTypes>};

struct Line {
  std::string s;
  bool operator==(const Line&) const = default;
};
inline const FieldDesc kLineFields[] = {
    {"line", FieldType::kString, &Access<Line, std::string, &Line::s>}};
inline const RowDesc kLineDesc{"Line", kLineFields, 1, &Create<Line>, &Destroy<Line>};

struct Pair {
  int64_t id = 0;
  std::string name;
};
inline const FieldDesc kPairFields[] = {
    {"id", FieldType::kInt64, &Access<Pair, int64_t, &Pair::id>},
    {"name", FieldType::kString, &Access<Pair, std::string, &Pair::name>}};
inline const RowDesc kPairDesc{"Pair", kPairFields, 2, &Create<Pair>, &Destroy<Pair>};

// A fresh directory under $TMPDIR, not removed (tests are short-lived; leaves evidence).
inline std::string TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base ? base : "/tmp") + "/dfc_conn_XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) std::abort();
  return templ;
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace dfc::rt::testing
