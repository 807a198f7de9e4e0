// SQL types of the job format and row schemas.
//
// Type names follow Flink SQL: BOOLEAN, INT (INTEGER), BIGINT, DOUBLE, STRING (VARCHAR), and
// TIMESTAMP(3) (milliseconds since the epoch, no time zone). Values are NOT NULL in v1: a missing
// or unparsable field follows the source's on_error policy rather than becoming NULL.
// C++ representation: bool, int32_t, int64_t, double, std::string, int64_t.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/source_loc.h"

namespace dfc::compiler::ir {

enum class TypeKind { kBoolean, kInt, kBigint, kDouble, kString, kTimestamp };

struct Type {
  TypeKind kind = TypeKind::kBigint;
  int precision = 3;  // TIMESTAMP only; only 3 is supported in v1

  bool operator==(const Type& o) const { return kind == o.kind && precision == o.precision; }
  bool operator!=(const Type& o) const { return !(*this == o); }
  bool IsNumeric() const {
    return kind == TypeKind::kInt || kind == TypeKind::kBigint || kind == TypeKind::kDouble;
  }
  bool IsIntegral() const { return kind == TypeKind::kInt || kind == TypeKind::kBigint; }

  std::string ToString() const;  // canonical SQL name: "BIGINT", "TIMESTAMP(3)"
  std::string CppType() const;    // "int64_t", "std::string", ...
  // The runtime's dfc::rt::FieldType enumerator, e.g. "dfc::rt::FieldType::kInt64".
  std::string RuntimeFieldType() const;
};

// Parses a SQL type name (case-insensitive; INTEGER = INT, VARCHAR/VARCHAR(n) = STRING).
std::optional<Type> ParseType(std::string_view name);

// The type names ParseType accepts (upper case, VARCHAR(n) aside), for "did you mean" hints.
const std::vector<std::string>& TypeNames();

struct Field {
  std::string name;
  Type type;
  SourceLoc loc;
};

// A named row type: an ordered field list. Field order is the order written.
struct Schema {
  std::string name;  // user-visible name ("Bid") or a derived one ("eur_row")
  std::vector<Field> fields;
  SourceLoc loc;
  bool derived = false;  // inferred by the compiler rather than declared in `types`

  int FieldIndex(std::string_view field) const;  // -1 when absent
  std::vector<std::string> FieldNames() const;
  std::string ToString() const;  // "Bid(auction BIGINT, bidder BIGINT, ...)"
};

}  // namespace dfc::compiler::ir
