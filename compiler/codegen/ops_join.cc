// Emitters for the two-input joins (runtime/api/dfc/join.h): window_join over a window engine of
// dfc/window.h with a WindowJoinAcc accumulator, and interval_join over dfc::rt::IntervalJoin.
// Both are chain heads (two inputs never chain): Body() handles the left input, Body1() the
// right one. Output rows: `fn(left, right)` when the node has a `fn` (with `type`), else the left
// columns followed by the right ones (infer-types built that derived row type).
#include <optional>

#include "compiler/codegen/emitter.h"
#include "compiler/expr/window_spec.h"

namespace dfc::compiler::codegen {

// ops_window.cc: checkpoint hooks of an engine attached to a keyed backend.
void EmitEngineCheckpointMembers(CodegenContext& c, const std::string& key_type);
void EmitEngineAttach(CodegenContext& c, const std::string& key_type, const std::string& engine);
void EmitEngineSnapshot(CodegenContext& c, const std::string& watermark, const std::string& seq);
void EmitEngineRestore(CodegenContext& c, const std::string& engine, const std::string& seq);

namespace {

class JoinBase : public OpEmitter {
 public:
  bool TwoInputs() const override { return true; }

  void Helpers(CodegenContext& c) override {
    const ir::Node& n = c.node();
    if (!n.fn) return;
    c.out() << "inline auto dfc_make_fn_" << c.node_index() << "() {\n  return ";
    c.EmitUserCode(*n.fn);
    c.out() << ";\n}\n";
  }

  void Members(CodegenContext& c) override {
    if (c.node().fn) {
      c.out() << "  decltype(dfc_make_fn_" << c.node_index() << "()) fn" << c.ks() << "_ = dfc_make_fn_"
              << c.node_index() << "();\n";
    }
    // One joined pair -> the rest of the chain.
    c.out() << "  void dfc_join" << c.ks() << "(const " << L(c) << "& l, const " << R(c) << "& r, int64_t ots) {\n";
    if (c.node().fn) {
      c.out() << "    " << c.out_type() << " o = fn" << c.ks() << "_(l, r);\n";
    } else {
      c.out() << "    " << c.out_type() << " o{";
      const ir::Schema& ls = c.graph().schemas[c.in_schema(0)];
      const ir::Schema& rs = c.graph().schemas[c.in_schema(1)];
      for (size_t f = 0; f < ls.fields.size(); ++f) c.out() << (f ? ", " : "") << "l." << c.Field(c.in_schema(0), static_cast<int>(f));
      for (size_t f = 0; f < rs.fields.size(); ++f) c.out() << ", r." << c.Field(c.in_schema(1), static_cast<int>(f));
      c.out() << "};\n";
    }
    c.out() << "    " << c.CountOut() << "\n    " << c.Next("o", "ots") << "\n  }\n";
  }

 protected:
  std::string L(CodegenContext& c) const { return c.RowType(c.in_schema(0)); }
  std::string R(CodegenContext& c) const { return c.RowType(c.in_schema(1)); }
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(0), c.node().key_fields); }
  std::string LeftKey(CodegenContext& c) const { return c.KeyExpr(c.in_schema(0), c.node().key_fields, "v"); }
  std::string RightKey(CodegenContext& c) const { return c.KeyExpr(c.in_schema(1), c.node().right_key_fields, "v"); }
  void RequireTimestamp(CodegenContext& c) {
    c.out() << "      if (ts == dfc::rt::kNoTimestamp)\n"
            << "        throw dfc::rt::OperatorError(" << c.Lit(c.node().id) << ", \"" << c.node().op
            << " on event time needs event timestamps: give the sources a 'watermark'\");\n";
  }
};

class WindowJoin final : public JoinBase {
 public:
  void Helpers(CodegenContext& c) override {
    JoinBase::Helpers(c);
    spec_ = ParseWindowSpec(c.node(), c.diags(), /*allow_global=*/false);
  }
  void Members(CodegenContext& c) override {
    if (!spec_) return;
    JoinBase::Members(c);
    c.out() << "  std::unique_ptr<" << Engine(c) << "> win" << c.ks() << "_;\n";
    EmitEngineCheckpointMembers(c, Key(c));
  }
  bool Snapshot(CodegenContext& c) override {
    if (spec_) EmitEngineSnapshot(c, "win" + c.ks() + "_->watermark()", "");
    return true;
  }
  void Restore(CodegenContext& c) override {
    if (spec_) EmitEngineRestore(c, "win" + c.ks() + "_", "");
  }
  void Open(CodegenContext& c) override {
    if (!spec_) return;
    c.out() << "    win" << c.ks() << "_ = std::make_unique<" << Engine(c) << ">(";
    const std::string opts = "dfc::rt::WindowOptions{0, false, ctx.op_metrics(" + c.ks() + ")}";
    if (spec_->kind == WindowSpec::Kind::kSession) c.out() << spec_->gap << "LL, " << opts;
    else c.out() << spec_->size << "LL, " << spec_->slide << "LL, " << spec_->offset << "LL, " << opts;
    c.out() << ");\n";
    EmitEngineAttach(c, Key(c), "win" + c.ks() + "_");
  }
  void Body(CodegenContext& c) override { Side(c, LeftKey(c), "left"); }
  void Body1(CodegenContext& c) override { Side(c, RightKey(c), "right"); }
  void OnWatermark(CodegenContext& c) override {
    if (spec_ && spec_->event_time()) c.out() << "    win" << c.ks() << "_->OnWatermark(wm, " << Emit(c) << ");\n";
  }
  void OnTick(CodegenContext& c) override {
    if (spec_ && spec_->processing_time)
      c.out() << "    win" << c.ks() << "_->OnWatermark(ctx().clock()->NowMillis(), " << Emit(c) << ");\n";
  }
  void OnEndOfInput(CodegenContext& c) override {
    if (spec_ && spec_->processing_time)
      c.out() << "    win" << c.ks() << "_->OnWatermark(dfc::rt::kMaxWatermark, " << Emit(c) << ");\n";
  }

