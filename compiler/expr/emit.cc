#include "compiler/expr/emit.h"

#include <charconv>
#include <vector>

#include "compiler/expr/functions.h"
#include "compiler/support/cpp_escape.h"
#include "compiler/support/status_macros.h"
#include "runtime/api/dfc/builtins.h"

namespace dfc::compiler {
namespace {

using ir::Expr;
using ir::ExprKind;
using ir::Type;
using ir::TypeKind;

struct Code {
  std::string text;
  bool view = false;  // a STRING held as std::string_view (literals, GREATEST/LEAST of strings)
};

std::string CppType(const Type& t) {
  switch (t.kind) {
    case TypeKind::kBoolean: return "bool";
    case TypeKind::kInt: return "int32_t";
    case TypeKind::kBigint:
    case TypeKind::kTimestamp: return "int64_t";
    case TypeKind::kDouble: return "double";
    case TypeKind::kString: return "std::string";
  }
  return "void";
}

// The C++ type used to pass values of `t` to IN/BETWEEN/GREATEST helpers.
std::string ArgType(const Type& t) {
  return t.kind == TypeKind::kString ? "std::string_view" : CppType(t);
}

std::string Owned(const Code& c) { return c.view ? "std::string(" + c.text + ")" : c.text; }

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

class Emitter {
 public:
  Emitter(const ir::Schema& schema, std::string_view row) : schema_(schema), row_(row) {}

  Code Emit(const Expr& e) {
    DFC_CHECK(e.typed);
    switch (e.kind) {
      case ExprKind::kLiteral: return Literal(e);
      case ExprKind::kColumn: {
        DFC_CHECK(e.column_index >= 0 &&
                  e.column_index < static_cast<int>(schema_.fields.size()));
        return {std::string(row_) + "." + CppIdentifier(schema_.fields[e.column_index].name)};
      }
      case ExprKind::kUnary: {
        Code a = Emit(*e.args[0]);
        if (e.op == "NOT") return {"(!" + a.text + ")"};
        if (e.type.IsIntegral()) return {"dfc::fn::Neg(" + a.text + ")"};
        return {"(-" + a.text + ")"};
      }
      case ExprKind::kBinary: return Binary(e);
      case ExprKind::kCall: return Call(e);
      case ExprKind::kCase: {
        // Nested conditionals; every branch owned so both arms have one type.
        std::string out = Owned(As(*e.args.back(), e.type));
        for (size_t i = (e.args.size() - 1) / 2; i-- > 0;) {
          out = "(" + Emit(*e.args[2 * i]).text + " ? " + Owned(As(*e.args[2 * i + 1], e.type)) +
                " : " + out + ")";
        }
        return {out};
      }
      case ExprKind::kCast: return Cast(Emit(*e.args[0]), e.args[0]->type, e.cast_to);
      case ExprKind::kIn: {
        Type t = CommonOf(e, 0);
        std::vector<std::string> items;
        for (size_t i = 1; i < e.args.size(); ++i) items.push_back(As(*e.args[i], t).text);
        std::string call = "dfc::fn::In<" + ArgType(t) + ">(" + As(*e.args[0], t).text + ", {" +
                           Join(items) + "})";
        return {e.negated ? "(!" + call + ")" : call};
      }
      case ExprKind::kBetween: {
        Type t = CommonOf(e, 0);
        std::string call = "dfc::fn::Between<" + ArgType(t) + ">(" + As(*e.args[0], t).text +
                           ", " + As(*e.args[1], t).text + ", " + As(*e.args[2], t).text + ")";
        return {e.negated ? "(!" + call + ")" : call};
      }
    }
    DFC_CHECK(false);
    return {};
  }

 private:
  // The common type of args[from..].
  static Type CommonOf(const Expr& e, size_t from) {
    Type t = e.args[from]->type;
    for (size_t i = from + 1; i < e.args.size(); ++i) {
      std::optional<Type> c = CommonType(t, e.args[i]->type);
      DFC_CHECK(c.has_value());
      t = *c;
    }
    return t;
  }

  // `e` converted (widened) to `to`.
  Code As(const Expr& e, const Type& to) { return Widen(Emit(e), e.type, to); }

  static Code Widen(Code c, const Type& from, const Type& to) {
    if (from == to) return c;
    DFC_CHECK(from.IsNumeric() && to.IsNumeric());
    return {"static_cast<" + CppType(to) + ">(" + c.text + ")"};
  }

