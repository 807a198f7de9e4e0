#include "compiler/frontend/dsl/dsl_reader.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "compiler/frontend/dsl/dsl_document.h"
#include "compiler/frontend/job_reader.h"

namespace dfc::compiler {

DslReadOptions DefaultDslReadOptions() {
  DslReadOptions o;
  o.resource_dir = DFC_CLANG_RESOURCE_DIR;
  // The same override the toolchain honours for compiling generated code.
  const char* api = std::getenv("DFC_RUNTIME_INCLUDE");
  o.include_dirs.push_back(api && *api ? api : DFC_RUNTIME_API_DIR);
  return o;
}

std::unique_ptr<ir::Graph> ReadDslJob(const std::string& path, Diagnostics& diags) {
  return ReadDslJob(path, DefaultDslReadOptions(), diags);
}

std::unique_ptr<ir::Graph> ReadDslJob(const std::string& path, const DslReadOptions& options,
                                      Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error(SourceLoc{path, 0, 0, ""}, "cannot read the job file");
    return nullptr;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const int errors_before = diags.num_errors();
  std::unique_ptr<json::Value> doc = ReadDslDocument(path, ss.str(), options, diags);
  // A partial graph (a node dropped for a non-constant id...) would only add follow-on errors.
  if (!doc || diags.num_errors() > errors_before) return nullptr;
  // The prelude is not a key of the JSON job format: the shared lowering must not see it (it
  // rejects unknown keys); it rides along in the graph's document for codegen.
  std::unique_ptr<json::Value> prelude;
  for (auto it = doc->members.begin(); it != doc->members.end(); ++it) {
    if (it->key == dsl::kPreludeKey) {
      prelude = std::move(it->value);
      doc->members.erase(it);
      break;
    }
  }
  std::unique_ptr<ir::Graph> g = ReadJobDocument(std::move(doc), path, diags);
  if (g && prelude && g->document) {
    // Appending keeps every Node::params pointer valid: members own their values by pointer.
    SourceLoc loc = prelude->loc;
    dsl::AddMember(*g->document, dsl::kPreludeKey, loc, std::move(prelude));
  }
  return g;
}

}  // namespace dfc::compiler
