// Emitters for the stateless operators, rolling reduce and sinks (issue: the compiler's first
// operator set). Every Body() is wrapped by the generator in a try/catch that names the operator.
#include "compiler/codegen/emitter.h"

namespace dfc::compiler::codegen {

namespace {

// source heads, key_by and union only pass records on (partitioning happened on the edge).
class PassThrough final : public OpEmitter {
 public:
  void Body(CodegenContext& c) override {
    c.out() << "      " << c.CountOut() << "\n      " << c.Next("v") << "\n";
  }
};

class Filter final : public OpEmitter {
 public:
  void Body(CodegenContext& c) override {
    c.out() << "      if (!(" << c.Expr(*c.node().predicate, c.in_schema(), "v") << ")) return;\n"
            << "      " << c.CountOut() << "\n      " << c.Next("v") << "\n";
  }
};

// The output row is a member assigned field by field, not a new row per record: its strings keep
// their capacity, so projecting a string column costs a copy, not an allocation and a free. (The
// chain is linear and synchronous: the row is handed on and not touched again before the next
// record reaches this operator.)
class Select final : public OpEmitter {
 public:
  void Members(CodegenContext& c) override { c.out() << "  " << c.out_type() << " sel" << c.ks() << "_;\n"; }
  void Body(CodegenContext& c) override {
    const std::string o = "sel" + c.ks() + "_";
    const auto& ps = c.node().projections;
    const int out = c.node().out_schema;
    // `v` (the input row) and the member are distinct objects: assigning in order is safe.
    for (size_t p = 0; p < ps.size(); ++p) {
      c.out() << "      " << o << "." << c.Field(out, static_cast<int>(p)) << " = "
              << c.Expr(*ps[p].expr, c.in_schema(), "v") << ";\n";
    }
    c.out() << "      " << c.CountOut() << "\n      " << c.Next(o) << "\n";
  }
};

// map / flat_map / reduce hold their UDF as a member made by a factory function, so a mutable
// lambda keeps per-subtask state.
class UdfBase : public OpEmitter {
 public:
  void Helpers(CodegenContext& c) override {
    c.out() << "inline auto dfc_make_fn_" << c.node_index() << "() {\n  return ";
    c.EmitUserCode(*c.node().fn);
    c.out() << ";\n}\n";
  }
  void Members(CodegenContext& c) override {
    c.out() << "  decltype(dfc_make_fn_" << c.node_index() << "()) fn" << c.ks() << "_ = dfc_make_fn_"
            << c.node_index() << "();\n";
  }
};

class Map final : public UdfBase {
 public:
  void Body(CodegenContext& c) override {
    c.out() << "      " << c.out_type() << " o = fn" << c.ks() << "_(v);\n"
            << "      " << c.CountOut() << "\n      " << c.Next("o") << "\n";
  }
};

class FlatMap final : public UdfBase {
 public:
  void Members(CodegenContext& c) override {
    UdfBase::Members(c);
    c.out() << "  dfc::Collector<" << c.out_type() << "> coll" << c.ks() << "_;\n";
  }
  void Body(CodegenContext& c) override {
    const std::string coll = "coll" + c.ks() + "_";
    c.out() << "      " << coll << ".clear();\n"
            << "      fn" << c.ks() << "_(v, " << coll << ");\n"
            << "      " << c.CountOut(coll + ".rows().size()") << "\n"
            << "      for (auto& o : " << coll << ".rows()) { " << c.NextMove("o") << " }\n";  // cleared before reuse
  }
};

// Rolling reduce (Flink's keyed reduce): the first record of a key is stored and emitted as is;
// each later one emits fn(stored, new) and stores it. The stored value is a ValueState of the
// operator's keyed backend (dfc/state.h), so it is checkpointed by key group.
class Reduce final : public UdfBase {
 public:
  void Members(CodegenContext& c) override {
    UdfBase::Members(c);
    c.out() << "  std::unique_ptr<dfc::rt::KeyedBackend<" << Key(c) << ">> kb" << c.ks() << "_;\n"
            << "  dfc::rt::ValueState<" << Key(c) << ", " << c.out_type() << ">* st" << c.ks() << "_ = nullptr;\n";
  }
  void Open(CodegenContext& c) override {
    c.out() << "    kb" << c.ks() << "_ = dfc::rt::MakeKeyedBackend<" << Key(c) << ">(ctx, " << c.Lit(c.node().uid)
            << ");\n"
            << "    st" << c.ks() << "_ = &kb" << c.ks() << "_->GetValueState<" << c.out_type() << ">(\"reduce\");\n";
  }
  void Body(CodegenContext& c) override {
    c.out() << "      kb" << c.ks() << "_->SetCurrentKey(" << c.KeyExpr(c.in_schema(), c.node().key_fields, "v") << ");\n"
            << "      bool fresh = false;\n"
            << "      auto& cur = st" << c.ks() << "_->get_or_insert(v, &fresh);\n"
            << "      if (!fresh) cur = fn" << c.ks() << "_(std::move(cur), v);\n"
            << "      " << c.out_type() << " o = cur;\n"
            << "      " << c.CountOut() << "\n      " << c.Next("o") << "\n";
  }

