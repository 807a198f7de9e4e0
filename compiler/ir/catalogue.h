// The catalogues of the job format as data: ops (from ops.def), config keys (from
// config_keys.def) and connectors. The verifier checks jobs against them and `dfc schema`
// generates the JSON Schema from them, so the two cannot drift apart. All lists are in
// declaration order (deterministic).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dfc::compiler::ir {

// One op of ops.def.
struct OpInfo {
  std::string name;
  int min_inputs = 0;
  int max_inputs = 0;               // -1 = unbounded
  std::vector<std::string> params;  // op-specific parameters (the common node keys excluded)
  std::string description;
};

const std::vector<OpInfo>& OpCatalogue();
const OpInfo* FindOp(std::string_view name);  // nullptr when unknown
std::vector<std::string> OpNames();

// How a config value is checked (the value is text; see config_keys.def).
enum class ConfigKind {
  kPositiveInt,
  kNonNegativeInt,
  kPort,
  kBool,
  kDuration,  // a number of milliseconds, or a number and a unit: "10 s", "500ms", "1 min"
  kEnum,      // one of `values` ("a|b|c"), case-insensitive
  kString,
  kDouble,
};

struct ConfigKeyInfo {
  std::string key;
  ConfigKind kind;
  std::string values;  // kEnum: allowed values separated by '|'
  std::string description;
};

const std::vector<ConfigKeyInfo>& ConfigKeys();
const ConfigKeyInfo* FindConfigKey(std::string_view key);  // nullptr when unknown

// A connector of a `source` or `sink` node: the parameters it requires and, when it reads or
// writes a file, the formats it knows.
struct ConnectorInfo {
  std::string op;    // "source" or "sink"
  std::string name;  // value of the `connector` parameter
  std::vector<std::string> required;
  std::vector<std::string> formats;  // allowed `format` values; empty = no format
};

const std::vector<ConnectorInfo>& Connectors();

}  // namespace dfc::compiler::ir
