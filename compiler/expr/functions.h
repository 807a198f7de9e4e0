// The catalogue of built-in scalar functions of the expression language: name, signature (as
// shown in diagnostics), arity and typing rule. The type checker reads it; the emitter
// (emit.cc) maps each name to its dfc::fn helper in runtime/api/dfc/builtins.h, and
// emit_test.cc checks that every catalogued function can be emitted, so the two cannot drift.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/types.h"

namespace dfc::compiler {

struct BuiltinFunction {
  std::string_view name;       // upper case
  std::string_view signature;  // e.g. "SUBSTRING(STRING, INT[, INT])"
  int min_args;
  int max_args;  // -1 = unbounded
  // Result type for these argument types, or nullopt when they do not fit the signature.
  std::optional<ir::Type> (*infer)(const std::vector<ir::Type>& args);
};

// The function named `upper_name`, or nullptr.
const BuiltinFunction* FindBuiltinFunction(std::string_view upper_name);

// Every function, in catalogue order.
const std::vector<BuiltinFunction>& BuiltinFunctions();

// Widening rules shared by operators and functions (Flink's): equal types are their own common
// type; INT < BIGINT < DOUBLE; nothing else mixes.
std::optional<ir::Type> CommonType(const ir::Type& a, const ir::Type& b);

}  // namespace dfc::compiler
