// The compiler's stages, in order, as the driver runs them:
//   load (JSON or C++ DSL front-end) -> passes (verify, infer-types, assign-uids, partition, chain;
//   see passes/registry.cc) -> codegen -> toolchain.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

// Reads a job: `.cpp` files with the C++ DSL front-end, anything else as JSON. nullptr on errors
// (reported to diags).
std::unique_ptr<ir::Graph> LoadJob(const std::string& path, Diagnostics& diags);

struct PassOptions {
  std::string print_after;  // pass name, or "all": print the IR after it to `dump`
  std::string stop_after;   // pass name: stop after it
  bool time_passes = false; // per-pass wall time to stderr
};

// Runs the pass pipeline. Returns false when a pass reported errors (or failed internally; that is
// reported to diags as an internal error too).
bool RunPasses(ir::Graph& g, const PassOptions& opts, Diagnostics& diags, std::ostream& dump);

}  // namespace dfc::compiler
