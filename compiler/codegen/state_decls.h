// The keyed-state declarations of `process` and `co_process` (compiler/expr/state_spec.h) as
// generated code: the factories of REDUCING / AGGREGATING functions, the struct of states behind
// ctx.state, and its initialisation from the operator's keyed backend. Plain states are
// references to the backend's states; TTL states (dfc/state_ttl.h) are small wrappers held by
// value.
#pragma once

#include <string>
#include <vector>

#include "compiler/codegen/emitter.h"
#include "compiler/expr/state_spec.h"

namespace dfc::compiler::codegen {

// Namespace-scope code: the state functions' factories and `struct <states> { ... };`.
// `key` is the operator's key type.
void EmitStateStruct(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& states,
                     const std::string& key);
// Statement: `<target>.reset(new <states>{...});` from the backend pointer `kb`.
void EmitStateInit(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& states,
                   const std::string& key, const std::string& kb, const std::string& target);

}  // namespace dfc::compiler::codegen
