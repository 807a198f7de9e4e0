// chain: fuses operators into chains (Flink's operator chaining). Each chain becomes one subtask
// type in generated code, with its operators inlined into each other.
#include "compiler/passes/chain.h"

#include "compiler/passes/pass.h"

namespace dfc::compiler {

bool IsChainable(const ir::Graph& g, const ir::Edge& edge) {
  const ir::Node& up = g.nodes[edge.from];
  const ir::Node& down = g.nodes[edge.to];
  if (g.ConfigValue("pipeline.operator-chaining", "true") == "false") return false;
  if (down.inputs.size() != 1) return false;
  if (g.Consumers(edge.from).size() != 1) return false;
  if (edge.partitioning != ir::Partitioning::kForward) return false;
  if (up.parallelism != down.parallelism) return false;
  if (const json::Value* c = down.Param("chaining"); c && c->is_bool() && !c->bool_value) return false;
  return true;
}

absl::Status Chain(ir::Graph& g, PassContext& ctx) {
  g.chains.clear();
  for (auto& n : g.nodes) n.chain = -1;
  // Nodes are visited in job order; a node whose single input edge chains joins its producer's
  // chain, which already exists because verify rejected cycles and we walk in topological order.
  std::vector<int> order;
  std::vector<int> indegree(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) indegree[i] = static_cast<int>(g.nodes[i].inputs.size());
  std::vector<bool> done(g.nodes.size(), false);
  // Kahn's algorithm, always taking the lowest-index ready node: deterministic.
  for (size_t round = 0; round < g.nodes.size(); ++round) {
    int pick = -1;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (!done[i] && indegree[i] == 0) {
        pick = static_cast<int>(i);
        break;
      }
    }
    if (pick < 0) return absl::InternalError("chain: graph has a cycle (verify should have caught it)");
    done[pick] = true;
    order.push_back(pick);
    for (int c : g.Consumers(pick)) {
      for (int in : g.nodes[c].inputs)
        if (in == pick) --indegree[c];
    }
  }
  for (int i : order) {
    ir::Node& n = g.nodes[i];
    const ir::Edge* in_edge = nullptr;
    for (const auto& e : g.edges)
      if (e.to == i) in_edge = &e;
    if (n.inputs.size() == 1 && in_edge && IsChainable(g, *in_edge)) {
      int c = g.nodes[in_edge->from].chain;
      g.chains[c].nodes.push_back(i);
      n.chain = c;
    } else {
      ir::Chain ch;
      ch.nodes.push_back(i);
      ch.parallelism = n.parallelism;
      n.chain = static_cast<int>(g.chains.size());
      g.chains.push_back(std::move(ch));
    }
  }
  return absl::OkStatus();
}

}  // namespace dfc::compiler
