// The JSON job front-end: reads a job file (format v1, JSON with comments) into an ir::Graph.
//
// It checks the document's shape — top-level keys, `name`, `config`, `types`, `nodes`,
// `dependencies` and the common node keys (id, op, input/inputs, name, uid, parallelism) — and
// reports every problem it finds, each with file:line:col and the JSON pointer of the offending
// value, before giving up. Op-specific parameters are kept untouched in Node::params (they point
// into Graph::document) for the verifier and later passes. Relative paths under `dependencies`
// (sources, headers, include_dirs, libraries that look like paths) are stored resolved against the job
// file's directory.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"
#include "compiler/support/json.h"

namespace dfc::compiler {

// Parses `text` (the contents of `file`). Returns the graph, or nullptr when the text is not
// valid JSON. A returned graph may still be incomplete: check diags.HasErrors().
std::unique_ptr<ir::Graph> ReadJsonJob(std::string_view text, const std::string& file,
                                       Diagnostics& diags);

// Same as ReadJsonJob, for a document another front-end built (the C++ DSL front-end builds the
// document a user would have written as job.json, with locations pointing into its own file).
// Never returns nullptr.
std::unique_ptr<ir::Graph> ReadJobDocument(std::unique_ptr<json::Value> doc,
                                           const std::string& file, Diagnostics& diags);

// The top-level keys of job format v1, in the order the documentation lists them.
const std::vector<std::string>& JobTopLevelKeys();

}  // namespace dfc::compiler
