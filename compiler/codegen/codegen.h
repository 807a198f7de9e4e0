// codegen: turns a planned ir::Graph (after the chain pass) into one C++ translation unit.
//
// Shape of the output (see docs/CODEGEN.md):
//   * one struct per row type, plus its dfc::rt::RowDesc (formats live in the runtime library);
//   * one class per chain: a dfc::rt::SourceTask (source head) or dfc::rt::OperatorTask; each
//     operator of the chain is a member function calling the next one directly, so the C++
//     compiler inlines the whole chain — no virtual call or queue inside a chain;
//   * the job's description (vertices, edges, config) as constant tables (dfc/job_table.h) and a
//     `main` that passes them to dfc::rt::RunJobMain.
//
// Safety: user strings enter the output only through CppStringLiteral (data) or CppIdentifier
// (names); user C++ code (UDF lambdas) is placed verbatim behind `#line` directives that point
// back into the job file, so compiler errors in a UDF are reported at the job's line.
// Determinism: the output depends only on the IR and the dfc version.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

// Generated C++ for `g`. User errors found while generating (e.g. a `values` row of the wrong
// type) go to `diags`; the result is then unusable.
absl::StatusOr<std::string> GenerateCpp(const ir::Graph& g, Diagnostics& diags);

}  // namespace dfc::compiler
