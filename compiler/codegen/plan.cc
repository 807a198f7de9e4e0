#include "compiler/codegen/plan.h"

#include "compiler/support/json.h"

namespace dfc::compiler {

namespace {

std::string Par(int p) { return p > 0 ? std::to_string(p) : "default"; }

std::string ChainName(const ir::Graph& g, const ir::Chain& ch) {
  std::string s;
  for (size_t k = 0; k < ch.nodes.size(); ++k) {
    if (k) s += " -> ";
    s += g.nodes[ch.nodes[k]].id;
  }
  return s;
}

std::string EdgeLabel(const ir::Graph& g, const ir::Edge& e) {
  std::string s = ir::PartitioningName(e.partitioning);
  if (e.partitioning == ir::Partitioning::kHash) {
    const ir::Schema& sc = g.schemas[g.nodes[e.from].out_schema];
    s += "[";
    for (size_t i = 0; i < e.key_fields.size(); ++i) s += (i ? "," : "") + sc.fields[e.key_fields[i]].name;
    s += "]";
  }
  return s;
}

// Edges that cross chains, i.e. the channels of the executable.
std::vector<const ir::Edge*> ChainEdges(const ir::Graph& g) {
  std::vector<const ir::Edge*> r;
  for (const auto& e : g.edges)
    if (g.nodes[e.from].chain != g.nodes[e.to].chain) r.push_back(&e);
  return r;
}

}  // namespace

std::string PlanText(const ir::Graph& g) {
  std::string s = "job " + json::Quote(g.name) + " (max parallelism " + std::to_string(g.MaxParallelism()) +
                  ", default parallelism " + std::to_string(g.DefaultParallelism()) + ")\n";
  for (size_t c = 0; c < g.chains.size(); ++c) {
    const ir::Chain& ch = g.chains[c];
    s += "chain " + std::to_string(c) + " [parallelism " + Par(ch.parallelism) + "]: " + ChainName(g, ch) + "\n";
    for (const ir::Edge* e : ChainEdges(g)) {
      if (g.nodes[e->to].chain != static_cast<int>(c)) continue;
      s += "  <- chain " + std::to_string(g.nodes[e->from].chain) + " " + EdgeLabel(g, *e) + "\n";
    }
  }
  return s;
}

std::string PlanDot(const ir::Graph& g) {
  std::string s = "digraph " + json::Quote(g.name) + " {\n  rankdir=LR;\n  node [shape=box];\n";
  for (size_t c = 0; c < g.chains.size(); ++c) {
    s += "  c" + std::to_string(c) + " [label=" + json::Quote(ChainName(g, g.chains[c]) + "\\np=" + Par(g.chains[c].parallelism)) + "];\n";
  }
  for (const ir::Edge* e : ChainEdges(g)) {
    s += "  c" + std::to_string(g.nodes[e->from].chain) + " -> c" + std::to_string(g.nodes[e->to].chain) +
         " [label=" + json::Quote(EdgeLabel(g, *e)) + "];\n";
  }
  return s + "}\n";
}

std::string PlanJson(const ir::Graph& g) {
  std::string s = "{\n  \"jid\": " + json::Quote(g.name) + ",\n  \"name\": " + json::Quote(g.name) +
                  ",\n  \"nodes\": [\n";
  for (size_t c = 0; c < g.chains.size(); ++c) {
    const ir::Chain& ch = g.chains[c];
    const ir::Node& head = g.nodes[ch.nodes.front()];
    const int p = ch.parallelism > 0 ? ch.parallelism : g.DefaultParallelism();
    s += "    {\"id\": " + std::to_string(c) + ", \"type\": " + json::Quote(ChainName(g, ch)) +
         ", \"pact\": " + json::Quote(head.op == "source" ? "Data Source" : "Operator") +
         ", \"contents\": " + json::Quote(ChainName(g, ch)) + ", \"parallelism\": " + std::to_string(p);
    std::string preds;
    for (const ir::Edge* e : ChainEdges(g)) {
      if (g.nodes[e->to].chain != static_cast<int>(c)) continue;
      if (!preds.empty()) preds += ", ";
      preds += "{\"id\": " + std::to_string(g.nodes[e->from].chain) + ", \"ship_strategy\": " +
               json::Quote(EdgeLabel(g, *e)) + ", \"side\": \"second\"}";
    }
    if (!preds.empty()) s += ", \"predecessors\": [" + preds + "]";
    s += "}";
    s += c + 1 < g.chains.size() ? ",\n" : "\n";
  }
  return s + "  ]\n}\n";
}

}  // namespace dfc::compiler
