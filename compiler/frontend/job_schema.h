// `dfc schema`: the JSON Schema (draft 2020-12) of job format v1, generated from the op catalogue
// (ops.def), the connector table and the known config keys (config_keys.def), so editors can
// validate and complete job.json files. The output is deterministic (catalogue order) and
// pretty-printed with two-space indentation; it ends with a newline.
//
// The schema describes shape only; what it cannot express (inputs naming existing nodes, acyclic
// graphs, declared type names) is the verifier's job.
#pragma once

#include <string>

namespace dfc::compiler {

std::string JobJsonSchema();

}  // namespace dfc::compiler
