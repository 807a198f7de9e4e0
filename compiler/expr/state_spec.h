// The "state" declarations of a `process` / `co_process` node, shared by infer-types (checks) and
// codegen:
//   "state": { "count": "VALUE<BIGINT>", "seen": "MAP<STRING, BIGINT>", "events": "LIST<Event>",
//              "total": { "type": "REDUCING<BIGINT>", "fn": "[](int64_t a, int64_t b) { return a + b; }" },
//              "avg": { "type": "AGGREGATING<Click, Acc, DOUBLE>", "add": "...", "get_result": "...",
//                       "create_accumulator": "..." },
//              "last": { "type": "VALUE<BIGINT>", "ttl": "1h", "ttl_update": "OnReadAndWrite" } }
// Kinds: VALUE<T>, LIST<T>, MAP<K, V>, REDUCING<T>, AGGREGATING<IN, ACC, OUT>; T, V, IN, ACC, OUT
// are SQL types or named row types, K a SQL type. The object form carries the kind's functions
// and the state's TTL (Flink's StateTtlConfig: processing time, NeverReturnExpired). Names must
// be C++ identifiers (they become members of ctx.state). Deterministic: codegen re-parses what
// infer-types accepted.
#pragma once

#include <cstdint>
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
  std::string kind;  // "VALUE", "LIST", "MAP", "REDUCING", "AGGREGATING"
  StateType key;     // MAP only: the user key
  StateType value;   // VALUE / LIST / MAP value, REDUCING value, AGGREGATING OUT
  StateType in, acc; // AGGREGATING only
  // REDUCING: fn V(V, const V&). AGGREGATING: add ACC(const IN&, ACC), get_result OUT(const ACC&),
  // create_accumulator ACC() (optional: ACC{}).
  std::optional<ir::UserFunction> fn, add, get_result, create_accumulator;
  int64_t ttl_ms = 0;        // 0: no TTL
  bool ttl_on_read = false;  // OnReadAndWrite (else OnCreateAndWrite)
};

// Empty when the node has no "state"; nullopt after reporting errors.
std::optional<std::vector<StateDecl>> ParseStateSpec(const ir::Node& n, const ir::Graph& g, Diagnostics& diags);

}  // namespace dfc::compiler