 private:
  static std::string Key(CodegenContext& c) { return c.KeyType(c.in_schema(), c.node().key_fields); }
};

class Sink final : public OpEmitter {
 public:
  explicit Sink(bool blackhole) : blackhole_(blackhole) {}
  void Members(CodegenContext& c) override {
    if (!blackhole_) c.out() << "  std::unique_ptr<dfc::rt::RowSink> sink" << c.ks() << "_;\n";
  }
  void Open(CodegenContext& c) override {
    if (blackhole_) return;
    const ir::Node& n = c.node();
    const std::string id = c.Lit(n.id);
    c.out() << "    {\n      dfc::rt::SinkOptions o;\n"
            << "      o.sink_id = " << id << ";\n"
            << "      o.connector = " << c.Lit(n.StrParam("connector")) << ";\n"
            << "      o.path = ctx.Param(" << id << ", \"path\", " << c.Lit(n.StrParam("path")) << ");\n"
            << "      o.format = dfc::rt::ParseFormat(ctx.Param(" << id << ", \"format\", "
            << c.Lit(n.StrParam("format", "csv")) << "));\n"
            << "      o.exactly_once = ctx.checkpointing();\n"
            << "      sink" << c.ks() << "_ = dfc::rt::OpenSink(dfc_desc_" << n.out_schema
            << ", o, ctx.subtask(), ctx.parallelism());\n    }\n";
  }
  void Body(CodegenContext& c) override {
    if (blackhole_) {
      c.out() << "      dfc::rt::Blackhole(v);\n";
    } else {
      c.out() << "      sink" << c.ks() << "_->Write(&v);\n";
    }
  }
  void Flush(CodegenContext& c) override {
    if (!blackhole_) c.out() << "    sink" << c.ks() << "_->Flush();\n";
  }
  void Close(CodegenContext& c) override {
    if (!blackhole_) c.out() << "    sink" << c.ks() << "_->Close();\n";
  }
  // Two-phase commit (the exactly-once file sink; the others ignore these): one state entry
  // per subtask, pre-commit at the barrier, publish on completion.
  bool Snapshot(CodegenContext& c) override {
    if (!blackhole_)
      c.out() << "    sink" << c.ks() << "_->SnapshotState(w.checkpoint_id(), w.AddOperatorEntry("
              << c.Lit(c.node().uid) << "));\n";
    return true;
  }
  void Restore(CodegenContext& c) override {
    if (!blackhole_)
      c.out() << "    sink" << c.ks() << "_->InitializeState(r.Entries(" << c.Lit(c.node().uid)
              << "), r.checkpoint_id());\n";
  }
  void NotifyComplete(CodegenContext& c) override {
    if (!blackhole_) c.out() << "    sink" << c.ks() << "_->NotifyCheckpointComplete(id);\n";
  }

 private:
  bool blackhole_;
};

}  // namespace

std::unique_ptr<OpEmitter> MakeEventTimeEmitter(const ir::Node& n);  // ops_window.cc
std::unique_ptr<OpEmitter> MakeJoinEmitter(const ir::Node& n);       // ops_join.cc
std::unique_ptr<OpEmitter> MakeProcessEmitter(const ir::Node& n);    // ops_process.cc
std::unique_ptr<OpEmitter> MakeConnectEmitter(const ir::Node& n);    // ops_connect.cc

std::unique_ptr<OpEmitter> MakeEmitter(const ir::Node& n) {
  if (auto e = MakeEventTimeEmitter(n)) return e;
  if (auto e = MakeJoinEmitter(n)) return e;
  if (auto e = MakeProcessEmitter(n)) return e;
  if (auto e = MakeConnectEmitter(n)) return e;
  if (n.op == "source" || n.op == "key_by" || n.op == "union" || n.op == "late_output")
    return std::make_unique<PassThrough>();
  if (n.op == "filter") return std::make_unique<Filter>();
  if (n.op == "select") return std::make_unique<Select>();
  if (n.op == "map") return std::make_unique<Map>();
  if (n.op == "flat_map") return std::make_unique<FlatMap>();
  if (n.op == "reduce") return std::make_unique<Reduce>();
  if (n.op == "sink") return std::make_unique<Sink>(n.StrParam("connector") == "blackhole");
  return nullptr;
}

}  // namespace dfc::compiler::codegen
