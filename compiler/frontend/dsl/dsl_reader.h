// The C++ DSL front-end: reads a job.cpp written against runtime/api/dfc/dsl.h into an ir::Graph.
//
// job.cpp is parsed with Clang LibTooling (C++20, -fsyntax-only). The builder calls in the function
// that declares the dfc::Job are read as a static description of the graph and turned into the
// same job document a user would write as job.json (see docs/DSL.md for the key-by-key mapping),
// with every value located in job.cpp; that document is lowered by the JSON front-end's
// ReadJobDocument, so both job formats share one lowering, one set of passes and one code
// generator. The user's own C++ declarations travel to codegen in Graph::document under the
// top-level key "cpp_prelude" (docs/DSL.md, "Contract with codegen").
//
// Errors are reported with job.cpp line:col: C++ compile errors in the file (nothing is lowered
// then), and misuse of the DSL that only dfc sees (a graph built in a loop, non-constant
// arguments, reduce without key_by, unsupported row field types...).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"
#include "compiler/support/json.h"

namespace dfc::compiler {

struct DslReadOptions {
  // Clang's resource directory (builtin headers); default fixed at build time.
  std::string resource_dir;
  // Where dfc/dsl.h lives; default: runtime/api as configured at build time, overridden by the
  // environment variable DFC_RUNTIME_INCLUDE (the toolchain's override for the same directory).
  std::vector<std::string> include_dirs;
  // More compiler arguments (e.g. -D, -I for the user's own headers).
  std::vector<std::string> extra_args;
};

DslReadOptions DefaultDslReadOptions();

// Parses `code` (the contents of `path`) and builds the job document, prelude included. nullptr
// when the file has errors (reported to diags); a returned document may still have reported
// errors of its own: check diags.HasErrors().
std::unique_ptr<json::Value> ReadDslDocument(const std::string& path, const std::string& code,
                                             const DslReadOptions& options, Diagnostics& diags);

// Reads the job file at `path`. nullptr when it could not be read or parsed; otherwise a graph as
// ReadJsonJob returns it (check diags.HasErrors()), whose document also holds "cpp_prelude".
std::unique_ptr<ir::Graph> ReadDslJob(const std::string& path, Diagnostics& diags);
std::unique_ptr<ir::Graph> ReadDslJob(const std::string& path, const DslReadOptions& options,
                                      Diagnostics& diags);

}  // namespace dfc::compiler
