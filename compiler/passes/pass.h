// The pass interface. Every stage of the compiler after the front-end is a plain function over the
// IR, listed once in the registry (passes/registry.cc) so the driver gets --print-after=PASS,
// --stop-after=PASS and --time-passes for free.
//
// User errors go to ctx.diags (with locations), and a pass keeps going where it safely can, so
// one run reports everything; the driver stops after a pass that reported errors. The returned
// Status is for internal failures only.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

struct PassContext {
  Diagnostics* diags = nullptr;
};

using PassFn = absl::Status (*)(ir::Graph&, PassContext&);

struct PassInfo {
  const char* name;         // e.g. "verify"; used by --print-after
  const char* description;  // one line for --help
  PassFn fn;
};

// verify -> infer-types -> assign-uids -> partition -> chain, in order.
const std::vector<PassInfo>& PassPipeline();

absl::Status Verify(ir::Graph& g, PassContext& ctx);       // passes/verify.cc
absl::Status InferTypes(ir::Graph& g, PassContext& ctx);   // passes/infer_types.cc
absl::Status AssignUids(ir::Graph& g, PassContext& ctx);   // passes/assign_uids.cc
absl::Status Partition(ir::Graph& g, PassContext& ctx);    // passes/partition.cc
absl::Status Chain(ir::Graph& g, PassContext& ctx);        // passes/chain.cc

}  // namespace dfc::compiler
