// C++ emission of typed expressions (after TypeCheck). The result is one C++ expression over a
// row variable, e.g. `dfc::fn::Mul(static_cast<int64_t>(v.price), int64_t{2}) > int64_t{100}`.
//
// Contract:
//   - columns are `row_var.<CppIdentifier(field name)>`; string literals enter only through
//     CppStringLiteral; nothing else from the job reaches the code;
//   - C++ types: BOOLEAN bool, INT int32_t, BIGINT int64_t, DOUBLE double, STRING std::string,
//     TIMESTAMP(3) int64_t (epoch ms). A STRING-typed result is a std::string (owned), so it can
//     initialise a row field; inner string values may be std::string_view into temporaries that
//     live to the end of the full expression;
//   - the semantics are those of runtime/api/dfc/builtins.h (Flink's): integer arithmetic wraps,
//     integer division/modulo by zero throws std::runtime_error, casts never hit UB.
// The expression must have been type checked against `row_schema` (DFC_CHECK otherwise).
#pragma once

#include <string>
#include <string_view>

#include "compiler/ir/expr.h"
#include "compiler/ir/types.h"

namespace dfc::compiler {

std::string EmitExpr(const ir::Expr& e, const ir::Schema& row_schema, std::string_view row_var);

}  // namespace dfc::compiler
