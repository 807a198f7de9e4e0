// The "state" declarations of a `process` node, shared by infer-types (checks) and codegen:
//   "state": { "count": "VALUE<BIGINT>", "seen": "MAP<STRING, BIGINT>", "events": "LIST<Event>" }
// Kinds: VALUE<T>, LIST<T>, MAP<K, V>; T and V are SQL types or named row types, K a SQL type.
// Names must be C++ identifiers (they become members of ctx.state). Deterministic: codegen
// re-parses what infer-types accepted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"

namespace dfc::compiler {

struct StateType {
  int schema = -1;  // a named row type, else the SQL type below
  ir::Type sql;
};

struct StateDecl {
  std::string name;
  std::string kind;  // "VALUE", "LIST", "MAP"
  StateType key;     // MAP only: the user key
  StateType value;
};

// Empty when the node has no "state"; nullopt after reporting errors.
std::optional<std::vector<StateDecl>> ParseStateSpec(const ir::Node& n, const ir::Graph& g, Diagnostics& diags);

}  // namespace dfc::compiler
