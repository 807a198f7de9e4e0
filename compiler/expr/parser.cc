#include "compiler/expr/parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "compiler/expr/lexer.h"

namespace dfc::compiler {
namespace {

using expr::DescribeToken;
using expr::Token;
using expr::TokenKind;
using expr::Tokenize;

using ir::Expr;
using ir::ExprKind;
using ir::ExprPtr;

bool IsReserved(std::string_view upper) { return ir::IsReservedWord(upper); }

// Deep nesting would overflow the stack of the recursive descent.
constexpr int kMaxDepth = 200;

class Parser {
 public:
  Parser(std::vector<Token> tokens, const SourceLoc& string_loc, Diagnostics& diags)
      : toks_(std::move(tokens)), loc_(string_loc), diags_(diags) {}

  ExprPtr ParseWhole() {
    ExprPtr e = ParseOr();
    if (!e) return nullptr;
    if (Peek().kind != TokenKind::kEnd) return Fail(Peek(), "unexpected " + DescribeToken(Peek()) +
                                                                 " after expression");
    return e;
  }

  // For projections: an expression, optionally followed by AS name.
  ExprPtr ParseOrForProjection() { return ParseOr(); }

  const Token& Peek(int ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  Token Next() {
    Token t = Peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool IsKeyword(const Token& t, std::string_view kw) const {
    return t.kind == TokenKind::kIdent && absl::AsciiStrToUpper(t.text) == kw;
  }
  bool AcceptKeyword(std::string_view kw) {
    if (!IsKeyword(Peek(), kw)) return false;
    Next();
    return true;
  }
  bool IsOp(const Token& t, std::string_view op) const {
    return t.kind == TokenKind::kOp && t.text == op;
  }
  bool AcceptOp(std::string_view op) {
    if (!IsOp(Peek(), op)) return false;
    Next();
    return true;
  }
  SourceLoc At(const Token& t) const { return loc_.Shifted(t.offset); }

  std::nullptr_t Fail(const Token& t, std::string msg) {
    if (!failed_) diags_.Error(At(t), std::move(msg));
    failed_ = true;
    return nullptr;
  }
  bool ExpectOp(std::string_view op, std::string_view context) {
    if (AcceptOp(op)) return true;
    Fail(Peek(), "expected '" + std::string(op) + "' " + std::string(context) + ", found " +
                     DescribeToken(Peek()));
    return false;
  }
  bool ExpectKeyword(std::string_view kw, std::string_view context) {
    if (AcceptKeyword(kw)) return true;
    Fail(Peek(), "expected " + std::string(kw) + " " + std::string(context) + ", found " +
                     DescribeToken(Peek()));
    return false;
  }

  // Reads a column name after AS: a non-reserved identifier or a back-quoted one.
  bool ParseName(std::string& name) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kQuotedIdent ||
        (t.kind == TokenKind::kIdent && !IsReserved(absl::AsciiStrToUpper(t.text)))) {
      name = Next().text;
      return true;
    }
    Fail(t, "expected a column name after AS, found " + DescribeToken(t));
    return false;
  }

 private:
  struct DepthGuard {
    explicit DepthGuard(int& d) : d_(d) { ++d_; }
    ~DepthGuard() { --d_; }
    int& d_;
  };

  ExprPtr MakeBinary(std::string op, const Token& op_tok, ExprPtr l, ExprPtr r) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kBinary;
    e->op = std::move(op);
    e->loc = l->loc;
    e->op_loc = At(op_tok);
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }

  ExprPtr ParseOr() {
    DepthGuard g(depth_);
    if (depth_ > kMaxDepth) return Fail(Peek(), "expression nested too deeply");
    ExprPtr l = ParseAnd();
    while (l && IsKeyword(Peek(), "OR")) {
      Token op = Next();
      ExprPtr r = ParseAnd();
      if (!r) return nullptr;
      l = MakeBinary("OR", op, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr ParseAnd() {
    ExprPtr l = ParseNot();
    while (l && IsKeyword(Peek(), "AND")) {
      Token op = Next();
      ExprPtr r = ParseNot();
      if (!r) return nullptr;
      l = MakeBinary("AND", op, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr ParseNot() {
    if (IsKeyword(Peek(), "NOT")) {
      DepthGuard g(depth_);
      if (depth_ > kMaxDepth) return Fail(Peek(), "expression nested too deeply");
      Token op = Next();
      ExprPtr operand = ParseNot();
      if (!operand) return nullptr;
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kUnary;
      e->op = "NOT";
      e->loc = At(op);
      e->op_loc = At(op);
      e->args.push_back(std::move(operand));
      return e;
    }
    return ParseComparison();
  }

  static bool IsComparisonOp(const Token& t) {
    if (t.kind != TokenKind::kOp) return false;
    return t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" ||
           t.text == "<=" || t.text == ">" || t.text == ">=";
  }

  ExprPtr ParseComparison() {
    ExprPtr l = ParsePredicate();
    if (!l || !IsComparisonOp(Peek())) return l;
    Token op = Next();
    ExprPtr r = ParsePredicate();
    if (!r) return nullptr;
    if (IsComparisonOp(Peek())) {
      return Fail(Peek(), "comparison operators do not chain: combine comparisons with AND");
    }
    // `!=` is accepted as Flink does; the canonical form is `<>`.
    return MakeBinary(op.text == "!=" ? "<>" : op.text, op, std::move(l), std::move(r));
  }

  ExprPtr ParsePredicate() {
    ExprPtr l = ParseAdditive();
    if (!l) return nullptr;
    bool negated = false;
    Token not_tok;
    if (IsKeyword(Peek(), "NOT") &&
        (IsKeyword(Peek(1), "BETWEEN") || IsKeyword(Peek(1), "IN") || IsKeyword(Peek(1), "LIKE"))) {
      not_tok = Next();
      negated = true;
    }
    if (IsKeyword(Peek(), "BETWEEN")) {
      Token op = Next();
      // Flink's default is ASYMMETRIC; SYMMETRIC is not supported.
      AcceptKeyword("ASYMMETRIC");
      if (IsKeyword(Peek(), "SYMMETRIC")) return Fail(Peek(), "BETWEEN SYMMETRIC is not supported");
      ExprPtr lo = ParseAdditive();
      if (!lo || !ExpectKeyword("AND", "in BETWEEN")) return nullptr;
      ExprPtr hi = ParseAdditive();
      if (!hi) return nullptr;
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kBetween;
      e->negated = negated;
      e->loc = l->loc;
      e->op_loc = At(negated ? not_tok : op);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(lo));
      e->args.push_back(std::move(hi));
      return e;
    }
    if (IsKeyword(Peek(), "IN")) {
      Token op = Next();
      if (!ExpectOp("(", "after IN")) return nullptr;
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kIn;
      e->negated = negated;
      e->loc = l->loc;
      e->op_loc = At(negated ? not_tok : op);
      e->args.push_back(std::move(l));
      do {
        ExprPtr item = ParseOr();
        if (!item) return nullptr;
        e->args.push_back(std::move(item));
      } while (AcceptOp(","));
      if (!ExpectOp(")", "to close the IN list")) return nullptr;
      return e;
    }
    if (IsKeyword(Peek(), "LIKE")) {
      Token op = Next();
      ExprPtr pattern = ParseAdditive();
      if (!pattern) return nullptr;
      if (IsKeyword(Peek(), "ESCAPE")) return Fail(Peek(), "LIKE ... ESCAPE is not supported");
      ExprPtr e = MakeBinary("LIKE", negated ? not_tok : op, std::move(l), std::move(pattern));
      e->negated = negated;
      return e;
    }
    if (IsKeyword(Peek(), "IS")) {
      return Fail(Peek(), "IS [NOT] NULL is not supported: values are NOT NULL in v1");
    }
    return l;
  }

  ExprPtr ParseAdditive() {
    ExprPtr l = ParseMultiplicative();
    while (l && (IsOp(Peek(), "+") || IsOp(Peek(), "-") || IsOp(Peek(), "||"))) {
      Token op = Next();
      ExprPtr r = ParseMultiplicative();
      if (!r) return nullptr;
      l = MakeBinary(op.text, op, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr ParseMultiplicative() {
    ExprPtr l = ParseUnary();
    while (l && (IsOp(Peek(), "*") || IsOp(Peek(), "/") || IsOp(Peek(), "%"))) {
      Token op = Next();
      ExprPtr r = ParseUnary();
      if (!r) return nullptr;
      l = MakeBinary(op.text, op, std::move(l), std::move(r));
    }
    return l;
  }

  ExprPtr ParseUnary() {
    if (IsOp(Peek(), "-") || IsOp(Peek(), "+")) {
      DepthGuard g(depth_);
      if (depth_ > kMaxDepth) return Fail(Peek(), "expression nested too deeply");
      Token op = Next();
      const Token& t = Peek();
      if (t.kind == TokenKind::kInteger || t.kind == TokenKind::kDecimal) {
        // A sign directly before a number is part of the literal (as in Calcite).
        ExprPtr lit = ParsePrimary();
        if (!lit) return nullptr;
        if (op.text == "-") lit->literal = "-" + lit->literal;
        lit->loc = At(op);
        return lit;
      }
      ExprPtr operand = ParseUnary();
      if (!operand) return nullptr;
      if (op.text == "+") return operand;
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kUnary;
      e->op = "-";
      e->loc = At(op);
      e->op_loc = At(op);
      e->args.push_back(std::move(operand));
      return e;
    }
    return ParsePrimary();
  }

  ExprPtr Literal(const Token& t, ir::TypeKind kind, std::string text) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kLiteral;
    e->loc = At(t);
    e->op_loc = At(t);
    e->literal = std::move(text);
    e->literal_type.kind = kind;
    return e;
  }

  ExprPtr ParsePrimary() {
    const Token t = Peek();
    switch (t.kind) {
      case TokenKind::kInteger:
        Next();
        // INT vs BIGINT is decided by the type checker from the value.
        return Literal(t, ir::TypeKind::kInt, t.text);
      case TokenKind::kDecimal:
        Next();
        // Flink types 1.5 as DECIMAL; dfc has no DECIMAL, so every non-integer literal is DOUBLE.
        return Literal(t, ir::TypeKind::kDouble, t.text);
      case TokenKind::kString:
        Next();
        return Literal(t, ir::TypeKind::kString, t.text);
      case TokenKind::kQuotedIdent:
        Next();
        return Column(t);
      case TokenKind::kOp:
        if (t.text == "(") {
          Next();
          ExprPtr e = ParseOr();
          if (!e || !ExpectOp(")", "to close '('")) return nullptr;
          return e;
        }
        if (t.text == ")" ) return Fail(t, "unexpected ')'");
        return Fail(t, "expected an expression, found " + DescribeToken(t));
      case TokenKind::kEnd:
        return Fail(t, "unexpected end of expression");
      case TokenKind::kIdent:
        break;
    }
    const std::string upper = absl::AsciiStrToUpper(t.text);
    if (upper == "TRUE" || upper == "FALSE") {
      Next();
      return Literal(t, ir::TypeKind::kBoolean, upper);
    }
    if (upper == "NULL") return Fail(t, "NULL is not supported: values are NOT NULL in v1");
    if (upper == "TIMESTAMP" && Peek(1).kind == TokenKind::kString) {
      Next();
      Token s = Next();
      ExprPtr e = Literal(t, ir::TypeKind::kTimestamp, s.text);
      e->op_loc = At(s);
      return e;
    }
    if (upper == "CASE") return ParseCase();
    if (upper == "CAST") return ParseCast();
    if (IsOp(Peek(1), "(")) return ParseCall();
    if (IsReserved(upper)) {
      // A column named like a keyword must be back-quoted: `end`.
      return Fail(t, "expected an expression, found keyword " + upper);
    }
    Next();
    return Column(t);
  }

  ExprPtr Column(const Token& t) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kColumn;
    e->name = t.text;
    e->loc = At(t);
    e->op_loc = At(t);
    return e;
  }

  ExprPtr ParseCase() {
    Token case_tok = Next();
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kCase;
    e->loc = At(case_tok);
    e->op_loc = At(case_tok);
    ExprPtr subject;  // simple CASE: `CASE x WHEN v ...` compares x = v
    if (!IsKeyword(Peek(), "WHEN")) {
      subject = ParseOr();
      if (!subject) return nullptr;
    }
    if (!IsKeyword(Peek(), "WHEN")) {
      return Fail(Peek(), "expected WHEN in CASE, found " + DescribeToken(Peek()));
    }
    while (IsKeyword(Peek(), "WHEN")) {
      Token when = Next();
      ExprPtr cond = ParseOr();
      if (!cond) return nullptr;
      if (subject) {
        auto eq = std::make_unique<Expr>();
        eq->kind = ExprKind::kBinary;
        eq->op = "=";
        eq->loc = subject->loc;
        eq->op_loc = At(when);
        eq->args.push_back(CloneExpr(*subject));
        eq->args.push_back(std::move(cond));
        cond = std::move(eq);
      }
      if (!ExpectKeyword("THEN", "after the WHEN condition")) return nullptr;
      ExprPtr then = ParseOr();
      if (!then) return nullptr;
      e->args.push_back(std::move(cond));
      e->args.push_back(std::move(then));
    }
    if (AcceptKeyword("ELSE")) {
      ExprPtr els = ParseOr();
      if (!els) return nullptr;
      e->args.push_back(std::move(els));
      e->has_else = true;
    }
    if (!ExpectKeyword("END", "to close CASE")) return nullptr;
    return e;
  }

  ExprPtr ParseCast() {
    Token cast_tok = Next();
    if (!ExpectOp("(", "after CAST")) return nullptr;
    ExprPtr operand = ParseOr();
    if (!operand || !ExpectKeyword("AS", "in CAST")) return nullptr;
    Token type_tok = Peek();
    if (type_tok.kind != TokenKind::kIdent) {
      return Fail(type_tok, "expected a type name in CAST, found " + DescribeToken(type_tok));
    }
    Next();
    std::string type_text = type_tok.text;
    if (IsOp(Peek(), "(")) {
      Next();
      if (Peek().kind != TokenKind::kInteger) {
        return Fail(Peek(), "expected a number in the type's parentheses, found " +
                                DescribeToken(Peek()));
      }
      type_text += "(" + Next().text + ")";
      if (!ExpectOp(")", "after the type's length/precision")) return nullptr;
    }
    std::optional<ir::Type> type = ir::ParseType(type_text);
    if (!type) {
      static const std::vector<std::string> kTypeNames = {
          "BOOLEAN", "INT", "INTEGER", "BIGINT", "DOUBLE", "STRING", "VARCHAR", "TIMESTAMP"};
      return Fail(type_tok, "unknown type '" + type_text + "'" +
                                DidYouMean(absl::AsciiStrToUpper(type_tok.text), kTypeNames) +
                                "; types: BOOLEAN, INT, BIGINT, DOUBLE, STRING, TIMESTAMP(3)");
    }
    if (!ExpectOp(")", "to close CAST")) return nullptr;
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kCast;
    e->loc = At(cast_tok);
    e->op_loc = At(type_tok);
    e->cast_to = *type;
    e->args.push_back(std::move(operand));
    return e;
  }

  ExprPtr ParseCall() {
    Token name = Next();
    Next();  // '('
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kCall;
    e->op = absl::AsciiStrToUpper(name.text);
    e->loc = At(name);
    e->op_loc = At(name);
    if (e->op == "SUBSTR") e->op = "SUBSTRING";
    if (e->op == "CHARACTER_LENGTH") e->op = "CHAR_LENGTH";
    if (e->op == "CEILING") e->op = "CEIL";
    if (e->op == "POSITION") {
      // POSITION(needle IN haystack): the needle is parsed below IN's precedence.
      ExprPtr needle = ParseAdditive();
      if (!needle || !ExpectKeyword("IN", "in POSITION(substring IN string)")) return nullptr;
      ExprPtr hay = ParseOr();
      if (!hay || !ExpectOp(")", "to close POSITION")) return nullptr;
      e->args.push_back(std::move(needle));
      e->args.push_back(std::move(hay));
      return e;
    }
    if (e->op == "EXTRACT") {
      Token unit = Peek();
      std::string u = absl::AsciiStrToUpper(unit.text);
      if (unit.kind != TokenKind::kIdent ||
          (u != "YEAR" && u != "MONTH" && u != "DAY" && u != "HOUR" && u != "MINUTE" &&
           u != "SECOND")) {
        return Fail(unit, "expected YEAR, MONTH, DAY, HOUR, MINUTE or SECOND in EXTRACT, found " +
                              DescribeToken(unit));
      }
      Next();
      if (!ExpectKeyword("FROM", "in EXTRACT(unit FROM timestamp)")) return nullptr;
      ExprPtr ts = ParseOr();
      if (!ts || !ExpectOp(")", "to close EXTRACT")) return nullptr;
      e->op = u == "DAY" ? "DAYOFMONTH" : u;
      e->args.push_back(std::move(ts));
      return e;
    }
    if (AcceptOp(")")) return e;
    do {
      ExprPtr arg = ParseOr();
      if (!arg) return nullptr;
      e->args.push_back(std::move(arg));
      if (e->op == "SUBSTRING" && e->args.size() == 1 && AcceptKeyword("FROM")) {
        ExprPtr start = ParseOr();
        if (!start) return nullptr;
        e->args.push_back(std::move(start));
        if (AcceptKeyword("FOR")) {
          ExprPtr len = ParseOr();
          if (!len) return nullptr;
          e->args.push_back(std::move(len));
        }
        break;
      }
    } while (AcceptOp(","));
    if (!ExpectOp(")", "to close the argument list of " + e->op)) return nullptr;
    return e;
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  SourceLoc loc_;
  Diagnostics& diags_;
  bool failed_ = false;
  int depth_ = 0;
};

}  // namespace

ir::ExprPtr CloneExpr(const ir::Expr& e) {
  auto c = std::make_unique<ir::Expr>();
  c->kind = e.kind;
  c->loc = e.loc;
  c->op = e.op;
  c->name = e.name;
  c->column_index = e.column_index;
  c->literal_null = e.literal_null;
  c->literal = e.literal;
  c->literal_type = e.literal_type;
  c->op_loc = e.op_loc;
  c->cast_to = e.cast_to;
  c->has_else = e.has_else;
  c->negated = e.negated;
  c->type = e.type;
  c->typed = e.typed;
  for (const auto& a : e.args) c->args.push_back(CloneExpr(*a));
  return c;
}

ir::ExprPtr ParseExpr(std::string_view text, const SourceLoc& string_loc, Diagnostics& diags) {
  std::vector<Token> tokens;
  if (!Tokenize(text, string_loc, diags, tokens)) return nullptr;
  Parser p(std::move(tokens), string_loc, diags);
  return p.ParseWhole();
}

std::optional<ir::Projection> ParseProjection(std::string_view text, const SourceLoc& string_loc,
                                              int ordinal, Diagnostics& diags) {
  std::vector<Token> tokens;
  if (!Tokenize(text, string_loc, diags, tokens)) return std::nullopt;
  Parser p(std::move(tokens), string_loc, diags);
  ir::ExprPtr e = p.ParseOrForProjection();
  if (!e) return std::nullopt;
  ir::Projection proj;
  proj.loc = string_loc;
  if (p.AcceptKeyword("AS")) {
    if (!p.ParseName(proj.name)) return std::nullopt;
  } else if (e->kind == ExprKind::kColumn) {
    proj.name = e->name;
  } else {
    proj.name = "EXPR$" + std::to_string(ordinal);
  }
  if (p.Peek().kind != TokenKind::kEnd) {
    std::string hint = p.Peek().kind == TokenKind::kIdent ? " (missing AS before the name?)" : "";
    p.Fail(p.Peek(), "unexpected " + DescribeToken(p.Peek()) + " after expression" + hint);
    return std::nullopt;
  }
  proj.expr = std::move(e);
  return proj;
}

}  // namespace dfc::compiler
