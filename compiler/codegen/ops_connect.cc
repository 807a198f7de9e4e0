// Emitters for connected streams (Flink's ConnectedStreams): co_map, co_flat_map and co_process,
// and for the regular join (`join`, below).
// Two-input chain heads: Body() runs fn1 on the rows of input 0, Body1() fn2 on those of input 1.
// co_process (Flink's KeyedCoProcessFunction) shares one keyed backend (dfc/state.h: the node's
// "state" declarations, checkpointed by key group like the process op's) and one timer service
// between both inputs: fn1(row, ctx, out) / fn2(row, ctx, out) per record with the current key
// set from that input's key, on_timer(time, ctx, out) per firing timer (event time when the
// combined watermark — the minimum of both inputs — reaches it, before it is forwarded).
#include <optional>

#include "compiler/codegen/emitter.h"
#include "compiler/codegen/state_decls.h"
#include "compiler/expr/state_spec.h"

namespace dfc::compiler::codegen {

namespace {

// The UDF text of parameter `key` as a factory dfc_make_<name>_<node>().
void EmitFactory(CodegenContext& c, const std::string& key, const std::string& name) {
  const json::Value* v = c.node().Param(key);
  if (!v || !v->is_string()) return;
  ir::UserFunction fn;
  fn.code = v->str;
  fn.loc = v->loc;
  c.out() << "inline auto dfc_make_" << name << "_" << c.node_index() << "() {\n  return ";
  c.EmitUserCode(fn);
  c.out() << ";\n}\n";
}

void EmitMember(CodegenContext& c, const std::string& name) {
  const std::string ni = std::to_string(c.node_index());
  c.out() << "  decltype(dfc_make_" << name << "_" << ni << "()) " << name << c.ks() << "_ = dfc_make_" << name << "_"
          << ni << "();\n";
}

class CoBase : public OpEmitter {
 public:
  bool TwoInputs() const override { return true; }
  void Helpers(CodegenContext& c) override {
    EmitFactory(c, "fn1", "fn1");
    EmitFactory(c, "fn2", "fn2");
  }
  void Members(CodegenContext& c) override {
    EmitMember(c, "fn1");
    EmitMember(c, "fn2");
  }

 protected:
  std::string In(CodegenContext& c, int input) const { return c.RowType(c.in_schema(input)); }
};

class CoMap final : public CoBase {
 public:
  void Body(CodegenContext& c) override { Side(c, 0); }
  void Body1(CodegenContext& c) override { Side(c, 1); }

 private:
  void Side(CodegenContext& c, int input) {
    c.out() << "      " << c.out_type() << " o = fn" << (input + 1) << c.ks() << "_(static_cast<const " << In(c, input)
            << "&>(v));\n"
            << "      " << c.CountOut() << "\n      " << c.Next("o") << "\n";
  }
};

class CoFlatMap final : public CoBase {
 public:
  void Members(CodegenContext& c) override {
    CoBase::Members(c);
    c.out() << "  dfc::Collector<" << c.out_type() << "> coll" << c.ks() << "_;\n";
  }
  void Body(CodegenContext& c) override { Side(c, 0); }
  void Body1(CodegenContext& c) override { Side(c, 1); }

 private:
  void Side(CodegenContext& c, int input) {
    const std::string coll = "coll" + c.ks() + "_";
    c.out() << "      " << coll << ".clear();\n"
            << "      fn" << (input + 1) << c.ks() << "_(static_cast<const " << In(c, input) << "&>(v), " << coll << ");\n"
            << "      " << c.CountOut(coll + ".rows().size()") << "\n"
            << "      for (auto& o : " << coll << ".rows()) { " << c.Next("o") << " }\n";
  }
};

class CoProcess final : public CoBase {
 public:
  void Helpers(CodegenContext& c) override {
    spec_ = ParseStateSpec(c.node(), c.graph(), c.diags());
    if (!spec_) return;
    CoBase::Helpers(c);
    if (const json::Value* t = c.node().Param("on_timer"); t && t->is_string()) {
      EmitFactory(c, "on_timer", "timer");
      has_timer_fn_ = true;
    }
    EmitStateStruct(c, *spec_, States(c), Key(c));
  }

  void Members(CodegenContext& c) override {
    if (!spec_) return;
    CoBase::Members(c);
    const std::string k = c.ks();
    if (has_timer_fn_) EmitMember(c, "timer");
    EmitKeyedProcessMembers(c, Key(c), States(c), Ctx(c), has_timer_fn_ ? "timer" + k + "_" : "");
  }