  Code Literal(const Expr& e) {
    switch (e.type.kind) {
      case TypeKind::kBoolean: return {e.literal == "TRUE" ? "true" : "false"};
      case TypeKind::kInt:
        if (e.literal == "-2147483648") return {"int32_t{-2147483647 - 1}"};
        return {"int32_t{" + e.literal + "}"};
      case TypeKind::kBigint:
        if (e.literal == "-9223372036854775808") return {"int64_t{-9223372036854775807LL - 1}"};
        return {"int64_t{" + e.literal + "LL}"};
      case TypeKind::kDouble: return {"double{" + e.literal + "}"};
      case TypeKind::kString: {
        std::string lit = CppStringLiteral(e.literal);
        if (lit.rfind("std::string_view(", 0) == 0) return {lit, true};
        return {"std::string_view(" + lit + ")", true};
      }
      case TypeKind::kTimestamp: {
        int64_t ms = 0;
        DFC_CHECK(dfc::fn::TryParseTimestamp(e.literal, &ms));
        if (ms == INT64_MIN) return {"int64_t{-9223372036854775807LL - 1}"};
        return {"int64_t{" + std::to_string(ms) + "LL}"};
      }
    }
    return {};
  }

  Code Binary(const Expr& e) {
    const std::string& op = e.op;
    if (op == "AND") return {"(" + Emit(*e.args[0]).text + " && " + Emit(*e.args[1]).text + ")"};
    if (op == "OR") return {"(" + Emit(*e.args[0]).text + " || " + Emit(*e.args[1]).text + ")"};
    if (op == "||") {
      return {"dfc::fn::Concat({" + Emit(*e.args[0]).text + ", " + Emit(*e.args[1]).text + "})"};
    }
    if (op == "LIKE") {
      std::string call = "dfc::fn::Like(" + Emit(*e.args[0]).text + ", " + Emit(*e.args[1]).text +
                         ")";
      return {e.negated ? "(!" + call + ")" : call};
    }
    const Type t = CommonOf(e, 0);
    const std::string a = As(*e.args[0], t).text;
    const std::string b = As(*e.args[1], t).text;
    if (op == "%") return ModCode(a, b, t, e.type);
    if (op == "+" || op == "-" || op == "*" || op == "/") {
      if (t.IsIntegral()) {
        const char* fn = op == "+" ? "Add" : op == "-" ? "Sub" : op == "*" ? "Mul" : "Div";
        return {std::string("dfc::fn::") + fn + "(" + a + ", " + b + ")"};
      }
      return {"(" + a + " " + op + " " + b + ")"};
    }
    // Comparisons: std::string / std::string_view compare byte-wise (char_traits<char>).
    const std::string cpp_op = op == "=" ? "==" : op == "<>" ? "!=" : op;
    return {"(" + a + " " + cpp_op + " " + b + ")"};
  }

  // a % b computed in the common type `t` (the result's type: the wider operand's).
  static Code ModCode(const std::string& a, const std::string& b, const Type& t,
                      const Type& result) {
    std::string code = "dfc::fn::Mod(" + a + ", " + b + ")";
    if (result != t) code = "static_cast<" + CppType(result) + ">(" + code + ")";
    return {code};
  }

  static Code Cast(Code c, const Type& from, const Type& to) {
    if (from == to) return c;
    const TypeKind f = from.kind;
    switch (to.kind) {
      case TypeKind::kString:
        switch (f) {
          case TypeKind::kBoolean: return {"dfc::fn::BoolToString(" + c.text + ")"};
          case TypeKind::kInt:
          case TypeKind::kBigint: return {"dfc::fn::IntToString(" + c.text + ")"};
          case TypeKind::kDouble: return {"dfc::fn::DoubleToString(" + c.text + ")"};
          case TypeKind::kTimestamp: return {"dfc::fn::TimestampToString(" + c.text + ")"};
          case TypeKind::kString: return c;
        }
        break;
      case TypeKind::kBoolean:
        if (f == TypeKind::kString) return {"dfc::fn::ParseBool(" + c.text + ")"};
        return {"(" + c.text + " != 0)"};
      case TypeKind::kInt:
        if (f == TypeKind::kString) return {"dfc::fn::ParseInt32(" + c.text + ")"};
        if (f == TypeKind::kDouble) return {"dfc::fn::DoubleToInt32(" + c.text + ")"};
        // BIGINT -> INT keeps the low 32 bits (C++20 conversions are modular, as Java).
        return {"static_cast<int32_t>(" + c.text + ")"};
      case TypeKind::kBigint:
        if (f == TypeKind::kString) return {"dfc::fn::ParseInt64(" + c.text + ")"};
        if (f == TypeKind::kDouble) return {"dfc::fn::DoubleToInt64(" + c.text + ")"};
        return {"static_cast<int64_t>(" + c.text + ")"};
      case TypeKind::kDouble:
        if (f == TypeKind::kString) return {"dfc::fn::ParseDouble(" + c.text + ")"};
        return {"static_cast<double>(" + c.text + ")"};
      case TypeKind::kTimestamp:
        DFC_CHECK(f == TypeKind::kString);
        return {"dfc::fn::ParseTimestamp(" + c.text + ")"};
    }
    DFC_CHECK(false);
    return {};
  }

