// The `process` op (Flink's KeyedProcessFunction) over dfc/state.h and dfc/process.h: a keyed
// backend per subtask holding the node's "state" declarations (a struct of state references,
// ctx.state.<name>) and one timer service; fn(row, ctx, out) per record, on_timer(time, ctx, out)
// per firing timer (event time before the watermark is forwarded, processing time from the
// mailbox loop's deadline).
#include <optional>

#include "compiler/codegen/emitter.h"
#include "compiler/codegen/state_decls.h"
#include "compiler/expr/state_spec.h"

namespace dfc::compiler::codegen {

namespace {

class Process final : public OpEmitter {
 public:
  void Helpers(CodegenContext& c) override {
    const ir::Node& n = c.node();
    spec_ = ParseStateSpec(n, c.graph(), c.diags());
    if (!spec_ || !n.fn) return;
    const std::string ni = std::to_string(c.node_index());
    c.out() << "inline auto dfc_make_fn_" << ni << "() {\n  return ";
    c.EmitUserCode(*n.fn);
    c.out() << ";\n}\n";
    if (const json::Value* t = n.Param("on_timer"); t && t->is_string()) {
      ir::UserFunction fn;
      fn.code = t->str;
      fn.loc = t->loc;
      c.out() << "inline auto dfc_make_timer_" << ni << "() {\n  return ";
      c.EmitUserCode(fn);
      c.out() << ";\n}\n";
      has_timer_fn_ = true;
    }
    EmitStateStruct(c, *spec_, States(c), Key(c));
  }

  void Members(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return;
    const std::string k = c.ks(), ni = std::to_string(c.node_index());
    c.out() << "  decltype(dfc_make_fn_" << ni << "()) fn" << k << "_ = dfc_make_fn_" << ni << "();\n";
    if (has_timer_fn_) c.out() << "  decltype(dfc_make_timer_" << ni << "()) tfn" << k << "_ = dfc_make_timer_" << ni << "();\n";
    EmitKeyedProcessMembers(c, Key(c), States(c), Ctx(c), has_timer_fn_ ? "tfn" + k + "_" : "");
  }

  void Open(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return;
    EmitKeyedProcessOpen(c, *spec_, Key(c), States(c), Ctx(c));
  }

  void Body(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return;
    const std::string k = c.ks();
    c.out() << "      kb" << k << "_->SetCurrentKey(" << c.KeyExpr(c.in_schema(), c.node().key_fields, "v") << ");\n"
            << "      pctx" << k << "_->SetRecord(ts);\n"
            << "      coll" << k << "_.clear();\n"
            << "      fn" << k << "_(static_cast<const " << c.in_type() << "&>(v), *pctx" << k << "_, coll" << k << "_);\n"
            << "      " << c.CountOut("coll" + k + "_.rows().size()") << "\n"
            << "      for (auto& o : coll" << k << "_.rows()) { " << c.Next("o") << " }\n";
  }

  void OnWatermark(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return;
    const std::string k = c.ks();
    c.out() << "    ts" << k << "_->AdvanceWatermark(wm, [&](const auto& t) { dfc_timer" << k
            << "(t, dfc::rt::TimeDomain::kEventTime); });\n";
  }

  std::string ProcessingDeadline(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return "";
    return "kb" + c.ks() + "_->next_processing_time()";
  }
  void OnProcessingTime(CodegenContext& c) override {
    if (!spec_ || !c.node().fn) return;
    const std::string k = c.ks();
    c.out() << "    ts" << k << "_->AdvanceProcessingTime(now_ms, [&](const auto& t) { dfc_timer" << k
            << "(t, dfc::rt::TimeDomain::kProcessingTime); });\n";
  }

 private:
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(), c.node().key_fields); }
  std::string States(CodegenContext& c) const { return "dfc_states_" + std::to_string(c.node_index()); }
  std::string Ctx(CodegenContext& c) const {
    return "dfc::rt::KeyedProcessContext<" + Key(c) + ", " + States(c) + ">";
  }
  std::optional<std::vector<StateDecl>> spec_;
  bool has_timer_fn_ = false;
};

}  // namespace

std::unique_ptr<OpEmitter> MakeProcessEmitter(const ir::Node& n) {
  if (n.op == "process") return std::make_unique<Process>();
  return nullptr;
}

}  // namespace dfc::compiler::codegen
