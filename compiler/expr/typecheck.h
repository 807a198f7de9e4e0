// Type checking of expressions against a row schema, with Flink SQL's typing rules:
//   - columns resolve by exact (case-sensitive) name; an unknown one is an error with a
//     "did you mean" over the schema's field names, located at the column token;
//   - integer literals are INT when they fit in 32 bits, else BIGINT; other numbers are DOUBLE;
//   - + - * / : numeric operands, result = common type (INT < BIGINT < DOUBLE); `/` on two
//     integers is integer division; `%` (= MOD) needs integers and has the divisor's type;
//   - comparisons, IN, BETWEEN: operands of a common type (numeric with numeric, else equal
//     types); AND/OR/NOT: BOOLEAN; `||` and LIKE: STRING;
//   - CASE / IF / COALESCE / GREATEST / LEAST: common type of the results; CASE needs ELSE
//     (values are NOT NULL in v1);
//   - CAST: between all types except TIMESTAMP(3) <-> BOOLEAN/INT/BIGINT/DOUBLE (as Flink 1.15+:
//     there is no implicit epoch unit; TO_TIMESTAMP parses strings).
//   - built-in functions: see functions.h.
// Every error found is reported; an erroneous subexpression does not cause follow-up errors in
// the expressions around it.
#pragma once

#include "compiler/ir/expr.h"
#include "compiler/ir/types.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

// Resolves columns (Expr::column_index) and sets Expr::type / typed on every node of `e`.
// Returns true when the whole tree typed without errors.
bool TypeCheck(ir::Expr& e, const ir::Schema& schema, Diagnostics& diags);

// Whether CAST(from AS to) is supported.
bool CanCast(const ir::Type& from, const ir::Type& to);

}  // namespace dfc::compiler
