#include "compiler/ir/catalogue.h"

namespace dfc::compiler::ir {

const std::vector<OpInfo>& OpCatalogue() {
  static const std::vector<OpInfo> kOps = [] {
    std::vector<OpInfo> ops;
    auto split = [](std::string_view list) {
      std::vector<std::string> out;
      size_t pos = 0;
      while (pos < list.size()) {
        size_t comma = list.find(',', pos);
        if (comma == std::string_view::npos) comma = list.size();
        if (comma > pos) out.emplace_back(list.substr(pos, comma - pos));
        pos = comma + 1;
      }
      return out;
    };
#define DFC_OP(name, min_inputs, max_inputs, params, description) \
  ops.push_back({#name, min_inputs, max_inputs, split(params), description});
#include "compiler/ir/ops.def"
#undef DFC_OP
    return ops;
  }();
  return kOps;
}

const OpInfo* FindOp(std::string_view name) {
  for (const OpInfo& op : OpCatalogue()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::vector<std::string> OpNames() {
  std::vector<std::string> names;
  for (const OpInfo& op : OpCatalogue()) names.push_back(op.name);
  return names;
}

const std::vector<ConfigKeyInfo>& ConfigKeys() {
  static const std::vector<ConfigKeyInfo> kKeys = {
#define DFC_CONFIG(key, kind, values, description) \
  {key, ConfigKind::kind, values, description},
#include "compiler/ir/config_keys.def"
#undef DFC_CONFIG
  };
  return kKeys;
}

const ConfigKeyInfo* FindConfigKey(std::string_view key) {
  for (const ConfigKeyInfo& k : ConfigKeys()) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

const std::vector<ConnectorInfo>& Connectors() {
  static const std::vector<ConnectorInfo> kConnectors = {
      {"source", "datagen", {}, {}},
      {"source", "file", {"path", "format"}, {"text", "csv", "jsonl"}},
      {"source", "values", {"rows"}, {}},
      {"source", "nexmark", {}, {}},
      {"sink", "print", {}, {}},
      {"sink", "file", {"path", "format"}, {"csv", "jsonl"}},
      {"sink", "blackhole", {}, {}},
  };
  return kConnectors;
}

}  // namespace dfc::compiler::ir