  std::vector<std::string> Args(const Expr& e, size_t from = 0) {
    std::vector<std::string> out;
    for (size_t i = from; i < e.args.size(); ++i) out.push_back(Emit(*e.args[i]).text);
    return out;
  }
  std::vector<std::string> ArgsAs(const Expr& e, const Type& t, size_t from = 0) {
    std::vector<std::string> out;
    for (size_t i = from; i < e.args.size(); ++i) out.push_back(As(*e.args[i], t).text);
    return out;
  }
  static Type Of(TypeKind k) {
    Type t;
    t.kind = k;
    return t;
  }

  Code Call(const Expr& e) {
    const std::string& f = e.op;
    const std::string fn = "dfc::fn::";
    // One-to-one string helpers.
    static const std::pair<const char*, const char*> kDirect[] = {
        {"UPPER", "Upper"},       {"LOWER", "Lower"},       {"TRIM", "Trim"},
        {"LTRIM", "LTrim"},       {"RTRIM", "RTrim"},       {"CHAR_LENGTH", "CharLength"},
        {"REPLACE", "Replace"},   {"POSITION", "Position"}, {"YEAR", "ExtractYear"},
        {"MONTH", "ExtractMonth"}, {"DAYOFMONTH", "ExtractDay"}, {"HOUR", "ExtractHour"},
        {"MINUTE", "ExtractMinute"}, {"SECOND", "ExtractSecond"}};
    for (const auto& [sql, cpp] : kDirect) {
      if (f == sql) return {fn + cpp + "(" + Join(Args(e)) + ")"};
    }
    if (f == "SUBSTRING") {
      std::vector<std::string> a = {Emit(*e.args[0]).text};
      for (size_t i = 1; i < e.args.size(); ++i) a.push_back(As(*e.args[i], Of(TypeKind::kBigint)).text);
      return {fn + "Substring(" + Join(a) + ")"};
    }
    if (f == "CONCAT") return {fn + "Concat({" + Join(Args(e)) + "})"};
    if (f == "ABS") return {fn + "Abs(" + Emit(*e.args[0]).text + ")"};
    if (f == "MOD") {
      const Type t = CommonOf(e, 0);
      return ModCode(As(*e.args[0], t).text, As(*e.args[1], t).text, t, e.type);
    }
    if (f == "ROUND") {
      std::string d = e.args.size() > 1 ? Cast(Emit(*e.args[1]), e.args[1]->type, Of(TypeKind::kInt)).text
                                        : "int32_t{0}";
      return {fn + "Round(" + Emit(*e.args[0]).text + ", " + d + ")"};
    }
    if (f == "FLOOR" || f == "CEIL") {
      Code a = Emit(*e.args[0]);
      if (e.type.IsIntegral()) return a;
      return {std::string(f == "FLOOR" ? "std::floor(" : "std::ceil(") + a.text + ")"};
    }
    static const std::pair<const char*, const char*> kMath[] = {
        {"POWER", "std::pow"}, {"SQRT", "std::sqrt"}, {"LN", "std::log"},
        {"LOG10", "std::log10"}, {"LOG2", "std::log2"}, {"EXP", "std::exp"}};
    for (const auto& [sql, cpp] : kMath) {
      if (f == sql) return {std::string(cpp) + "(" + Join(ArgsAs(e, Of(TypeKind::kDouble))) + ")"};
    }
    if (f == "GREATEST" || f == "LEAST") {
      const Type t = e.type;
      std::string call = std::string(f == "GREATEST" ? "std::max" : "std::min") + "<" +
                         ArgType(t) + ">({" + Join(ArgsAs(e, t)) + "})";
      return {call, t.kind == TypeKind::kString};
    }
    if (f == "COALESCE") {
      // Values are NOT NULL in v1: the first argument is the result (the others are typed only).
      return As(*e.args[0], e.type);
    }
    if (f == "IF") {
      return {"(" + Emit(*e.args[0]).text + " ? " + Owned(As(*e.args[1], e.type)) + " : " +
              Owned(As(*e.args[2], e.type)) + ")"};
    }
    if (f == "DATE_FORMAT") {
      Code ts = Emit(*e.args[0]);
      if (e.args[0]->type.kind == TypeKind::kString) ts = {fn + "ParseTimestamp(" + ts.text + ")"};
      return {fn + "DateFormat(" + ts.text + ", " + Emit(*e.args[1]).text + ")"};
    }
    if (f == "TO_TIMESTAMP") {
      if (e.args.size() == 1) return {fn + "ParseTimestamp(" + Emit(*e.args[0]).text + ")"};
      return {fn + "ToTimestamp(" + Join(Args(e)) + ")"};
    }
    DFC_CHECK(false && "built-in function without an emitter");
    return {};
  }

  const ir::Schema& schema_;
  std::string_view row_;
};

}  // namespace

std::string EmitExpr(const ir::Expr& e, const ir::Schema& row_schema, std::string_view row_var) {
  Emitter em(row_schema, row_var);
  Code c = em.Emit(e);
  return e.type.kind == TypeKind::kString ? Owned(c) : c.text;
}

}  // namespace dfc::compiler
