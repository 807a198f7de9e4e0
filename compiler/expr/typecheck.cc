#include "compiler/expr/typecheck.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "compiler/expr/functions.h"
#include "runtime/api/dfc/builtins.h"

namespace dfc::compiler {
namespace {

using ir::Expr;
using ir::ExprKind;
using ir::Type;
using ir::TypeKind;

Type MakeType(TypeKind k) {
  Type t;
  t.kind = k;
  return t;
}

std::vector<std::string> BuiltinNames() {
  std::vector<std::string> names;
  for (const BuiltinFunction& f : BuiltinFunctions()) names.emplace_back(f.name);
  return names;
}

class Checker {
 public:
  Checker(const ir::Schema& schema, Diagnostics& diags) : schema_(schema), diags_(diags) {}

  bool Check(Expr& e) {
    // Children first; a failed child stops the checks of this node (no follow-up errors).
    bool ok = true;
    for (auto& a : e.args) ok = Check(*a) && ok;
    if (!ok) return false;
    std::optional<Type> t = Infer(e);
    if (!t) return false;
    e.type = *t;
    e.typed = true;
    return true;
  }

 private:
  std::nullopt_t Error(const SourceLoc& loc, std::string msg) {
    diags_.Error(loc, std::move(msg));
    return std::nullopt;
  }

  std::optional<Type> Infer(Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: return Literal(e);
      case ExprKind::kColumn: {
        int i = schema_.FieldIndex(e.name);
        if (i < 0) {
          return Error(e.loc, "unknown column '" + e.name + "'" +
                                  DidYouMean(e.name, schema_.FieldNames()));
        }
        e.column_index = i;
        return schema_.fields[i].type;
      }
      case ExprKind::kUnary: {
        const Type& a = e.args[0]->type;
        if (e.op == "NOT") {
          if (a.kind != TypeKind::kBoolean) {
            return Error(e.op_loc, "operator 'NOT' needs a BOOLEAN operand, got " + a.ToString());
          }
          return a;
        }
        if (!a.IsNumeric()) {
          return Error(e.op_loc, "operator '-' needs a numeric operand, got " + a.ToString());
        }
        return a;
      }
      case ExprKind::kBinary: return Binary(e);
      case ExprKind::kCall: return Call(e);
      case ExprKind::kCase: return Case(e);
      case ExprKind::kCast: {
        const Type& from = e.args[0]->type;
        if (!CanCast(from, e.cast_to)) {
          std::string hint;
          if (e.cast_to.kind == TypeKind::kTimestamp) hint = " (TO_TIMESTAMP parses a STRING)";
          return Error(e.loc, "cannot cast " + from.ToString() + " to " + e.cast_to.ToString() +
                                  hint);
        }
        return e.cast_to;
      }
      case ExprKind::kIn: {
        const Type& x = e.args[0]->type;
        bool ok = true;
        for (size_t i = 1; i < e.args.size(); ++i) {
          if (!CommonType(x, e.args[i]->type)) {
            Error(e.args[i]->loc, "IN list item " + std::to_string(i) + " has type " +
                                      e.args[i]->type.ToString() + ", not comparable with " +
                                      x.ToString());
            ok = false;
          }
        }
        if (!ok) return std::nullopt;
        return MakeType(TypeKind::kBoolean);
      }
      case ExprKind::kBetween: {
        const Type& x = e.args[0]->type;
        bool ok = true;
        for (size_t i = 1; i < 3; ++i) {
          if (!CommonType(x, e.args[i]->type)) {
            Error(e.args[i]->loc, "BETWEEN bound has type " + e.args[i]->type.ToString() +
                                      ", not comparable with " + x.ToString());
            ok = false;
          }
        }
        if (!ok) return std::nullopt;
        return MakeType(TypeKind::kBoolean);
      }
    }
    return std::nullopt;
  }

  std::optional<Type> Literal(Expr& e) {
    switch (e.literal_type.kind) {
      case TypeKind::kInt:
      case TypeKind::kBigint: {
        int64_t v = 0;
        const std::string& s = e.literal;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size()) {
          return Error(e.loc, "integer literal " + s + " is out of range for BIGINT");
        }
        const bool fits_int = v >= INT32_MIN && v <= INT32_MAX;
        e.literal_type = MakeType(fits_int ? TypeKind::kInt : TypeKind::kBigint);
        return e.literal_type;
      }
      case TypeKind::kDouble: {
        double v = std::strtod(e.literal.c_str(), nullptr);
        if (!std::isfinite(v)) {
          return Error(e.loc, "numeric literal " + e.literal + " is out of range for DOUBLE");
        }
        return e.literal_type;
      }
      case TypeKind::kTimestamp: {
        int64_t ms = 0;
        if (!dfc::fn::TryParseTimestamp(e.literal, &ms)) {
          return Error(e.op_loc, "invalid TIMESTAMP literal '" + e.literal +
                                     "': expected 'yyyy-MM-dd HH:mm:ss[.SSS]'");
        }
        return e.literal_type;
      }
      case TypeKind::kBoolean:
      case TypeKind::kString: return e.literal_type;
    }
    return std::nullopt;
  }