 private:
  void Side(CodegenContext& c, const std::string& key, const char* side) {
    if (!spec_) return;
    if (spec_->event_time()) RequireTimestamp(c);
    const std::string t = spec_->processing_time ? "ctx().clock()->NowMillis()" : "ts";
    c.out() << "      win" << c.ks() << "_->Add(" << key << ", " << t << ", [&](" << Acc(c) << "& a) { a." << side
            << ".push_back(v); }, " << Emit(c) << ");\n";
  }
  std::string Acc(CodegenContext& c) const { return "dfc::rt::WindowJoinAcc<" + L(c) + ", " + R(c) + ">"; }
  std::string Engine(CodegenContext& c) const {
    return std::string(spec_->kind == WindowSpec::Kind::kSession ? "dfc::rt::SessionWindows<" : "dfc::rt::PaneWindows<") +
           Key(c) + ", " + Acc(c) + ">";
  }
  std::string Emit(CodegenContext& c) const {
    return "[&](const " + Key(c) + "&, int64_t, int64_t we, const " + Acc(c) + "& a) { a.ForEachPair([&](const " +
           L(c) + "& l, const " + R(c) + "& r) { dfc_join" + c.ks() + "(l, r, we - 1); }); }";
  }
  std::optional<WindowSpec> spec_;
};

class IntervalJoinOp final : public JoinBase {
 public:
  void Helpers(CodegenContext& c) override {
    JoinBase::Helpers(c);
    spec_ = ParseIntervalSpec(c.node(), c.diags());
  }
  void Members(CodegenContext& c) override {
    if (!spec_) return;
    JoinBase::Members(c);
    c.out() << "  std::unique_ptr<" << Engine(c) << "> join" << c.ks() << "_;\n";
    EmitEngineCheckpointMembers(c, Key(c));
  }
  bool Snapshot(CodegenContext& c) override {
    if (spec_) EmitEngineSnapshot(c, "join" + c.ks() + "_->watermark()", "");
    return true;
  }
  void Restore(CodegenContext& c) override {
    if (spec_) EmitEngineRestore(c, "join" + c.ks() + "_", "");
  }
  void Open(CodegenContext& c) override {
    if (!spec_) return;
    c.out() << "    join" << c.ks() << "_ = std::make_unique<" << Engine(c) << ">(" << spec_->lower << "LL, "
            << spec_->upper << "LL, ctx.op_metrics(" << c.ks() << "));\n";
    EmitEngineAttach(c, Key(c), "join" + c.ks() + "_");
  }
  void Body(CodegenContext& c) override {
    if (!spec_) return;
    RequireTimestamp(c);
    c.out() << "      join" << c.ks() << "_->AddLeft(" << LeftKey(c) << ", ts, v, " << Emit(c) << ");\n";
  }
  void Body1(CodegenContext& c) override {
    if (!spec_) return;
    RequireTimestamp(c);
    c.out() << "      join" << c.ks() << "_->AddRight(" << RightKey(c) << ", ts, v, " << Emit(c) << ");\n";
  }
  void OnWatermark(CodegenContext& c) override {
    if (spec_) c.out() << "    join" << c.ks() << "_->OnWatermark(wm);\n";
  }

 private:
  std::string Engine(CodegenContext& c) const { return "dfc::rt::IntervalJoin<" + Key(c) + ", " + L(c) + ", " + R(c) + ">"; }
  std::string Emit(CodegenContext& c) const {
    return "[&](const " + L(c) + "& l, const " + R(c) + "& r, int64_t ots) { dfc_join" + c.ks() + "(l, r, ots); }";
  }
  std::optional<IntervalSpec> spec_;
};

}  // namespace

std::unique_ptr<OpEmitter> MakeJoinEmitter(const ir::Node& n) {
  if (n.op == "window_join") return std::make_unique<WindowJoin>();
  if (n.op == "interval_join") return std::make_unique<IntervalJoinOp>();
  return nullptr;
}

}  // namespace dfc::compiler::codegen
