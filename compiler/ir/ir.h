// The dfc IR: a job as a graph of typed operator nodes. Both front-ends (JSON, C++ DSL) produce it;
// the passes in compiler/passes/ refine it in place; codegen reads it. Node order is the order the
// job wrote its nodes and is the only iteration order used anywhere (determinism).
//
// Lifecycle of the fields:
//   front-end        : name, config, schemas (declared), nodes[*].{id, op, name, uid, parallelism,
//                      input_ids, params, loc, param_locs}, dependencies
//   verify           : nodes[*].inputs (resolved), op-specific params checked
//   infer-types      : schemas (derived), nodes[*].out_schema, exprs, key_fields, fn
//   assign-uids      : nodes[*].uid (stable hash when the user gave none)
//   partition        : nodes[*].parallelism (resolved), edges
//   chain            : chains, nodes[*].chain
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/expr.h"
#include "compiler/ir/types.h"
#include "compiler/support/json.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::ir {

// A configuration entry (`config` in the job; Flink's keys). Value kept as text.
struct ConfigEntry {
  std::string value;
  SourceLoc loc;      // the value
  SourceLoc key_loc;  // the key (unknown-key diagnostics point here); unknown = loc
};

// One output column of a `select` (or a derived projection).
struct Projection {
  ExprPtr expr;
  std::string name;  // output column name
  SourceLoc loc;
};

// Inline or file-provided C++ user function.
struct UserFunction {
  std::string code;  // lambda text or a function name (from `dependencies`)
  SourceLoc loc;     // where the code starts in the job
  bool is_inline = true;
};

enum class Partitioning { kForward, kHash, kRebalance, kBroadcast };
const char* PartitioningName(Partitioning p);  // "FORWARD", "HASH", "REBALANCE", "BROADCAST"

struct Edge {
  int from = -1;  // node index
  int to = -1;    // node index
  int to_input = 0;  // input position at `to` (0 for single-input operators)
  Partitioning partitioning = Partitioning::kForward;
  std::vector<int> key_fields;  // kHash: fields of the from-node's schema hashed
};

// Keys every node object may have whatever its op (ops.def lists only the op-specific ones).
inline constexpr const char* kCommonNodeKeys[] = {"id",  "op",          "input", "inputs",
                                                  "name", "uid", "parallelism", "type", "chaining"};
bool IsCommonNodeKey(std::string_view key);

struct Node {
  std::string id;
  std::string op;
  std::string name;  // display name; defaults to id
  std::string uid;   // stable operator id (state is matched by it)
  bool uid_from_user = false;
  int parallelism = 0;  // 0 = job default until the partition pass resolves it
  std::vector<std::string> input_ids;
  std::vector<SourceLoc> input_locs;
  std::vector<int> inputs;  // resolved node indices, same order as input_ids
  SourceLoc loc;            // the node object
  // Every member of the node object as written, for op-specific params (`where`, `path`...).
  const json::Value* params = nullptr;

  // ---- derived ----
  int out_schema = -1;               // index into Graph::schemas
  ExprPtr predicate;                 // filter
  std::vector<Projection> projections;  // select
  std::vector<int> key_fields;       // key_by: fields of the input schema; also carried by the
                                     // keyed stream's consumers (reduce...)
  std::vector<int> right_key_fields;  // two-input keyed ops (joins): the key of input 1
  int aux_schema = -1;               // join with 'columns': the joined row `where`/`columns` read
  std::optional<UserFunction> fn;    // map / flat_map / reduce / window_reduce / window_process / joins
  int chain = -1;                    // index into Graph::chains

  // A string parameter, or `def` when absent.
  std::string StrParam(const std::string& key, const std::string& def = "") const;
  const json::Value* Param(const std::string& key) const;
  SourceLoc ParamLoc(const std::string& key) const;  // value loc, else node loc
};

struct Chain {
  std::vector<int> nodes;  // head first, in data-flow order
  int parallelism = 1;
};

struct Dependencies {
  // headers: included by the generated code (after dfc/runtime.h, at global scope) so the job's
  // functions can call what `sources` define.
  std::vector<std::pair<std::string, SourceLoc>> sources, headers, include_dirs, libraries, pkg_config;
};

struct Graph {
  std::string name;
  std::string file;  // job file path as given
  std::map<std::string, ConfigEntry> config;  // ordered: printing is deterministic
  std::vector<Schema> schemas;
  std::vector<Node> nodes;
  Dependencies dependencies;
  std::vector<Edge> edges;
  std::vector<Chain> chains;
  std::shared_ptr<json::Value> document;  // owns what Node::params points into

  int FindNode(const std::string& id) const;      // -1 when absent
  int FindSchema(const std::string& name) const;  // -1 when absent
  std::string ConfigValue(const std::string& key, const std::string& def = "") const;
  int DefaultParallelism() const;    // parallelism.default, 1 when unset
  int MaxParallelism() const;        // pipeline.max-parallelism, 128 when unset
  std::vector<int> Consumers(int node) const;  // nodes listing `node` as an input, in node order
};

// Stable, human-readable text form of the IR (the golden-test surface of every pass).
std::string PrintGraph(const Graph& g);

}  // namespace dfc::compiler::ir
