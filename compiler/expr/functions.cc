#include "compiler/expr/functions.h"

#include <algorithm>

namespace dfc::compiler {
namespace {

using ir::Type;
using ir::TypeKind;
using Types = std::vector<Type>;
using Result = std::optional<Type>;

Type T(TypeKind k) {
  Type t;
  t.kind = k;
  return t;
}
bool IsString(const Type& t) { return t.kind == TypeKind::kString; }
bool IsTimestamp(const Type& t) { return t.kind == TypeKind::kTimestamp; }

Result AllStrings(const Types& a, TypeKind result) {
  for (const Type& t : a) {
    if (!IsString(t)) return std::nullopt;
  }
  return T(result);
}

Result Common(const Types& a, size_t from) {
  Result r = a[from];
  for (size_t i = from + 1; i < a.size() && r; ++i) r = CommonType(*r, a[i]);
  return r;
}

Result NumericToDouble(const Types& a) {
  for (const Type& t : a) {
    if (!t.IsNumeric()) return std::nullopt;
  }
  return T(TypeKind::kDouble);
}

Result TimestampPart(const Types& a) {
  return IsTimestamp(a[0]) ? Result(T(TypeKind::kBigint)) : std::nullopt;
}

const std::vector<BuiltinFunction> kFunctions = {
    // Strings.
    {"UPPER", "UPPER(STRING)", 1, 1, [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"LOWER", "LOWER(STRING)", 1, 1, [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"TRIM", "TRIM(STRING)", 1, 1, [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"LTRIM", "LTRIM(STRING)", 1, 1, [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"RTRIM", "RTRIM(STRING)", 1, 1, [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"CHAR_LENGTH", "CHAR_LENGTH(STRING)", 1, 1,
     [](const Types& a) { return AllStrings(a, TypeKind::kInt); }},
    {"SUBSTRING", "SUBSTRING(STRING, INT[, INT])", 2, 3,
     [](const Types& a) -> Result {
       if (!IsString(a[0])) return std::nullopt;
       for (size_t i = 1; i < a.size(); ++i) {
         if (!a[i].IsIntegral()) return std::nullopt;
       }
       return T(TypeKind::kString);
     }},
    {"CONCAT", "CONCAT(STRING, ...)", 1, -1,
     [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"REPLACE", "REPLACE(STRING, STRING, STRING)", 3, 3,
     [](const Types& a) { return AllStrings(a, TypeKind::kString); }},
    {"POSITION", "POSITION(STRING IN STRING)", 2, 2,
     [](const Types& a) { return AllStrings(a, TypeKind::kInt); }},
    // Math.
    {"ABS", "ABS(NUMERIC)", 1, 1,
     [](const Types& a) { return a[0].IsNumeric() ? Result(a[0]) : std::nullopt; }},
    {"MOD", "MOD(INT|BIGINT, INT|BIGINT)", 2, 2,
     // The wider operand's type, like `%` (BIGINT % INT is BIGINT).
     [](const Types& a) {
       if (!a[0].IsIntegral() || !a[1].IsIntegral()) return std::optional<Type>();
       return Result(a[0].kind == TypeKind::kBigint ? a[0] : a[1]);
     }},
    {"ROUND", "ROUND(NUMERIC[, INT])", 1, 2,
     [](const Types& a) {
       return a[0].IsNumeric() && (a.size() == 1 || a[1].IsIntegral()) ? Result(a[0])
                                                                          : std::nullopt;
     }},
    {"FLOOR", "FLOOR(NUMERIC)", 1, 1,
     [](const Types& a) { return a[0].IsNumeric() ? Result(a[0]) : std::nullopt; }},
    {"CEIL", "CEIL(NUMERIC)", 1, 1,
     [](const Types& a) { return a[0].IsNumeric() ? Result(a[0]) : std::nullopt; }},
    {"POWER", "POWER(NUMERIC, NUMERIC)", 2, 2, NumericToDouble},
    {"SQRT", "SQRT(NUMERIC)", 1, 1, NumericToDouble},
    {"LN", "LN(NUMERIC)", 1, 1, NumericToDouble},
    {"LOG10", "LOG10(NUMERIC)", 1, 1, NumericToDouble},
    {"LOG2", "LOG2(NUMERIC)", 1, 1, NumericToDouble},
    {"EXP", "EXP(NUMERIC)", 1, 1, NumericToDouble},
    // Comparison and conditionals.
    {"GREATEST", "GREATEST(T, T, ...)", 1, -1, [](const Types& a) { return Common(a, 0); }},
    {"LEAST", "LEAST(T, T, ...)", 1, -1, [](const Types& a) { return Common(a, 0); }},
    {"COALESCE", "COALESCE(T, T, ...)", 1, -1, [](const Types& a) { return Common(a, 0); }},
    {"IF", "IF(BOOLEAN, T, T)", 3, 3,
     [](const Types& a) {
       return a[0].kind == TypeKind::kBoolean ? Common(a, 1) : std::nullopt;
     }},
    // Time.
    {"DATE_FORMAT", "DATE_FORMAT(TIMESTAMP(3)|STRING, STRING)", 2, 2,
     [](const Types& a) -> Result {
       if (!(IsTimestamp(a[0]) || IsString(a[0])) || !IsString(a[1])) return std::nullopt;
       return T(TypeKind::kString);
     }},
    {"TO_TIMESTAMP", "TO_TIMESTAMP(STRING[, STRING])", 1, 2,
     [](const Types& a) { return AllStrings(a, TypeKind::kTimestamp); }},
    {"YEAR", "YEAR(TIMESTAMP(3))", 1, 1, TimestampPart},
    {"MONTH", "MONTH(TIMESTAMP(3))", 1, 1, TimestampPart},
    {"DAYOFMONTH", "DAYOFMONTH(TIMESTAMP(3))", 1, 1, TimestampPart},
    {"HOUR", "HOUR(TIMESTAMP(3))", 1, 1, TimestampPart},
    {"MINUTE", "MINUTE(TIMESTAMP(3))", 1, 1, TimestampPart},
    {"SECOND", "SECOND(TIMESTAMP(3))", 1, 1, TimestampPart},
};

}  // namespace

std::optional<ir::Type> CommonType(const ir::Type& a, const ir::Type& b) {
  if (a == b) return a;
  if (a.IsNumeric() && b.IsNumeric()) {
    auto rank = [](TypeKind k) { return k == TypeKind::kInt ? 0 : k == TypeKind::kBigint ? 1 : 2; };
    return rank(a.kind) >= rank(b.kind) ? a : b;
  }
  return std::nullopt;
}

const BuiltinFunction* FindBuiltinFunction(std::string_view upper_name) {
  for (const BuiltinFunction& f : kFunctions) {
    if (f.name == upper_name) return &f;
  }
  return nullptr;
}

const std::vector<BuiltinFunction>& BuiltinFunctions() { return kFunctions; }

}  // namespace dfc::compiler
