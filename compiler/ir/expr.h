// Expression AST for the SQL-style expressions of the job format:
//   filter `where`, select `columns`, key expressions, aggregates (later).
// Grammar (precedence low to high): OR, AND, NOT, comparison (= <> != < <= > >= , IS [NOT] NULL
// is not supported in v1), BETWEEN/IN/LIKE, + - ||, * / %, unary -, primary (literal, column,
// function call, CASE, CAST(x AS T), parentheses). Identifiers are case-sensitive column names;
// keywords and function names are case-insensitive. String literals use single quotes ('' escapes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/types.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::ir {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  kLiteral,  // literal_type + literal text/value
  kColumn,   // name -> column_index after type checking
  kUnary,    // op: "-", "NOT"
  kBinary,   // op: "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "LIKE"
  kCall,     // name (upper-cased) + args; built-in functions
  kCase,     // args = [when1, then1, when2, then2, ..., else?]; has_else
  kCast,     // args[0], cast_to
  kIn,       // args[0] IN (args[1..])
  kBetween,  // args[0] BETWEEN args[1] AND args[2]
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceLoc loc;       // where the expression starts (points into job.json)
  std::string op;      // operator or function name (upper case)
  std::string name;    // column name (kColumn)
  int column_index = -1;
  // Literals: type and value. Strings hold the decoded bytes; numbers their text.
  bool literal_null = false;
  std::string literal;
  Type literal_type;   // kLiteral: BOOLEAN ("TRUE"/"FALSE"), INT/BIGINT/DOUBLE (text), STRING,
                       // TIMESTAMP(3) (literal = the quoted text of TIMESTAMP '...')
  SourceLoc op_loc;    // the operator / keyword token (binary, unary, IN, BETWEEN, LIKE, CAST's
                       // type); diagnostics about the operator point here
  Type cast_to;
  bool has_else = false;
  bool negated = false;  // NOT IN / NOT BETWEEN / NOT LIKE
  std::vector<ExprPtr> args;

  Type type;            // set by type checking
  bool typed = false;

  std::string ToString() const;  // canonical SQL text (fully parenthesized), for the IR printer
};

// True for the words that cannot be unquoted column names (AND OR NOT IN BETWEEN LIKE CASE WHEN
// THEN ELSE END CAST AS TRUE FALSE NULL IS), compared case-insensitively. Such names are written
// back-quoted: `end`.
bool IsReservedWord(std::string_view word);

}  // namespace dfc::compiler::ir
