// Row descriptors and the Collector: how the runtime and the stdlib see the row structs that
// generated code declares. A RowDesc lists a struct's fields with their types and accessors, so
// formats (CSV, JSON lines, text) and sinks live in the prebuilt runtime library instead of being
// re-generated per job. Part of the runtime API: generated code includes only dfc/ headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dfc::rt {

// C++ representation of each SQL type: kBool bool, kInt32 int32_t, kInt64 int64_t,
// kDouble double, kString std::string, kTimestamp int64_t (epoch milliseconds).
enum class FieldType : uint8_t { kBool, kInt32, kInt64, kDouble, kString, kTimestamp };

const char* FieldTypeName(FieldType t);  // "BOOLEAN", "INT", "BIGINT", "DOUBLE", "STRING", "TIMESTAMP(3)"

struct FieldDesc {
  const char* name;             // column name, exactly as the job wrote it
  FieldType type;
  void* (*access)(void* row);   // returns the address of this field inside `row`
};

struct RowDesc {
  const char* name;  // the row type's name
  const FieldDesc* fields;
  int num_fields;
  void* (*create)();            // new default-constructed row (for tests and dynamic use)
  void (*destroy)(void* row);
};

template <class T>
const void* FieldPtr(const FieldDesc& f, const T& row) {
  return f.access(const_cast<T*>(&row));
}

// Collects the output of a flat_map UDF: `out.emit(row)` appends, the chain then pushes each
// collected row downstream. The buffer is reused across calls (no allocation per record once
// warm). Single-threaded: belongs to one subtask.
template <class T>
class Collector {
 public:
  void emit(const T& row) { rows_.push_back(row); }
  void emit(T&& row) { rows_.push_back(std::move(row)); }
  // Flink-style alias.
  void collect(const T& row) { rows_.push_back(row); }
  void collect(T&& row) { rows_.push_back(std::move(row)); }

  std::vector<T>& rows() { return rows_; }
  void clear() { rows_.clear(); }

 private:
  std::vector<T> rows_;
};

}  // namespace dfc::rt

namespace dfc {
using rt::Collector;  // UDFs write `dfc::Collector<T>`
}  // namespace dfc