  std::optional<Type> Binary(Expr& e) {
    const Type& a = e.args[0]->type;
    const Type& b = e.args[1]->type;
    const std::string got = a.ToString() + " and " + b.ToString();
    const std::string& op = e.op;
    if (op == "+" || op == "-" || op == "*" || op == "/") {
      if (!a.IsNumeric() || !b.IsNumeric()) {
        return Error(e.op_loc, "operator '" + op + "' needs numeric operands, got " + got);
      }
      return CommonType(a, b);
    }
    if (op == "%") {
      if (!a.IsIntegral() || !b.IsIntegral()) {
        return Error(e.op_loc, "operator '%' needs INT or BIGINT operands, got " + got);
      }
      return CommonType(a, b);  // the wider operand's type: BIGINT % INT is BIGINT
    }
    if (op == "||") {
      if (a.kind != TypeKind::kString || b.kind != TypeKind::kString) {
        return Error(e.op_loc, "operator '||' needs STRING operands, got " + got);
      }
      return a;
    }
    if (op == "LIKE") {
      if (a.kind != TypeKind::kString || b.kind != TypeKind::kString) {
        return Error(e.op_loc, "operator 'LIKE' needs STRING operands, got " + got);
      }
      return MakeType(TypeKind::kBoolean);
    }
    if (op == "AND" || op == "OR") {
      if (a.kind != TypeKind::kBoolean || b.kind != TypeKind::kBoolean) {
        return Error(e.op_loc, "operator '" + op + "' needs BOOLEAN operands, got " + got);
      }
      return a;
    }
    // Comparisons.
    if (!CommonType(a, b)) {
      return Error(e.op_loc, "operator '" + op + "' cannot compare " + a.ToString() + " with " +
                                 b.ToString());
    }
    return MakeType(TypeKind::kBoolean);
  }

  std::optional<Type> Call(Expr& e) {
    const BuiltinFunction* f = FindBuiltinFunction(e.op);
    if (!f) {
      return Error(e.loc, "unknown function '" + e.op + "'" + DidYouMean(e.op, BuiltinNames()));
    }
    const int n = static_cast<int>(e.args.size());
    if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
      return Error(e.loc, "wrong number of arguments to " + e.op + ": got " + std::to_string(n) +
                              ", expected " + std::string(f->signature));
    }
    std::vector<Type> types;
    for (const auto& a : e.args) types.push_back(a->type);
    std::optional<Type> r = f->infer(types);
    if (!r) {
      std::string list;
      for (size_t i = 0; i < types.size(); ++i) list += (i ? ", " : "") + types[i].ToString();
      return Error(e.loc, "cannot apply " + e.op + " to (" + list + "): expected " +
                              std::string(f->signature));
    }
    return r;
  }

  std::optional<Type> Case(Expr& e) {
    if (!e.has_else) {
      return Error(e.loc, "CASE without ELSE is not supported: values are NOT NULL in v1");
    }
    bool ok = true;
    const size_t pairs = (e.args.size() - 1) / 2;
    std::optional<Type> result = e.args[1]->type;
    for (size_t i = 0; i < pairs; ++i) {
      const Expr& cond = *e.args[2 * i];
      if (cond.type.kind != TypeKind::kBoolean) {
        Error(cond.loc, "CASE condition must be BOOLEAN, got " + cond.type.ToString());
        ok = false;
      }
    }
    for (size_t i = 0; i <= pairs && result; ++i) {
      const Expr& branch = i < pairs ? *e.args[2 * i + 1] : *e.args.back();
      std::optional<Type> next = CommonType(*result, branch.type);
      if (!next) {
        Error(branch.loc, "CASE branches have incompatible types " + result->ToString() +
                              " and " + branch.type.ToString());
        return std::nullopt;
      }
      result = next;
    }
    if (!ok) return std::nullopt;
    return result;
  }

  const ir::Schema& schema_;
  Diagnostics& diags_;
};

}  // namespace

bool CanCast(const ir::Type& from, const ir::Type& to) {
  if (from == to || from.kind == TypeKind::kString || to.kind == TypeKind::kString) return true;
  // TIMESTAMP(3) converts only to and from STRING.
  return from.kind != TypeKind::kTimestamp && to.kind != TypeKind::kTimestamp;
}

bool TypeCheck(ir::Expr& e, const ir::Schema& schema, Diagnostics& diags) {
  Checker c(schema, diags);
  return c.Check(e);
}

}  // namespace dfc::compiler
