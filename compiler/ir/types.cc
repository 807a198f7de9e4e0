#include "compiler/ir/types.h"

#include <cctype>

namespace dfc::compiler::ir {

std::string Type::ToString() const {
  switch (kind) {
    case TypeKind::kBoolean: return "BOOLEAN";
    case TypeKind::kInt: return "INT";
    case TypeKind::kBigint: return "BIGINT";
    case TypeKind::kDouble: return "DOUBLE";
    case TypeKind::kString: return "STRING";
    case TypeKind::kTimestamp: return "TIMESTAMP(" + std::to_string(precision) + ")";
  }
  return "?";
}

std::string Type::CppType() const {
  switch (kind) {
    case TypeKind::kBoolean: return "bool";
    case TypeKind::kInt: return "int32_t";
    case TypeKind::kBigint: return "int64_t";
    case TypeKind::kDouble: return "double";
    case TypeKind::kString: return "std::string";
    case TypeKind::kTimestamp: return "int64_t";
  }
  return "?";
}

std::string Type::RuntimeFieldType() const {
  switch (kind) {
    case TypeKind::kBoolean: return "dfc::rt::FieldType::kBool";
    case TypeKind::kInt: return "dfc::rt::FieldType::kInt32";
    case TypeKind::kBigint: return "dfc::rt::FieldType::kInt64";
    case TypeKind::kDouble: return "dfc::rt::FieldType::kDouble";
    case TypeKind::kString: return "dfc::rt::FieldType::kString";
    case TypeKind::kTimestamp: return "dfc::rt::FieldType::kTimestamp";
  }
  return "?";
}

const std::vector<std::string>& TypeNames() {
  static const std::vector<std::string> kNames = {"BOOLEAN", "INT",     "INTEGER",   "BIGINT",
                                                   "DOUBLE",  "STRING",  "VARCHAR",   "TIMESTAMP",
                                                   "TIMESTAMP(3)"};
  return kNames;
}

std::optional<Type> ParseType(std::string_view name) {
  // Canonical form: upper case, no blanks ("varchar( 10 )" -> "VARCHAR(10)").
  std::string s;
  for (char c : name) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  Type t;
  if (s == "BOOLEAN") {
    t.kind = TypeKind::kBoolean;
  } else if (s == "INT" || s == "INTEGER") {
    t.kind = TypeKind::kInt;
  } else if (s == "BIGINT") {
    t.kind = TypeKind::kBigint;
  } else if (s == "DOUBLE") {
    t.kind = TypeKind::kDouble;
  } else if (s == "STRING" || s == "VARCHAR") {
    t.kind = TypeKind::kString;
  } else if (s == "TIMESTAMP" || s == "TIMESTAMP(3)") {
    t.kind = TypeKind::kTimestamp;
    t.precision = 3;
  } else if (s.size() > 9 && s.compare(0, 8, "VARCHAR(") == 0 && s.back() == ')') {
    // VARCHAR(n): the length is accepted for compatibility and not enforced.
    std::string_view digits(s.data() + 8, s.size() - 9);
    if (digits.empty() || digits.size() > 9 || digits[0] == '0') return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    t.kind = TypeKind::kString;
  } else {
    return std::nullopt;
  }
  return t;
}

int Schema::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Schema::FieldNames() const {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const Field& f : fields) names.push_back(f.name);
  return names;
}

std::string Schema::ToString() const {
  std::string out = name + "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ", ";
    out += fields[i].name + " " + fields[i].type.ToString();
  }
  return out + ")";
}

}  // namespace dfc::compiler::ir
