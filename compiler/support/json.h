// A JSON (with comments) document model in which every value remembers where it was written:
// file, line, column and JSON pointer. The job front-end and `dfc schema` use it; llvm::json and
// the Debian JSON libraries do not keep per-value positions, which every job diagnostic needs.
//
// Accepted syntax: RFC 8259 JSON plus `//` and `/* */` comments and trailing commas in arrays and
// objects (JSONC, as editors write it). Duplicate object keys are an error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/support/diagnostics.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::json {

enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

const char* KindName(Kind k);  // "null", "boolean", "number", "string", "array", "object"

class Value;

struct Member {
  std::string key;
  SourceLoc key_loc;  // location of the key's opening quote (pointer = the member's pointer)
  std::unique_ptr<Value> value;
};

class Value {
 public:
  Kind kind = Kind::kNull;
  SourceLoc loc;  // first character of the value; loc.pointer is its JSON pointer

  bool bool_value = false;
  double number = 0;        // numeric value
  bool is_integer = false;  // the literal had no fraction/exponent and fits in int64
  int64_t integer = 0;      // valid when is_integer
  std::string raw;          // the number's literal text as written
  std::string str;          // decoded string value (kString)
  std::vector<std::unique_ptr<Value>> items;  // kArray
  std::vector<Member> members;                // kObject, in document order

  bool is_null() const { return kind == Kind::kNull; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_object() const { return kind == Kind::kObject; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_number() const { return kind == Kind::kNumber; }
  bool is_bool() const { return kind == Kind::kBool; }

  // Object member lookup (nullptr when absent or not an object).
  const Value* Get(std::string_view key) const;
  const Member* GetMember(std::string_view key) const;

  // Compact serialization (keys in document order); used for printing params in the IR.
  std::string ToJson() const;
};

// Parses `text`. On a syntax error reports `file:line:col: error: ...` to `diags` and returns
// nullptr. Pointers are computed for every value (`""` for the root).
std::unique_ptr<Value> Parse(std::string_view text, const std::string& file, Diagnostics& diags);

// JSON-escapes `s` (quotes included) — for printers that emit JSON.
std::string Quote(std::string_view s);

// Escapes one JSON pointer reference token (`~` -> `~0`, `/` -> `~1`).
std::string EscapePointerToken(std::string_view token);

}  // namespace dfc::compiler::json
