// partition: resolves each node's parallelism and the partitioning of every edge.
//
// Parallelism stays symbolic where the job did not fix it: 0 means "the job default", which the
// executable resolves at run time (--parallelism, -D parallelism.default), so one artifact runs at
// any parallelism. Two nodes therefore have "the same parallelism" when both are default or both
// fix the same number.
//
// Edges: into a key_by or keyed window node -> HASH on the key fields; between nodes of the same
// parallelism -> FORWARD; otherwise REBALANCE (round-robin), as Flink does when parallelism
// changes. A window without a key runs at parallelism 1 (everything reaches its one subtask).
#include "compiler/passes/pass.h"

namespace dfc::compiler {

namespace {

bool IsNonParallelSource(const ir::Node& n) {
  return n.op == "source" && n.StrParam("connector") == "values";
}

// A window without a key (Flink's windowAll) sees the whole stream: one subtask.

bool IsWindowOp(const ir::Node& n) {
  return n.op == "window_aggregate" || n.op == "window_reduce" || n.op == "window_process";
}
bool IsJoin(const ir::Node& n) {
  return n.op == "window_join" || n.op == "interval_join" || n.op == "join" ||
         ((n.op == "co_map" || n.op == "co_flat_map" || n.op == "co_process") && !n.key_fields.empty());
}
bool IsNonKeyedWindow(const ir::Node& n) { return IsWindowOp(n) && n.key_fields.empty(); }
bool IsKeyed(const ir::Node& n) { return n.op == "key_by" || IsJoin(n) || (IsWindowOp(n) && !n.key_fields.empty()); }

}  // namespace

absl::Status Partition(ir::Graph& g, PassContext& ctx) {
  for (auto& n : g.nodes) {
    if (IsNonParallelSource(n)) {
      if (n.parallelism > 1) {
        ctx.diags->Error(n.ParamLoc("parallelism"),
                         "a 'values' source is not parallel: parallelism must be 1");
      }
      n.parallelism = 1;
    }
    if (IsNonKeyedWindow(n)) {
      if (n.parallelism > 1) {
        ctx.diags->Error(n.ParamLoc("parallelism"),
                         "a window without 'key' sees the whole stream: parallelism must be 1");
      }
      n.parallelism = 1;
    }
  }
  // A window's late-data stream runs beside it (same parallelism: a FORWARD edge).
  for (auto& n : g.nodes) {
    if (n.op == "late_output" && !n.inputs.empty() && n.inputs[0] >= 0) n.parallelism = g.nodes[n.inputs[0]].parallelism;
  }
  g.edges.clear();
  for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
    const ir::Node& to = g.nodes[i];
    for (int k = 0; k < static_cast<int>(to.inputs.size()); ++k) {
      const ir::Node& from = g.nodes[to.inputs[k]];
      ir::Edge e;
      e.from = to.inputs[k];
      e.to = i;
      e.to_input = k;
      if (IsKeyed(to)) {
        e.partitioning = ir::Partitioning::kHash;
        e.key_fields = k == 1 && IsJoin(to) ? to.right_key_fields : to.key_fields;
      } else if (from.parallelism == to.parallelism) {
        e.partitioning = ir::Partitioning::kForward;
      } else {
        e.partitioning = ir::Partitioning::kRebalance;
      }
      g.edges.push_back(std::move(e));
    }
  }
  return absl::OkStatus();
}

}  // namespace dfc::compiler
