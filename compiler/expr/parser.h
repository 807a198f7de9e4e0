// Recursive-descent parser for the SQL expression language of the job format: filter `where`,
// select `columns` / `add` projections. The grammar and node kinds are in compiler/ir/expr.h.
//
// Locations: `string_loc` is the location of the JSON string's opening quote; every node's loc
// (and op_loc) is `string_loc.Shifted(offset)` of its token, so errors point into the string.
// (Offsets are in the decoded string: a JSON escape before the token shifts the column.)
//
// Accepted beyond the core grammar (all desugar to the node kinds of expr.h; ToString prints the
// canonical form):
//   - a `-` directly before a number literal is part of the literal (`-2147483648` is an INT);
//   - `TIMESTAMP 'yyyy-MM-dd HH:mm:ss[.SSS]'` literals;
//   - `CASE x WHEN v THEN r ... END` (simple CASE) becomes `CASE WHEN x = v THEN r ... END`;
//   - `SUBSTRING(s FROM a [FOR b])` = `SUBSTRING(s, a[, b])`, `POSITION(a IN b)`,
//     `EXTRACT(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND FROM ts)` = `YEAR(ts)` ... `SECOND(ts)`;
//   - back-quoted identifiers `` `my col` `` for column names that are keywords or not plain.
// Parsing stops at the first syntax error, which is reported to `diags`; the result is then null.
#pragma once

#include <optional>
#include <string_view>

#include "compiler/ir/expr.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler {

// Parses a whole expression. Returns null after reporting a syntax error.
ir::ExprPtr ParseExpr(std::string_view text, const SourceLoc& string_loc, Diagnostics& diags);

// Parses one projection `expr [AS name]`. The output name is, in order: the AS name; the column
// name for a bare column reference; otherwise `EXPR$<ordinal>` (Flink/Calcite's auto name: the
// 0-based position of the projection in its select list). Projection::loc = string_loc.
// Returns nullopt after reporting a syntax error.
std::optional<ir::Projection> ParseProjection(std::string_view text, const SourceLoc& string_loc,
                                              int ordinal, Diagnostics& diags);

// Deep copy of an expression tree (types and resolved columns included).
ir::ExprPtr CloneExpr(const ir::Expr& e);

}  // namespace dfc::compiler
