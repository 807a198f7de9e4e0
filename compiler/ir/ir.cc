#include "compiler/ir/ir.h"

#include <charconv>

namespace dfc::compiler::ir {

const char* PartitioningName(Partitioning p) {
  switch (p) {
    case Partitioning::kForward: return "FORWARD";
    case Partitioning::kHash: return "HASH";
    case Partitioning::kRebalance: return "REBALANCE";
    case Partitioning::kBroadcast: return "BROADCAST";
  }
  return "?";
}

const json::Value* Node::Param(const std::string& key) const {
  return params ? params->Get(key) : nullptr;
}

std::string Node::StrParam(const std::string& key, const std::string& def) const {
  const json::Value* v = Param(key);
  return v && v->is_string() ? v->str : def;
}

SourceLoc Node::ParamLoc(const std::string& key) const {
  const json::Value* v = Param(key);
  return v ? v->loc : loc;
}

bool IsCommonNodeKey(std::string_view key) {
  for (const char* k : kCommonNodeKeys) {
    if (key == k) return true;
  }
  return false;
}

int Graph::FindNode(const std::string& id) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int Graph::FindSchema(const std::string& schema_name) const {
  for (size_t i = 0; i < schemas.size(); ++i) {
    if (schemas[i].name == schema_name) return static_cast<int>(i);
  }
  return -1;
}

std::string Graph::ConfigValue(const std::string& key, const std::string& def) const {
  auto it = config.find(key);
  return it == config.end() ? def : it->second.value;
}

namespace {

// A positive decimal integer, or `def` when `text` is not one (verify reports bad values).
int PositiveIntOr(const std::string& text, int def) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0) return def;
  return v;
}

}  // namespace

int Graph::DefaultParallelism() const {
  return PositiveIntOr(ConfigValue("parallelism.default"), 1);
}

int Graph::MaxParallelism() const {
  return PositiveIntOr(ConfigValue("pipeline.max-parallelism"), 128);
}