  void Open(CodegenContext& c) override {
    if (!spec_) return;
    EmitKeyedProcessOpen(c, *spec_, Key(c), States(c), Ctx(c));
  }

  void Body(CodegenContext& c) override { Side(c, 0); }
  void Body1(CodegenContext& c) override { Side(c, 1); }

  void OnWatermark(CodegenContext& c) override {
    if (!spec_) return;
    const std::string k = c.ks();
    c.out() << "    ts" << k << "_->AdvanceWatermark(wm, [&](const auto& t) { dfc_timer" << k
            << "(t, dfc::rt::TimeDomain::kEventTime); });\n";
  }
  std::string ProcessingDeadline(CodegenContext& c) override {
    if (!spec_) return "";
    return "kb" + c.ks() + "_->next_processing_time()";
  }
  void OnProcessingTime(CodegenContext& c) override {
    if (!spec_) return;
    const std::string k = c.ks();
    c.out() << "    ts" << k << "_->AdvanceProcessingTime(now_ms, [&](const auto& t) { dfc_timer" << k
            << "(t, dfc::rt::TimeDomain::kProcessingTime); });\n";
  }

 private:
  void Side(CodegenContext& c, int input) {
    if (!spec_) return;
    const std::string k = c.ks();
    const ir::Node& n = c.node();
    c.out() << "      kb" << k << "_->SetCurrentKey("
            << c.KeyExpr(c.in_schema(input), input ? n.right_key_fields : n.key_fields, "v") << ");\n"
            << "      pctx" << k << "_->SetRecord(ts);\n"
            << "      coll" << k << "_.clear();\n"
            << "      fn" << (input + 1) << k << "_(static_cast<const " << In(c, input) << "&>(v), *pctx" << k << "_, coll"
            << k << "_);\n"
            << "      " << c.CountOut("coll" + k + "_.rows().size()") << "\n"
            << "      for (auto& o : coll" << k << "_.rows()) { " << c.Next("o") << " }\n";
  }
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(0), c.node().key_fields); }
  std::string States(CodegenContext& c) const { return "dfc_states_" + std::to_string(c.node_index()); }
  std::string Ctx(CodegenContext& c) const {
    return "dfc::rt::KeyedProcessContext<" + Key(c) + ", " + States(c) + ">";
  }
  std::optional<std::vector<StateDecl>> spec_;
  bool has_timer_fn_ = false;
};

