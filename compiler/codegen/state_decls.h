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

// The members a keyed process operator (`process`, `co_process`) adds to its chain: its keyed
// backend, timer service, states, KeyedProcessContext `ctx`, collector, and `dfc_timer<k>`, which
// calls the on_timer function member `timer_fn` and sends its rows down the chain (empty
// `timer_fn`: timers fire silently, Flink's default onTimer).
void EmitKeyedProcessMembers(CodegenContext& c, const std::string& key, const std::string& states,
                             const std::string& ctx, const std::string& timer_fn);
// Open(): the backend for the operator's uid, its timer service, the states and the context.
void EmitKeyedProcessOpen(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& key,
                          const std::string& states, const std::string& ctx);

}  // namespace dfc::compiler::codegen
