// Lexer for the SQL expression language of the job format (see compiler/ir/expr.h for the
// grammar). Turns one expression string into tokens, each with its byte offset in the string so
// diagnostics can point into the JSON string (`SourceLoc::Shifted(offset)`).
//
// Tokens: identifiers (letters, digits, `_`, `$`; or back-quoted `` `any text` `` with `` `` ``
// as the escape), integer and decimal/scientific numbers, single-quoted strings (`''` escapes a
// quote), and the operators `+ - * / % || = <> != < <= > >= ( ) ,`. Keywords are identifiers;
// the parser recognises them case-insensitively. The first lexical error is reported to `diags`
// and lexing stops (Tokenize returns false).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostics.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::expr {

enum class TokenKind {
  kIdent,         // text = the name (back-quotes removed, `` `` `` decoded)
  kQuotedIdent,   // a back-quoted identifier: never a keyword
  kInteger,       // text = digits
  kDecimal,       // text = literal as written (has '.' or an exponent)
  kString,        // text = decoded bytes
  kOp,            // text = the operator
  kEnd,           // end of input
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  int offset = 0;  // byte offset of the token's first character in the expression string
};

// Splits `text` into tokens ending with one kEnd token. On a lexical error (unterminated string,
// unexpected character, malformed number) reports it at `string_loc.Shifted(offset)` and
// returns false.
bool Tokenize(std::string_view text, const SourceLoc& string_loc, Diagnostics& diags,
              std::vector<Token>& out);

// How a token reads in a diagnostic: `'abc'` for strings, `end of expression` for kEnd, else the
// text in quotes.
std::string DescribeToken(const Token& t);

}  // namespace dfc::compiler::expr