// The regular join (Flink SQL's unbounded inner equi-join, append-only): both sides are list
// states of one keyed backend (so they checkpoint by key group and can live in RocksDB). A row of
// either side joins every stored row of the other side with the same key (in their arrival
// order), then is stored itself. Each match builds the joined row (left columns then right),
// keeps it if `where` holds and passes it on (projected by `columns` when given) with the
// arriving row's timestamp. With `table.exec.state.ttl` in the job's config (Flink SQL's state
// retention), both sides are TTL list states (dfc/state_ttl.h: each row expires that long after
// it was stored, OnCreateAndWrite, never returned once expired; Flink's join state TTL); the
// duration is read when the job starts (-D may change it, not turn it on).
class RegularJoin final : public OpEmitter {
 public:
  bool TwoInputs() const override { return true; }
  void Members(CodegenContext& c) override {
    const std::string k = c.ks();
    const ir::Node& n = c.node();
    const int joined = n.aux_schema >= 0 ? n.aux_schema : n.out_schema;
    // TTL states are wrappers owned here; plain ones belong to the backend.
    auto side = [&](const std::string& row, const std::string& name) {
      if (Ttl(c)) return "  std::unique_ptr<dfc::rt::TtlListState<" + Key(c) + ", " + row + ">> " + name + k + "_;\n";
      return "  dfc::rt::ListState<" + Key(c) + ", " + row + ">* " + name + k + "_ = nullptr;\n";
    };
    c.out() << "  std::unique_ptr<dfc::rt::KeyedBackend<" << Key(c) << ">> kb" << k << "_;\n"
            << side(L(c), "left") << side(R(c), "right")
            << "  " << c.RowType(joined) << " jrow" << k << "_;\n";
    if (n.aux_schema >= 0) c.out() << "  " << c.out_type() << " sel" << k << "_;\n";
    // One matching pair -> the rest of the chain.
    c.out() << "  void dfc_join" << k << "(const " << L(c) << "& l, const " << R(c) << "& r, int64_t ts) {\n";
    const ir::Schema& ls = c.graph().schemas[c.in_schema(0)];
    const ir::Schema& rs = c.graph().schemas[c.in_schema(1)];
    const std::string j = "jrow" + k + "_";
    int f = 0;
    for (size_t i = 0; i < ls.fields.size(); ++i, ++f)
      c.out() << "    " << j << "." << c.Field(joined, f) << " = l." << c.Field(c.in_schema(0), static_cast<int>(i)) << ";\n";
    for (size_t i = 0; i < rs.fields.size(); ++i, ++f)
      c.out() << "    " << j << "." << c.Field(joined, f) << " = r." << c.Field(c.in_schema(1), static_cast<int>(i)) << ";\n";
    if (n.predicate) c.out() << "    if (!(" << c.Expr(*n.predicate, joined, j) << ")) return;\n";
    std::string o = j;
    if (n.aux_schema >= 0) {
      o = "sel" + k + "_";
      for (size_t p = 0; p < n.projections.size(); ++p)
        c.out() << "    " << o << "." << c.Field(n.out_schema, static_cast<int>(p)) << " = "
                << c.Expr(*n.projections[p].expr, joined, j) << ";\n";
    }
    c.out() << "    " << c.CountOut() << "\n    " << c.Next(o, "ts") << "\n  }\n";
  }
  void Open(CodegenContext& c) override {
    const std::string k = c.ks();
    c.out() << "    kb" << k << "_ = dfc::rt::MakeKeyedBackend<" << Key(c) << ">(ctx, " << c.Lit(c.node().uid) << ");\n";
    if (Ttl(c)) {
      c.out() << "    {\n"
              << "      const dfc::rt::StateTtlConfig ttl{dfc::rt::ConfigDurationMillis(ctx, \"table.exec.state.ttl\", 0)};\n"
              << "      left" << k << "_ = std::make_unique<dfc::rt::TtlListState<" << Key(c) << ", " << L(c) << ">>(*kb" << k
              << "_, \"left\", ttl);\n"
              << "      right" << k << "_ = std::make_unique<dfc::rt::TtlListState<" << Key(c) << ", " << R(c) << ">>(*kb"
              << k << "_, \"right\", ttl);\n"
              << "    }\n";
      return;
    }
    c.out() << "    if (dfc::rt::ConfigDurationMillis(ctx, \"table.exec.state.ttl\", 0) > 0)\n"
            << "      throw std::invalid_argument(\"table.exec.state.ttl: this job was built without state TTL for its "
               "joins; set it in the job's config to build them with it\");\n"
            << "    left" << k << "_ = &kb" << k << "_->GetListState<" << L(c) << ">(\"left\");\n"
            << "    right" << k << "_ = &kb" << k << "_->GetListState<" << R(c) << ">(\"right\");\n";
  }
  void Body(CodegenContext& c) override {
    const std::string k = c.ks();
    c.out() << "      kb" << k << "_->SetCurrentKey(" << c.KeyExpr(c.in_schema(0), c.node().key_fields, "v") << ");\n"
            << "      for (const auto& r : right" << k << "_->get()) dfc_join" << k << "(v, r, ts);\n"
            << "      left" << k << "_->add(v);\n";
  }
  void Body1(CodegenContext& c) override {
    const std::string k = c.ks();
    c.out() << "      kb" << k << "_->SetCurrentKey(" << c.KeyExpr(c.in_schema(1), c.node().right_key_fields, "v")
            << ");\n"
            << "      for (const auto& l : left" << k << "_->get()) dfc_join" << k << "(l, v, ts);\n"
            << "      right" << k << "_->add(v);\n";
  }

 private:
  // Whether the job's config sets a state TTL for joins (a duration other than 0).
  static bool Ttl(CodegenContext& c) {
    auto it = c.graph().config.find("table.exec.state.ttl");
    if (it == c.graph().config.end()) return false;
    for (char ch : it->second.value)
      if (ch >= '1' && ch <= '9') return true;
    return false;
  }
  std::string L(CodegenContext& c) const { return c.RowType(c.in_schema(0)); }
  std::string R(CodegenContext& c) const { return c.RowType(c.in_schema(1)); }
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(0), c.node().key_fields); }
};

}  // namespace

std::unique_ptr<OpEmitter> MakeConnectEmitter(const ir::Node& n) {
  if (n.op == "co_map") return std::make_unique<CoMap>();
  if (n.op == "co_flat_map") return std::make_unique<CoFlatMap>();
  if (n.op == "co_process") return std::make_unique<CoProcess>();
  if (n.op == "join") return std::make_unique<RegularJoin>();
  return nullptr;
}

}  // namespace dfc::compiler::codegen