std::vector<int> Graph::Consumers(int node) const {
  std::vector<int> out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (int in : nodes[i].inputs) {
      if (in == node) {
        out.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return out;
}

namespace {

std::string ParallelismText(int p) { return p > 0 ? std::to_string(p) : "default"; }

// Field names of `schema` for `indices`; an index the schema cannot name prints as `#i` so the
// printer never fails on a half-built graph.
std::string FieldList(const Graph& g, int schema, const std::vector<int>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size(); ++i) {
    if (i) out += ", ";
    int f = indices[i];
    if (schema >= 0 && schema < static_cast<int>(g.schemas.size()) && f >= 0 &&
        f < static_cast<int>(g.schemas[schema].fields.size())) {
      out += g.schemas[schema].fields[f].name;
    } else {
      out += "#" + std::to_string(f);
    }
  }
  return out;
}

std::string NodeId(const Graph& g, int index) {
  if (index >= 0 && index < static_cast<int>(g.nodes.size())) return g.nodes[index].id;
  return "#" + std::to_string(index);
}

// The op-specific members of a node object, compact, in document order.
std::string OpParamsJson(const json::Value& params) {
  std::string out;
  for (const json::Member& m : params.members) {
    if (IsCommonNodeKey(m.key) && m.key != "type") continue;
    out += out.empty() ? "{" : ",";
    out += json::Quote(m.key) + ":" + m.value->ToJson();
  }
  return out.empty() ? out : out + "}";
}

void PrintNode(const Graph& g, int index, std::string& out) {
  const Node& n = g.nodes[index];
  out += "node " + std::to_string(index) + " " + n.id + ": " + n.op + "\n";
  if (!n.name.empty() && n.name != n.id) out += "  name: " + json::Quote(n.name) + "\n";
  if (!n.uid.empty()) {
    out += "  uid: " + json::Quote(n.uid) + (n.uid_from_user ? " (user)" : "") + "\n";
  }
  out += "  parallelism: " + ParallelismText(n.parallelism) + "\n";
  out += "  inputs:";
  if (n.input_ids.empty()) out += " (none)";
  for (size_t i = 0; i < n.input_ids.size(); ++i) out += (i ? ", " : " ") + n.input_ids[i];
  out += "\n";
  if (n.params) {
    std::string p = OpParamsJson(*n.params);
    if (!p.empty()) out += "  params: " + p + "\n";
  }
  if (n.out_schema >= 0 && n.out_schema < static_cast<int>(g.schemas.size())) {
    out += "  out: " + g.schemas[n.out_schema].ToString() + "\n";
  }
  if (n.predicate) out += "  predicate: " + n.predicate->ToString() + "\n";
  for (const Projection& p : n.projections) {
    out += "  project: " + p.name + " = " + (p.expr ? p.expr->ToString() : "?") + "\n";
  }
  if (!n.key_fields.empty()) {
    // Key fields index the input's schema (key_by, and keyed consumers such as reduce).
    int schema = n.out_schema;
    if (!n.inputs.empty() && n.inputs[0] >= 0 && n.inputs[0] < static_cast<int>(g.nodes.size())) {
      schema = g.nodes[n.inputs[0]].out_schema;
    }
    out += "  key: " + FieldList(g, schema, n.key_fields) + "\n";
  }
  if (n.fn) {
    out += std::string("  fn: ") + (n.fn->is_inline ? "inline " : "named ") +
           json::Quote(n.fn->code) + "\n";
  }
  if (n.chain >= 0) out += "  chain: " + std::to_string(n.chain) + "\n";
}

void PrintDeps(const char* kind, const std::vector<std::pair<std::string, SourceLoc>>& deps,
               std::string& out) {
  for (const auto& [path, loc] : deps) {
    out += std::string("dependency ") + kind + " " + json::Quote(path) + "\n";
  }
}

}  // namespace

std::string PrintGraph(const Graph& g) {
  std::string out = "job " + json::Quote(g.name) + "\n";
  for (const auto& [key, entry] : g.config) {  // std::map: sorted by key
    out += "config " + key + " = " + json::Quote(entry.value) + "\n";
  }
  for (const Schema& s : g.schemas) {
    out += "schema " + s.ToString() + (s.derived ? " derived" : "") + "\n";
  }
  PrintDeps("sources", g.dependencies.sources, out);
  PrintDeps("headers", g.dependencies.headers, out);
  PrintDeps("include_dirs", g.dependencies.include_dirs, out);
  PrintDeps("libraries", g.dependencies.libraries, out);
  PrintDeps("pkg_config", g.dependencies.pkg_config, out);
  for (size_t i = 0; i < g.nodes.size(); ++i) PrintNode(g, static_cast<int>(i), out);
  if (!g.edges.empty()) out += "edges\n";
  for (const Edge& e : g.edges) {
    out += "  " + NodeId(g, e.from) + " -> " + NodeId(g, e.to) + " " +
           PartitioningName(e.partitioning);
    if (e.partitioning == Partitioning::kHash) {
      int schema = e.from >= 0 && e.from < static_cast<int>(g.nodes.size())
                       ? g.nodes[e.from].out_schema
                       : -1;
      out += "[" + FieldList(g, schema, e.key_fields) + "]";
    }
    if (e.to_input != 0) out += " (input " + std::to_string(e.to_input) + ")";
    out += "\n";
  }
  if (!g.chains.empty()) out += "chains\n";
  for (size_t i = 0; i < g.chains.size(); ++i) {
    const ir::Chain& c = g.chains[i];
    out += "  chain " + std::to_string(i) + " (p=" + ParallelismText(c.parallelism) + "):";
    for (size_t j = 0; j < c.nodes.size(); ++j) out += (j ? " -> " : " ") + NodeId(g, c.nodes[j]);
    out += "\n";
  }
  return out;
}

}  // namespace dfc::compiler::ir
