// Canonical SQL text of expressions: fully parenthesized operators, upper-case keywords and
// function names, single-quoted strings ('' escapes), back-quoted column names where needed.
// Parsing the text again gives the same tree (and the same text).
#include "compiler/ir/expr.h"

#include <array>

namespace dfc::compiler::ir {
namespace {

bool IsPlainIdentifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s) {
    if (!start(c) && !(c >= '0' && c <= '9') && c != '$') return false;
  }
  return !IsReservedWord(s);
}

std::string QuoteName(std::string_view name) {
  if (IsPlainIdentifier(name)) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

std::string QuoteString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

bool IsReservedWord(std::string_view word) {
  static constexpr std::array<std::string_view, 17> kWords = {
      "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "CASE", "WHEN", "THEN",
      "ELSE", "END", "CAST", "AS", "TRUE", "FALSE", "NULL", "IS"};
  if (word.size() > 7) return false;
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (std::string_view w : kWords) {
    if (w == upper) return true;
  }
  return false;
}

std::string Expr::ToString() const {
  auto arg = [this](size_t i) { return i < args.size() && args[i] ? args[i]->ToString() : "?"; };
  switch (kind) {
    case ExprKind::kLiteral:
      if (literal_null) return "NULL";
      switch (literal_type.kind) {
        case TypeKind::kString: return QuoteString(literal);
        case TypeKind::kTimestamp: return "TIMESTAMP " + QuoteString(literal);
        default: return literal;
      }
    case ExprKind::kColumn: return QuoteName(name);
    case ExprKind::kUnary: {
      if (op == "NOT") return "(NOT " + arg(0) + ")";
      std::string a = arg(0);
      return "(" + op + (a.rfind('-', 0) == 0 ? " " : "") + a + ")";
    }
    case ExprKind::kBinary:
      return "(" + arg(0) + (negated ? " NOT " : " ") + op + " " + arg(1) + ")";
    case ExprKind::kCall: {
      if (op == "POSITION" && args.size() == 2) return "POSITION(" + arg(0) + " IN " + arg(1) + ")";
      std::string out = op + "(";
      for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case ExprKind::kCase: {
      std::string out = "CASE";
      const size_t pairs = (args.size() - (has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) out += " WHEN " + arg(2 * i) + " THEN " + arg(2 * i + 1);
      if (has_else) out += " ELSE " + arg(args.size() - 1);
      return out + " END";
    }
    case ExprKind::kCast: return "CAST(" + arg(0) + " AS " + cast_to.ToString() + ")";
    case ExprKind::kIn: {
      std::string out = "(" + arg(0) + (negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < args.size(); ++i) out += (i > 1 ? ", " : "") + arg(i);
      return out + "))";
    }
    case ExprKind::kBetween:
      return "(" + arg(0) + (negated ? " NOT BETWEEN " : " BETWEEN ") + arg(1) + " AND " + arg(2) +
             ")";
  }
  return "?";
}

}  // namespace dfc::compiler::ir
