#include "compiler/codegen/codegen.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "compiler/codegen/emitter.h"
#include "compiler/expr/emit.h"
#include "compiler/expr/window_spec.h"
#include "compiler/support/cpp_escape.h"
#include "runtime/api/dfc/nexmark.h"

namespace dfc::compiler {

using codegen::CodeBuffer;
using codegen::CodegenContext;
using codegen::OpEmitter;

namespace codegen {

const char* kGeneratedFileName = "dfc_job.cc";

CodeBuffer& CodeBuffer::operator<<(std::string_view s) {
  for (char c : s)
    if (c == '\n') ++line_;
  text_ += s;
  return *this;
}

int CodegenContext::in_schema() const { return in_schema(0); }

int CodegenContext::in_schema(int input) const {
  const ir::Node& n = node();
  // A late_output node receives its window's input rows, which are its own type.
  if (n.inputs.empty() || n.op == "late_output") return n.out_schema;
  return g_.nodes[n.inputs[input]].out_schema;
}

// Generated code names every row type through its reserved alias dfc_row_<i>: a user type may
// be named like any generated member or local (`Tick`, `row`, `c`), and inside the chain class
// such a member would hide it. Only UDF code uses the user's names (at namespace scope).
std::string CodegenContext::RowType(int schema) const { return "dfc_row_" + std::to_string(schema); }

std::string CodegenContext::Field(int schema, int field) const {
  return CppIdentifier(g_.schemas[schema].fields[field].name);
}

std::string CodegenContext::Lit(std::string_view s) { return CppStringLiteral(s); }
std::string CodegenContext::Ident(std::string_view s) { return CppIdentifier(s); }

std::string CodegenContext::Expr(const ir::Expr& e, int schema, const std::string& row) const {
  return EmitExpr(e, g_.schemas[schema], row);
}

std::string CodegenContext::KeyType(int schema, const std::vector<int>& fields) const {
  if (fields.size() == 1) return g_.schemas[schema].fields[fields[0]].type.CppType();
  std::string t = "std::tuple<";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) t += ", ";
    t += g_.schemas[schema].fields[fields[i]].type.CppType();
  }
  return t + ">";
}

std::string CodegenContext::KeyExpr(int schema, const std::vector<int>& fields, const std::string& v) const {
  if (fields.size() == 1) return v + "." + Field(schema, fields[0]);
  std::string t = KeyType(schema, fields) + "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) t += ", ";
    t += v + "." + Field(schema, fields[i]);
  }
  return t + ")";
}

std::string CodegenContext::KeyHashExpr(int schema, const std::vector<int>& fields, const std::string& v) const {
  std::string h = "dfc::rt::HashValue(" + v + "." + Field(schema, fields[0]) + ")";
  for (size_t i = 1; i < fields.size(); ++i) {
    h = "dfc::rt::HashCombine(" + h + ", dfc::rt::HashValue(" + v + "." + Field(schema, fields[i]) + "))";
  }
  return h;
}

std::string CodegenContext::Next(const std::string& value, const std::string& ts) const {
  if (!next_prefix_.empty()) return next_prefix_ + "(" + value + ", " + ts + ");";
  std::string s;
  for (const auto& w : writers_) s += w + ".Emit(" + value + ", " + ts + "); ";
  return s;
}

std::string CodegenContext::NextMove(const std::string& value, const std::string& ts) const {
  if (!next_prefix_.empty() || writers_.empty()) return Next(value, ts);
  std::string s;
  for (size_t i = 0; i + 1 < writers_.size(); ++i) s += writers_[i] + ".Emit(" + value + ", " + ts + "); ";
  return s + writers_.back() + ".Emit(std::move(" + value + "), " + ts + "); ";
}

std::string CodegenContext::SideNext(const std::string& value, const std::string& ts) const {
  std::string s;
  for (const auto& w : side_writers_) s += w + ".Emit(" + value + ", " + ts + "); ";
  return s;
}

void CodegenContext::EmitUserCode(const ir::UserFunction& fn) {
  if (fn.loc.line > 0 && !fn.loc.file.empty()) {
    out_ << "\n#line " << fn.loc.line << " " << Lit(fn.loc.file) << "\n";
    // Pad so that columns match too: the code starts after the string's opening quote.
    out_ << std::string(static_cast<size_t>(fn.loc.col), ' ');
  }
  out_ << fn.code;
  out_ << "\n#line " << (out_.line() + 1) << " \"" << kGeneratedFileName << "\"\n";
}

}  // namespace codegen

namespace {

using ir::Graph;
using ir::Node;
using ir::Schema;

class Generator {
 public:
  Generator(const Graph& g, Diagnostics& diags) : g_(g), diags_(diags), cc_(g, diags, out_) {}

  std::string Run() {
    PlanParts();
    EmitPrologue();
    EmitSchemas();
    for (size_t c = 0; c < g_.chains.size(); ++c) EmitChain(static_cast<int>(c));
    EmitMain();
    return out_.Take();
  }

 private:
  std::string RowType(int schema) const { return cc_.RowType(schema); }
  std::string RowTypeOfNode(int node) const { return RowType(g_.nodes[node].out_schema); }
  std::string Field(int schema, int field) const { return cc_.Field(schema, field); }
  static std::string Lit(std::string_view s) { return CppStringLiteral(s); }

  // ---- prologue and row types ----
  void EmitPrologue() {
    out_ << "// Generated by dfc. Do not edit: rebuild the job instead.\n"
         << "#include \"dfc/runtime.h\"\n";
    // The job's own headers (`dependencies.headers`), after the runtime (which stays the first
    // include so its precompiled header applies) and at global scope.
    for (const auto& [path, loc] : g_.dependencies.headers) {
      if (auto name = CppHeaderName(path)) {
        out_ << "#include " << *name << "\n";
      } else {
        diags_.Error(loc, "dependency header path cannot be #included");
      }
    }
    out_ << "\n";
    EmitDslPrelude();
    out_ << "namespace dfc_job {\n\n";
  }

  // A C++ DSL job brings its own declarations (row structs, helpers, functor classes): the
  // front-end hands over job.cpp minus the job function, with lines and columns preserved
  // (docs/DSL.md). It goes first, at global scope, behind #line so errors point into job.cpp.
  void EmitDslPrelude() {
    const json::Value* p = g_.document ? g_.document->Get("cpp_prelude") : nullptr;
    if (!p) return;
    const json::Value* file = p->Get("file");
    const json::Value* code = p->Get("code");
    if (const json::Value* rt = p->Get("row_types"); rt && rt->is_array()) {
      for (const auto& t : rt->items)
        if (t->is_string()) user_row_types_.insert(t->str);
    }
    if (!code || !code->is_string()) return;
    if (file && file->is_string()) out_ << "#line 1 " << Lit(file->str) << "\n";
    out_ << code->str << "\n";
    out_ << "#line " << (out_.line() + 1) << " \"dfc_job.cc\"\n\n";
  }

  void EmitSchemas() {
    for (size_t i = 0; i < g_.schemas.size(); ++i) {
      const Schema& s = g_.schemas[i];
      const int si = static_cast<int>(i);
      std::string t = RowType(si);
      const std::string declared = s.derived ? t : CppIdentifier(s.name);
      if (!user_row_types_.count(s.name)) {  // DSL row types are the user's own structs
        out_ << "struct " << declared << " {\n";
        for (size_t f = 0; f < s.fields.size(); ++f) {
          out_ << "  " << s.fields[f].type.CppType() << " " << Field(si, static_cast<int>(f)) << "{};\n";
        }
        out_ << "};\n";
      }
      if (!s.derived) out_ << "using " << t << " = " << declared << ";\n";
      out_ << "inline const dfc::rt::FieldDesc dfc_fields_" << i << "[] = {\n";
      for (size_t f = 0; f < s.fields.size(); ++f) {
        out_ << "    {" << Lit(s.fields[f].name) << ", " << s.fields[f].type.RuntimeFieldType()
             << ", [](void* r) -> void* { return &static_cast<" << t << "*>(r)->" << Field(si, static_cast<int>(f))
             << "; }},\n";
      }
      out_ << "};\n";
      out_ << "inline const dfc::rt::RowDesc dfc_desc_" << i << " = {" << Lit(s.name) << ", dfc_fields_" << i << ", "
           << s.fields.size() << ", []() -> void* { return new " << t << "(); }, [](void* r) { delete static_cast<"
           << t << "*>(r); }};\n";
      EmitSerde(si, t);
      out_ << "\n";
    }
  }

  // Keyed state serializes rows (dfc/state.h Serde): ADL functions beside the row type, so at
  // global scope for the DSL's own structs.
  void EmitSerde(int si, const std::string& row_type) {
    const Schema& s = g_.schemas[si];
    const bool global = user_row_types_.count(s.name) > 0;
    if (global) out_ << "}  // namespace dfc_job\n";
    const std::string t = global ? "::dfc_job::" + row_type : row_type;  // an alias of the DSL's struct
    std::string sig = "ROW<";
    for (size_t f = 0; f < s.fields.size(); ++f) sig += (f ? "," : "") + s.fields[f].name + " " + s.fields[f].type.ToString();
    sig += ">";
    out_ << "inline void dfc_serde_write([[maybe_unused]] dfc::rt::StateWriter& w, [[maybe_unused]] const " << t
         << "& r) {\n";
    for (size_t f = 0; f < s.fields.size(); ++f) {
      const std::string m = "r." + Field(si, static_cast<int>(f));
      out_ << "  dfc::rt::Serde<std::decay_t<decltype(" << m << ")>>::Write(w, " << m << ");\n";
    }
    out_ << "}\ninline void dfc_serde_read([[maybe_unused]] dfc::rt::StateReader& rd, [[maybe_unused]] " << t
         << "& r) {\n";
    for (size_t f = 0; f < s.fields.size(); ++f) {
      const std::string m = "r." + Field(si, static_cast<int>(f));
      out_ << "  dfc::rt::Serde<std::decay_t<decltype(" << m << ")>>::Read(rd, " << m << ");\n";
    }
    out_ << "}\ninline std::string dfc_serde_type(const " << t << "*) { return " << Lit(sig) << "; }\n";
    if (global) out_ << "namespace dfc_job {\n";
  }

  // ---- chains ----
  struct ChainCtx {
    int index;
    std::vector<int> nodes;
    std::vector<int> out_edges;  // indices into g_.edges leaving the chain tail, in edge order
    std::vector<std::unique_ptr<OpEmitter>> emitters;
  };

  std::vector<int> OutEdgesOfChain(int c) const {
    const int tail = g_.chains[c].nodes.back();
    std::vector<int> r;
    for (size_t e = 0; e < g_.edges.size(); ++e) {
      if (g_.edges[e].from == tail && g_.nodes[g_.edges[e].to].chain != c) r.push_back(static_cast<int>(e));
    }
    return r;
  }

  static const char* ModeName(ir::Partitioning p) {
    switch (p) {
      case ir::Partitioning::kForward: return "dfc::rt::PartitionMode::kForward";
      case ir::Partitioning::kHash: return "dfc::rt::PartitionMode::kHash";
      case ir::Partitioning::kRebalance: return "dfc::rt::PartitionMode::kRebalance";
      case ir::Partitioning::kBroadcast: return "dfc::rt::PartitionMode::kBroadcast";
    }
    return "";
  }

  // Edges into a late_output node carry the window's input rows (its late records).
  bool IsLateEdge(int e) const { return g_.nodes[g_.edges[e].to].op == "late_output"; }
  // The row type an edge carries.
  int EdgeSchema(int e) const {
    const ir::Edge& edge = g_.edges[e];
    return IsLateEdge(e) ? g_.nodes[edge.to].out_schema : g_.nodes[edge.from].out_schema;
  }

  // Points the shared context at operator k of the chain.
  void Select(const ChainCtx& cc, int k) {
    std::vector<std::string> writers, side;
    for (size_t i = 0; i < cc.out_edges.size(); ++i)
      (IsLateEdge(cc.out_edges[i]) ? side : writers).push_back("out" + std::to_string(i) + "_");
    const bool last = k + 1 == static_cast<int>(cc.nodes.size());
    cc_.SetOperator(cc.nodes[k], k, last ? "" : "op" + std::to_string(k + 1), writers, last ? side : std::vector<std::string>{});
  }

  template <class F>
  void ForEachOp(ChainCtx& cc, F&& f) {
    for (size_t k = 0; k < cc.nodes.size(); ++k) {
      Select(cc, static_cast<int>(k));
      f(*cc.emitters[k]);
    }
  }

  void EmitChain(int c) {
    ChainCtx cc{c, g_.chains[c].nodes, OutEdgesOfChain(c), {}};
    for (int idx : cc.nodes) {
      auto e = codegen::MakeEmitter(g_.nodes[idx]);
      if (!e) {
        diags_.Error(g_.nodes[idx].loc, "operator '" + g_.nodes[idx].op + "' has no code generator yet");
        return;
      }
      cc.emitters.push_back(std::move(e));
    }
    const Node& head = g_.nodes[cc.nodes.front()];
    const bool is_source = head.op == "source";
    const std::string cls = "dfc_Chain" + std::to_string(c);
    const std::string base = is_source ? "SourceTask" : "OperatorTask";

    ForEachOp(cc, [&](OpEmitter& e) { e.Helpers(cc_); });
    for (int e : cc.out_edges) {
      const ir::Edge& edge = g_.edges[e];
      if (edge.partitioning == ir::Partitioning::kHash) {
        int s = EdgeSchema(e);
        out_ << "inline uint64_t dfc_key_hash_" << e << "(const " << RowType(s) << "& v) { return "
             << cc_.KeyHashExpr(s, edge.key_fields, "v") << "; }\n";
      }
    }

    out_ << "\n" << (part_.empty() ? "" : PartGuard(part_[c]));
    out_ << "class " << cls << " final : public dfc::rt::" << base << " {\n public:\n";
    // Methods that run once or once per checkpoint are [[gnu::cold]]: GCC optimises them for size
    // (less inlining and less work at -O2; issue 2: `dfc build` time), the per-record paths stay hot.
    out_ << "  [[gnu::cold]] void Open(dfc::rt::TaskContext& ctx) override {\n    " << base << "::Open(ctx);\n";
    for (size_t i = 0; i < cc.out_edges.size(); ++i) {
      const ir::Edge& edge = g_.edges[cc.out_edges[i]];
      out_ << "    out" << i << "_.Init(&ctx, " << i << ", " << ModeName(edge.partitioning);
      if (edge.partitioning == ir::Partitioning::kHash) out_ << ", &dfc_key_hash_" << cc.out_edges[i];
      out_ << ");\n";
    }
    ForEachOp(cc, [&](OpEmitter& e) { e.Open(cc_); });
    out_ << "  }\n";

    if (is_source) {
      EmitSourceRun(cc);
      // Every watermark the source emits goes through the chained operators' hooks first (fire
      // windows and timers: results precede their watermark), then to the writers.
      out_ << "  void dfc_Watermark(int64_t wm) {\n    (void)wm;\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.OnWatermark(cc_); });
      out_ << "    Publish();\n";
      for (size_t i = 0; i < cc.out_edges.size(); ++i)
        out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kWatermark, wm);\n";
      out_ << "    if (wm == dfc::rt::kMaxWatermark) {\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.OnEndOfInput(cc_); });
      out_ << "      Publish();\n    }\n  }\n";
      // stop-with-savepoint --drain (dfc/task.h): the maximum watermark before the final barrier.
      out_ << "  [[gnu::cold]] void DrainForStop() override { dfc_Watermark(dfc::rt::kMaxWatermark); }\n";
      out_ << "  void dfc_TickOps() {\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.OnTick(cc_); });
      out_ << "  }\n";
    } else {
      Select(cc, 0);
      const std::string in_t = cc_.in_type();
      out_ << "  void ProcessBuffer(int input, dfc::rt::BufferBase& b) override {\n";
      if (cc.emitters[0]->TwoInputs()) {
        out_ << "    if (input == 1) {\n      for (auto& r : static_cast<dfc::rt::Buffer<" << RowType(cc_.in_schema(1))
             << ">&>(b).records) op0_in1(r.value, r.ts);\n      Publish();\n      return;\n    }\n";
      }
      out_ << "    for (auto& r : static_cast<dfc::rt::Buffer<" << in_t << ">&>(b).records) op0(r.value, r.ts);\n"
           << "    Publish();\n  }\n";
      out_ << "  void OnWatermark(int64_t wm) override {\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.OnWatermark(cc_); });
      out_ << "    Publish();\n";
      for (size_t i = 0; i < cc.out_edges.size(); ++i)
        out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kWatermark, wm);\n";
      out_ << "  }\n";
      out_ << "  [[gnu::cold]] void OnEndOfInput() override {\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.OnEndOfInput(cc_); });
      out_ << "    Publish();\n  }\n";
      out_ << "  void OnIdle() override {\n";
      for (size_t i = 0; i < cc.out_edges.size(); ++i) out_ << "    out" << i << "_.Flush();\n";
      ForEachOp(cc, [&](OpEmitter& e) { e.Flush(cc_); });
      out_ << "  }\n";
      out_ << "  void OnWatermarkStatus(bool idle) override {\n    Publish();\n";
      for (size_t i = 0; i < cc.out_edges.size(); ++i)
        out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kWatermarkStatus, idle ? 1 : 0);\n";
      out_ << "  }\n";
      std::vector<std::string> deadlines;
      ForEachOp(cc, [&](OpEmitter& e) {
        if (std::string d = e.ProcessingDeadline(cc_); !d.empty()) deadlines.push_back(d);
      });
      if (!deadlines.empty()) {
        out_ << "  int64_t NextProcessingDeadline() override {\n    int64_t d = dfc::rt::kMaxWatermark;\n";
        for (const auto& d : deadlines) out_ << "    d = std::min<int64_t>(d, " << d << ");\n";
        out_ << "    return d;\n  }\n  void OnProcessingTime(int64_t now_ms) override {\n    (void)now_ms;\n";
        ForEachOp(cc, [&](OpEmitter& e) { e.OnProcessingTime(cc_); });
        out_ << "    Publish();\n  }\n";
      }
      out_ << "  void OnTick(int64_t now_ns) override {\n";
      const int tick_start = out_.line();
      ForEachOp(cc, [&](OpEmitter& e) { e.OnTick(cc_); });
      // Works by the clock at every tick (processing-time windows): keeps its own thread
      // (VertexSpec::timer_driven). Processing-time timers alone do not need it.
      if (out_.line() != tick_start) timer_driven_.insert(c);
      for (size_t i = 0; i < cc.out_edges.size(); ++i) out_ << "    out" << i << "_.MaybeFlushOnTimeout(now_ns);\n";
      out_ << "  }\n";
    }
    EmitCheckpointHooks(cc, is_source);
    out_ << "  [[gnu::cold]] void Close() override {\n";
    for (size_t i = 0; i < cc.out_edges.size(); ++i)
      out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kEndOfInput, 0);\n";
    ForEachOp(cc, [&](OpEmitter& e) { e.Close(cc_); });
    out_ << "  }\n\n private:\n";

    // Per-operator counters, accumulated locally and published once per buffer.
    const size_t n_ops = cc.nodes.size();
    out_ << "  uint64_t in_[" << n_ops << "] = {};\n  uint64_t out_[" << n_ops << "] = {};\n";
    out_ << "  void Publish() {\n"
         << "    for (int k = 0; k < " << n_ops << "; ++k) {\n"
         << "      if (in_[k]) { ctx().op_metrics(k)->AddIn(in_[k]); in_[k] = 0; }\n"
         << "      if (out_[k]) { ctx().op_metrics(k)->AddOut(out_[k]); out_[k] = 0; }\n"
         << "    }\n  }\n";

    ForEachOp(cc, [&](OpEmitter& e) {
      e.Members(cc_);
      const Node& n = cc_.node();
      for (int input = 0; input < (e.TwoInputs() ? 2 : 1); ++input) {
        out_ << "  void op" << cc_.ks() << (input ? "_in1" : "") << "("
             << (n.inputs.empty() ? cc_.out_type() : RowType(cc_.in_schema(input))) << "& v, int64_t ts) {\n"
             << "    ++in_[" << cc_.ks() << "];\n"
             << "    try {\n";
        if (input) e.Body1(cc_);
        else e.Body(cc_);
        // One handler; the runtime library translates the exception (dfc/task.h).
        out_ << "    } catch (...) {\n"
             << "      dfc::rt::RethrowAsOperatorError(" << Lit(n.id) << ");\n"
             << "    }\n  }\n";
      }
    });
    for (size_t i = 0; i < cc.out_edges.size(); ++i) {
      out_ << "  dfc::rt::RecordWriter<" << RowType(EdgeSchema(cc.out_edges[i])) << "> out" << i << "_;\n";
    }
    out_ << "};\n";
    out_ << "dfc::rt::Task* dfc_create_" << c << "() { return new " << cls << "(); }\n";
    if (!part_.empty()) out_ << "#endif  // DFC_PART " << part_[c] << "\n";
    out_ << "\n";
  }

  // ---- parts ----
  // A job with several chains is compiled as two translation units at once (the toolchain
  // compiles this one file with -DDFC_PART=0 and -DDFC_PART=1 concurrently): each chain class,
  // with its dfc_create_N, is in one part; types and inline helpers are in both; the job table and
  // main are in part 0. Without DFC_PART the file is the whole job. Not for jobs that bring
  // code at namespace scope (a C++ DSL prelude, dependency headers): that could be defined twice.
  // Parts are balanced by a rough cost per operator (stateful ones cost more to compile).
  static constexpr const char* kPartGuard = "#if !defined(DFC_PART) || DFC_PART == ";
  static std::string PartGuard(int part) { return kPartGuard + std::to_string(part) + "\n"; }
  void PlanParts() {
    if (g_.chains.size() < 2 || !g_.dependencies.headers.empty()) return;
    if (g_.document && g_.document->Get("cpp_prelude")) return;
    std::vector<std::pair<int, int>> cost;  // (-cost, chain): costliest first, ties by chain
    for (size_t c = 0; c < g_.chains.size(); ++c) {
      int w = static_cast<int>(OutEdgesOfChain(static_cast<int>(c)).size());
      for (int idx : g_.chains[c].nodes) {
        const Node& n = g_.nodes[idx];
        const bool light = n.op == "source" || n.op == "sink" || n.op == "filter" || n.op == "select" ||
                           n.op == "map" || n.op == "flat_map" || n.op == "key_by" || n.op == "union";
        w += light ? 1 : 4;
      }
      cost.emplace_back(-w, static_cast<int>(c));
    }
    std::sort(cost.begin(), cost.end());
    part_.assign(g_.chains.size(), 0);
    int load[2] = {1, 0};  // part 0 also has the job table and main
    for (const auto& [neg, c] : cost) {
      const int p = load[1] < load[0] ? 1 : 0;
      part_[c] = p;
      load[p] -= neg;
    }
    if (load[1] == 0) part_.clear();  // everything landed in part 0
  }

  // ---- checkpoints ----
  // InitializeState / BroadcastBarrier / SnapshotState / NotifyCheckpointComplete of a chain
  // (dfc/task.h): a source head's splits, then each operator's hooks in chain order.
  void EmitCheckpointHooks(ChainCtx& cc, bool is_source) {
    const Node& head = g_.nodes[cc.nodes.front()];
    const std::string head_uid = Lit(head.uid);
    out_ << "  [[gnu::cold]] void InitializeState(const dfc::rt::RestoredState& r) override {\n";
    if (is_source) {
      const bool file = head.StrParam("connector") == "file";
      out_ << "    dfc_splits_ = dfc::rt::SourceSplits(r, " << head_uid
           << ", ctx().subtask(), ctx().parallelism(), " << (file ? "-1" : "ctx().subtask()") << ");\n";
    }
    ForEachOp(cc, [&](OpEmitter& e) { e.Restore(cc_); });
    out_ << "    (void)r;\n  }\n";
    out_ << "  [[gnu::cold]] void BroadcastBarrier(int64_t id) override {\n    Publish();\n";
    for (size_t i = 0; i < cc.out_edges.size(); ++i)
      out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kBarrier, id);\n";
    out_ << "    (void)id;\n  }\n";
    out_ << "  [[gnu::cold]] void SnapshotState(dfc::rt::SnapshotWriter& w) override {\n";
    if (is_source) {
      out_ << "    for (const auto& sp : dfc_splits_) *w.AddOperatorEntry(" << head_uid
           << ") = dfc::rt::EncodeSplit(sp);\n";
    }
    std::string unsupported;
    ForEachOp(cc, [&](OpEmitter& e) {
      if (!e.Snapshot(cc_) && unsupported.empty()) unsupported = cc_.node().id;
    });
    out_ << "    (void)w;\n  }\n";
    out_ << "  [[gnu::cold]] void NotifyCheckpointComplete(int64_t id) override {\n";
    ForEachOp(cc, [&](OpEmitter& e) { e.NotifyComplete(cc_); });
    out_ << "    (void)id;\n  }\n";
    if (!unsupported.empty()) {
      out_ << "  const char* UncheckpointedOperator() const override { return " << Lit(unsupported) << "; }\n";
    }
    if (is_source) out_ << "  std::vector<dfc::rt::SourceSplit> dfc_splits_;\n";
  }

  // ---- sources ----
  // Every source reads its splits (dfc/checkpoint.h SourceSplit) one after the other, keeping
  // each split's position current before SourceLoop::Continue(), where barriers are emitted.
  void EmitSourceRun(const ChainCtx& cc) {
    const Node& n = g_.nodes[cc.nodes.front()];
    const std::string t = RowTypeOfNode(cc.nodes.front());
    const std::string connector = n.StrParam("connector");
    const std::string id = Lit(n.id);
    out_ << "  void Run() override {\n    dfc::rt::TaskContext& c = ctx();\n";
    out_ << "    dfc::rt::SourceLoop loop(c);\n";
    if (connector == "file") {
      out_ << "    dfc::rt::FileSourceOptions o;\n"
           << "    o.source_id = " << id << ";\n"
           << "    o.path = c.Param(" << id << ", \"path\", " << Lit(n.StrParam("path")) << ");\n"
           << "    o.format = dfc::rt::ParseFormat(c.Param(" << id << ", \"format\", " << Lit(n.StrParam("format", "csv"))
           << "));\n"
           << "    o.on_error = dfc::rt::ParseOnError(c.Param(" << id << ", \"on_error\", "
           << Lit(n.StrParam("on_error", "fail")) << "));\n"
           << "    o.dead_letter_path = c.Param(" << id << ", \"dead_letter_path\", "
           << Lit(n.StrParam("dead_letter_path")) << ");\n"
           << "    dfc::rt::FileSource src(dfc_desc_" << n.out_schema << ", o, c.op_metrics(0));\n"
           << "    " << t << " row;\n"
           << "    for (auto& sp : dfc_splits_) {\n"
           << "      if (sp.done) continue;\n"
           << "      src.Open(static_cast<int>(sp.start), static_cast<int>(sp.step));\n"
           << "      if (sp.next >= 0) src.Seek(sp.next);\n"
           << "      while (true) {\n"
           << "        sp.next = src.position();\n"
           << "        if (!loop.Continue()) break;\n"
           << "        if (!src.Next(&row)) { sp.done = true; break; }\n"
           << "        op0(row, dfc::rt::kNoTimestamp);\n"
           << "        if (loop.Step()) { Publish(); Tick(); }\n"
           << "      }\n"
           << "      if (ShouldStop()) break;\n"
           << "    }\n";
    } else if (connector == "datagen") {
      EmitDatagen(n, t);
    } else if (connector == "nexmark") {
      EmitNexmark(cc, n, t);
    } else if (connector == "values") {
      EmitValues(n, t);
    } else {
      diags_.Error(n.ParamLoc("connector"), "source connector '" + connector + "' has no code generator");
    }
    out_ << "    Publish();\n    if (!ShouldStop()) { FlushAll(); c.AwaitSourcesFinished(); dfc_Watermark(dfc::rt::kMaxWatermark); }\n  }\n";
    out_ << "  void Tick() {\n    dfc_TickOps();\n    const int64_t now = ctx().clock()->NowNanos();\n";
    for (size_t i = 0; i < cc.out_edges.size(); ++i) out_ << "    out" << i << "_.MaybeFlushOnTimeout(now);\n";
    EmitSourceWatermarks(cc, n);
    out_ << "  }\n  void FlushAll() {";
    for (size_t i = 0; i < cc.out_edges.size(); ++i) out_ << " out" << i << "_.Flush();";
    out_ << " }\n";
  }

  // A source's "watermark" strategy (window_spec.h; the source head's emitter, ops_window.cc,
  // stamps each record with its column and tracks dfc_wm_max_): bounded out-of-orderness,
  // watermark = max timestamp - bound - 1, never going backwards; "periodic" emits from Tick()
  // every pipeline.auto-watermark-interval (default 200 ms, 0 = off), "per_record" after each
  // record. Continues Tick()'s body, then adds the members.
  void EmitSourceWatermarks(const ChainCtx& cc, const Node& n) {
    if (!n.Param("watermark")) return;
    std::optional<WatermarkSpec> spec = ParseWatermarkSpec(n, g_.schemas[n.out_schema], diags_);
    if (!spec) return;
    const std::string interval_text = g_.ConfigValue("pipeline.auto-watermark-interval", "200ms");
    std::optional<int64_t> interval = ParseDurationMs(interval_text);
    if (!interval) interval = 200;
    if (!spec->per_record && *interval > 0) {
      out_ << "    if (now >= dfc_wm_next_ns_) {\n      dfc_wm_next_ns_ = now + " << *interval * 1'000'000
           << "LL;\n      EmitWatermark();\n    }\n";
    }
    if (spec->idleness_ms > 0) {
      // Idleness (Flink's withIdleness): no record for that long -> tell downstream this source
      // holds no watermark back; the next record makes it active again (dfc_Active()).
      out_ << "    if (dfc_last_rec_ns_ == 0) dfc_last_rec_ns_ = now;  // the idle timeout starts with the source\n"
           << "    if (!dfc_idle_ && now - dfc_last_rec_ns_ >= " << spec->idleness_ms * 1'000'000 << "LL) {\n"
           << "      dfc_idle_ = true;\n      Publish();\n";
      for (size_t i = 0; i < cc.out_edges.size(); ++i)
        out_ << "      out" << i << "_.Broadcast(dfc::rt::ElementKind::kWatermarkStatus, 1);\n";
      out_ << "    }\n";
    }
    out_ << "  }\n  bool dfc_idle_ = false;\n  int64_t dfc_last_rec_ns_ = 0;\n"
         << "  void dfc_Active() {\n    dfc_idle_ = false;\n";
    for (size_t i = 0; i < cc.out_edges.size(); ++i)
      out_ << "    out" << i << "_.Broadcast(dfc::rt::ElementKind::kWatermarkStatus, 0);\n";
    out_ << "  }\n  int64_t dfc_wm_max_ = INT64_MIN, dfc_wm_last_ = INT64_MIN, dfc_wm_next_ns_ = 0;\n"
         << "  void EmitWatermark() {\n"
         << "    if (dfc_wm_max_ == INT64_MIN) return;\n"
         << "    const int64_t w = dfc_wm_max_ - " << spec->bound_ms << "LL - 1;\n"
         << "    if (w <= dfc_wm_last_) return;\n"
         << "    dfc_wm_last_ = w;\n    dfc_Watermark(w);\n";
  }

  // The `nexmark` source (runtime/api/dfc/nexmark.h): subtask s of p generates the event indices
  // s, s + p, ... below `events` (absent or negative: unbounded) and emits those of `stream`
  // ("bid" | "auction" | "person", or "all") as rows of the declared type, whose columns are taken
  // by name from the event: for one stream any subset of that event's columns (nexmark-flink's
  // names); for "all", `event_type` (0 person, 1 auction, 2 bid), `dateTime` and
  // `<stream>_<column>` (e.g. bid_price), filled for the event's own kind only. Event time =
  // dateTime; watermark = max dateTime - watermark_delay_ms (SQL style, default 4000 as
  // nexmark's DDL), emitted every 16384 rows, unless the node sets its own "watermark" strategy.
  // `-D <id>.replay=R` (benchmarks: engine only) generates the events into memory first and
  // replays them R times, time shifted (dfc/nexmark_replay.h).
  // `extra` is generated only if a column reads it.
  void EmitNexmark(const ChainCtx& cc, const Node& n, const std::string& t) {
    namespace nx = dfc::nexmark;
    const std::string id = Lit(n.id);
    const Schema& s = g_.schemas[n.out_schema];
    auto int_param = [&](const char* key, int64_t def) -> int64_t {
      const json::Value* v = n.Param(key);
      if (!v) return def;
      if (!v->is_integer) diags_.Error(n.ParamLoc(key), std::string("parameter '") + key + "' must be an integer");
      return v->is_integer ? v->integer : def;
    };
    const std::string stream = n.StrParam("stream", "bid");
    static const char* kStreams[] = {"person", "auction", "bid"};
    int kind = -1;  // -1 = all
    for (int k = 0; k < 3; ++k)
      if (stream == kStreams[k]) kind = k;
    if (kind < 0 && stream != "all") {
      diags_.Error(n.ParamLoc("stream"), "nexmark 'stream' must be \"bid\", \"auction\", \"person\" or \"all\", got \"" +
                                             stream + "\"");
      return;
    }
    // Column -> C++ expression reading it from the Event `ev`, type-checked against the declared type.
    std::string fill;
    bool extra = false;
    const int first_kind = kind < 0 ? 0 : kind, last_kind = kind < 0 ? 2 : kind;
    std::string per_kind[3];
    for (size_t f = 0; f < s.fields.size(); ++f) {
      const std::string& name = s.fields[f].name;
      const ir::TypeKind tk = s.fields[f].type.kind;
      const std::string lhs = "row." + Field(n.out_schema, static_cast<int>(f));
      if (kind < 0 && name == "event_type") {
        if (tk != ir::TypeKind::kInt && tk != ir::TypeKind::kBigint)
          diags_.Error(n.ParamLoc("type"), "nexmark column 'event_type' must be INT or BIGINT");
        fill += "      " + lhs + " = static_cast<" + s.fields[f].type.CppType() + ">(kind);\n";
        continue;
      }
      if (kind < 0 && name == "dateTime") {
        if (tk != ir::TypeKind::kTimestamp && tk != ir::TypeKind::kBigint)
          diags_.Error(n.ParamLoc("type"), "nexmark column 'dateTime' must be TIMESTAMP(3) or BIGINT");
        fill += "      " + lhs + " = ts;\n";
        continue;
      }
      bool found = false;
      for (int k = first_kind; k <= last_kind && !found; ++k) {
        std::string col = name;
        if (kind < 0) {
          const std::string prefix = std::string(kStreams[k]) + "_";
          if (col.compare(0, prefix.size(), prefix) != 0) continue;
          col = col.substr(prefix.size());
        }
        int nc = 0;
        const nx::Column* cols = nx::ColumnsOf(static_cast<nx::EventKind>(k), &nc);
        for (int c = 0; c < nc && !found; ++c) {
          if (col != cols[c].name) continue;
          found = true;
          const std::string sql = cols[c].sql_type;
          const bool ok = sql == "STRING"         ? tk == ir::TypeKind::kString
                          : sql == "TIMESTAMP(3)" ? tk == ir::TypeKind::kTimestamp || tk == ir::TypeKind::kBigint
                                                  : tk == ir::TypeKind::kBigint;
          if (!ok)
            diags_.Error(n.ParamLoc("type"), "nexmark column '" + name + "' must be " + sql + ", declared " +
                                                 s.fields[f].type.ToString());
          if (col == "extra") extra = true;
          // Replay keeps the first pass's times: the source adds the pass's shift (0 when generating).
          const bool timed = col == "dateTime" || col == "expires";
          per_kind[k] += "        " + lhs + " = e." + col + (timed ? " + shift" : "") + ";\n";
        }
      }
      if (!found) {
        std::string known;
        int nc = 0;
        if (kind >= 0) {
          const nx::Column* cols = nx::ColumnsOf(static_cast<nx::EventKind>(kind), &nc);
          for (int c = 0; c < nc; ++c) known += std::string(known.empty() ? "" : ", ") + cols[c].name;
        } else {
          known = "event_type, dateTime, person_<column>, auction_<column>, bid_<column>";
        }
        diags_.Error(n.ParamLoc("type"), "the nexmark " + stream + " stream has no column '" + name + "' (columns: " +
                                             known + ")");
      }
    }
    out_ << "    dfc::nexmark::GeneratorConfig cfg;\n"
         << "    cfg.events_per_second = c.ParamInt(" << id << ", \"events_per_second\", "
         << int_param("events_per_second", nx::GeneratorConfig().events_per_second) << ");\n"
         << "    cfg.generate_extra = " << (extra ? "true" : "false") << ";\n"
         << "    const dfc::nexmark::Generator gen(cfg);\n"
         << "    const int64_t events = c.ParamInt(" << id << ", \"events\", " << int_param("events", -1) << ");\n"
         << "    const double rate = c.ParamDouble(" << id << ", \"rate\", " << RateLiteral(n) << ");\n"
         << "    const int64_t wm_delay = c.ParamInt(" << id << ", \"watermark_delay_ms\", "
         << int_param("watermark_delay_ms", 4000) << ");\n"
         << "    dfc::rt::RateLimiter limiter(c, rate);\n"
         << "    dfc::nexmark::EventSource src(gen, events, c.ParamInt(" << id << ", \"replay\", 0), " << kind
         << ", c.subtask(), c.parallelism());\n"
         << "    const int64_t limit = src.limit();\n"
         << "    dfc::nexmark::Event ev;\n"
         << "    " << t << " row;\n"
         << "    int64_t max_ts = INT64_MIN, last_wm = INT64_MIN;\n"
         << "    uint32_t since_wm = 0;\n"
         << "    for (auto& sp : dfc_splits_) {\n"
         << "    while (!sp.done && (limit < 0 || sp.next < limit)) {\n"
         << "      if (!loop.Continue()) break;\n"
         << "      const int64_t i = sp.next;\n"
         << "      sp.next += sp.step;\n";
    // The event is read in place (EventSource::*At: in replay the stored event, not a copy of it);
    // only the declared columns are copied, into the row.
    static const char* kAt[] = {"PersonAt", "AuctionAt", "BidAt"};
    if (kind >= 0) {
      out_ << "      if (src.KindOf(i) != static_cast<dfc::nexmark::EventKind>(" << kind << ")) continue;\n"
           << "      const auto& e = src." << kAt[kind] << "(i, &ev);\n"
           << "      const int64_t shift = src.shift();\n"
           << "      const int64_t ts = e.dateTime + shift;\n"
           << "      {\n" << per_kind[kind] << "      }\n";
    } else {
      out_ << "      const dfc::nexmark::EventKind kind = src.KindOf(i);\n"
           << "      row = " << t << "();\n"
           << "      int64_t ts = 0;\n"
           << "      switch (kind) {\n";
      for (int k = 0; k < 3; ++k)
        out_ << "        case static_cast<dfc::nexmark::EventKind>(" << k << "): {\n"
             << "          const auto& e = src." << kAt[k] << "(i, &ev);\n"
             << "          const int64_t shift = src.shift();\n"
             << "          ts = e.dateTime + shift;\n"
             << per_kind[k] << "          break;\n        }\n";
      out_ << "      }\n" << fill;
    }
    out_ << "      if (ts > max_ts) max_ts = ts;\n"
         << "      op0(row, ts);\n";
    // An explicit "watermark" strategy on the node replaces the built-in one (EmitSourceWatermarks).
    if (!n.Param("watermark")) {
      out_ << "      if (++since_wm >= 16384 && max_ts - wm_delay > last_wm) {\n"
           << "        since_wm = 0;\n"
           << "        last_wm = max_ts - wm_delay;\n"
           << "        dfc_Watermark(last_wm);\n"
           << "      }\n";
    } else {
      out_ << "      (void)since_wm; (void)last_wm; (void)wm_delay;\n";
    }
    out_ << ""
         << "      if (loop.Step()) { Publish(); Tick(); }\n"
         << "      limiter.Acquire([this] { Publish(); FlushAll(); }, [this] { Tick(); });\n"
         << "    }\n"
         << "    if (ShouldStop()) break;\n"
         << "    }\n";
  }

  // A source's `rate` (records per second, any positive number; 0 = unlimited) as a C++ double
  // literal. The verifier has checked it is a positive number.
  static std::string RateLiteral(const Node& n) {
    const json::Value* rate = n.Param("rate");
    if (rate == nullptr || !rate->is_number()) return "0.0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", rate->number);
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
  }

  void EmitDatagen(const Node& n, const std::string& t) {
    const std::string id = Lit(n.id);
    const Schema& s = g_.schemas[n.out_schema];
    const json::Value* fields = n.Param("fields");
    out_ << "    const int64_t count = c.ParamInt(" << id << ", \"count\", "
         << (n.Param("count") && n.Param("count")->is_integer ? n.Param("count")->integer : -1) << ");\n"
         << "    const double rate = c.ParamDouble(" << id << ", \"rate\", " << RateLiteral(n) << ");\n"
         << "    dfc::rt::RateLimiter limiter(c, rate);\n"
         << "    for (auto& sp : dfc_splits_) {\n"
         << "    while (!sp.done && (count < 0 || sp.next < count)) {\n"
         << "      if (!loop.Continue()) break;\n"
         << "      const int64_t i = sp.next;\n"
         << "      sp.next += sp.step;\n"
         << "      " << t << " row;\n";
    for (size_t f = 0; f < s.fields.size(); ++f) {
      const json::Value* spec = fields ? fields->Get(s.fields[f].name) : nullptr;
      std::string kind = "random";
      if (spec && spec->Get("kind") && spec->Get("kind")->is_string()) kind = spec->Get("kind")->str;
      auto num = [&](const char* key, int64_t def) -> int64_t {
        const json::Value* v = spec ? spec->Get(key) : nullptr;
        return v && v->is_integer ? v->integer : def;
      };
      auto dbl = [&](const char* key, double def) -> double {
        const json::Value* v = spec ? spec->Get(key) : nullptr;
        return v && v->is_number() ? v->number : def;
      };
      const std::string lhs = "      row." + Field(n.out_schema, static_cast<int>(f)) + " = ";
      const ir::TypeKind k = s.fields[f].type.kind;
      const std::string fi = std::to_string(f);
      if (kind == "sequence") {
        // "every": the value advances by `step` every `every` rows (timestamps for many rows per ms).
        const int64_t every = std::max<int64_t>(num("every", 1), 1);
        const std::string idx = every == 1 ? "i" : "(i / " + std::to_string(every) + "LL)";
        std::string e = "(" + std::to_string(num("start", 0)) + "LL + " + idx + " * " + std::to_string(num("step", 1)) + "LL)";
        switch (k) {
          case ir::TypeKind::kString: out_ << lhs << "std::to_string" << e << ";\n"; break;
          case ir::TypeKind::kBoolean: out_ << lhs << "(" << e << " & 1) != 0;\n"; break;
          case ir::TypeKind::kInt: out_ << lhs << "static_cast<int32_t>" << e << ";\n"; break;
          case ir::TypeKind::kDouble: out_ << lhs << "static_cast<double>" << e << ";\n"; break;
          default: out_ << lhs << e << ";\n"; break;
        }
      } else {
        switch (k) {
          case ir::TypeKind::kString:
            out_ << lhs << "dfc::rt::gen::RandomString(i, " << fi << ", " << num("length", 10) << ");\n";
            break;
          case ir::TypeKind::kBoolean: out_ << lhs << "dfc::rt::gen::RandomBool(i, " << fi << ");\n"; break;
          case ir::TypeKind::kDouble: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g, %.17g", dbl("min", 0), dbl("max", 1));
            out_ << lhs << "dfc::rt::gen::RandomDouble(i, " << fi << ", " << buf << ");\n";
            break;
          }
          case ir::TypeKind::kInt:
            out_ << lhs << "static_cast<int32_t>(dfc::rt::gen::RandomInt(i, " << fi << ", " << num("min", 0)
                 << "LL, " << num("max", 1000) << "LL));\n";
            break;
          default:
            out_ << lhs << "dfc::rt::gen::RandomInt(i, " << fi << ", " << num("min", 0) << "LL, "
                 << num("max", 1000) << "LL);\n";
            break;
        }
      }
    }
    out_ << "      op0(row, dfc::rt::kNoTimestamp);\n"
         << "      if (loop.Step()) { Publish(); Tick(); }\n"
         << "      limiter.Acquire([this] { Publish(); FlushAll(); }, [this] { Tick(); });\n"
         << "    }\n"
         << "    if (ShouldStop()) break;\n"
         << "    }\n";
  }

  // A C++ literal for a JSON value of a `values` row, or "" after reporting an error.
  std::string ValueLiteral(const json::Value& v, const ir::Type& type) {
    switch (type.kind) {
      case ir::TypeKind::kBoolean:
        if (v.is_bool()) return v.bool_value ? "true" : "false";
        break;
      case ir::TypeKind::kInt:
        if (v.is_integer && v.integer >= INT32_MIN && v.integer <= INT32_MAX)
          return "static_cast<int32_t>(" + std::to_string(v.integer) + ")";
        break;
      case ir::TypeKind::kBigint:
      case ir::TypeKind::kTimestamp:
        if (v.is_integer) {
          if (v.integer == INT64_MIN) return "INT64_MIN";
          return std::to_string(v.integer) + "LL";
        }
        break;
      case ir::TypeKind::kDouble:
        if (v.is_number()) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.17g", v.number);
          std::string s = buf;
          if (s.find_first_of(".en") == std::string::npos) s += ".0";
          return s;
        }
        break;
      case ir::TypeKind::kString:
        if (v.is_string()) return "std::string(" + Lit(v.str) + ")";
        break;
    }
    diags_.Error(v.loc, std::string("value does not fit column type ") + type.ToString());
    return "{}";
  }

  void EmitValues(const Node& n, const std::string& t) {
    const Schema& s = g_.schemas[n.out_schema];
    const json::Value* rows = n.Param("rows");
    out_ << "    static const " << t << " kRows[] = {\n";
    size_t count = 0;
    if (rows && rows->is_array()) {
      for (const auto& row : rows->items) {
        std::vector<const json::Value*> vals(s.fields.size(), nullptr);
        if (row->is_array()) {
          if (row->items.size() != s.fields.size()) {
            diags_.Error(row->loc, "row has " + std::to_string(row->items.size()) + " values but type '" + s.name +
                                       "' has " + std::to_string(s.fields.size()) + " columns");
            continue;
          }
          for (size_t f = 0; f < s.fields.size(); ++f) vals[f] = row->items[f].get();
        } else if (row->is_object()) {
          for (const auto& m : row->members) {
            int f = s.FieldIndex(m.key);
            if (f < 0) {
              diags_.Error(m.key_loc, "unknown column '" + m.key + "'" + DidYouMean(m.key, s.FieldNames()));
              continue;
            }
            vals[f] = m.value.get();
          }
        } else {
          diags_.Error(row->loc, "a row is an array of values or an object of column: value");
          continue;
        }
        out_ << "        {";
        for (size_t f = 0; f < s.fields.size(); ++f) {
          if (f) out_ << ", ";
          if (!vals[f]) {
            diags_.Error(row->loc, "row has no value for column '" + s.fields[f].name + "'");
            out_ << "{}";
          } else {
            out_ << ValueLiteral(*vals[f], s.fields[f].type);
          }
        }
        out_ << "},\n";
        ++count;
      }
    }
    if (count == 0) out_ << "        {},\n";  // keeps the array well-formed; skipped below
    out_ << "    };\n"
         << "    for (auto& sp : dfc_splits_) {\n"
         << "    while (!sp.done && sp.next < " << count << ") {\n"
         << "      if (!loop.Continue()) break;\n"
         << "      " << t << " row = kRows[sp.next];\n"
         << "      sp.next += sp.step;\n"
         << "      op0(row, dfc::rt::kNoTimestamp);\n"
         << "      if (loop.Step()) { Publish(); Tick(); }\n"
         << "    }\n"
         << "    if (ShouldStop()) break;\n"
         << "    }\n";
  }

  // ---- main ----
  // The job description as constant tables (dfc/job_table.h): no vector or std::function code
  // for the compiler to instantiate and optimise per job.
  void EmitMain() {
    if (!part_.empty()) {
      for (size_t c = 0; c < g_.chains.size(); ++c) out_ << "dfc::rt::Task* dfc_create_" << c << "();\n";
      out_ << PartGuard(0);
    }
    for (size_t c = 0; c < g_.chains.size(); ++c) {
      out_ << "const dfc::rt::OperatorSpec dfc_ops_" << c << "[] = {\n";
      for (int idx : g_.chains[c].nodes) {
        const Node& n = g_.nodes[idx];
        out_ << "    {" << Lit(n.id) << ", " << Lit(n.name.empty() ? n.id : n.name) << ", " << Lit(n.uid) << ", "
             << OpKind(n) << "},\n";
      }
      out_ << "};\n";
    }
    if (!g_.chains.empty()) out_ << "const dfc::rt::JobTableVertex dfc_vertices[] = {\n";
    for (size_t c = 0; c < g_.chains.size(); ++c) {
      const ir::Chain& ch = g_.chains[c];
      std::string name;
      for (size_t k = 0; k < ch.nodes.size(); ++k) {
        if (k) name += " -> ";
        name += g_.nodes[ch.nodes[k]].id;
      }
      const Node& head = g_.nodes[ch.nodes.front()];
      const int max_src = head.op == "source" && head.StrParam("connector") == "values" ? 1 : 0;
      out_ << "    {" << Lit(name) << ", " << ch.parallelism << ", " << max_src << ", dfc_ops_" << c << ", "
           << ch.nodes.size() << ", &dfc_create_" << c;
      if (timer_driven_.count(static_cast<int>(c))) out_ << ", true";  // JobTableVertex::timer_driven
      out_ << "},\n";
    }
    if (!g_.chains.empty()) out_ << "};\n";
    int num_edges = 0;
    for (size_t c = 0; c < g_.chains.size(); ++c) {
      for (int e : OutEdgesOfChain(static_cast<int>(c))) {
        const ir::Edge& edge = g_.edges[e];
        out_ << (num_edges++ ? "" : "const dfc::rt::EdgeSpec dfc_edges[] = {\n") << "    {" << c << ", "
             << g_.nodes[edge.to].chain << ", " << edge.to_input << ", " << ModeName(edge.partitioning) << "},\n";
      }
    }
    if (num_edges) out_ << "};\n";
    int num_config = 0;
    for (const auto& [k, v] : g_.config) {
      out_ << (num_config++ ? "" : "const char* const dfc_config[][2] = {\n") << "    {" << Lit(k) << ", "
           << Lit(v.value) << "},\n";
    }
    if (num_config) out_ << "};\n";
    int num_params = 0;
    for (const auto& n : g_.nodes) {
      for (const char* p : OverridableParams(n)) {
        out_ << (num_params++ ? "" : "const char* const dfc_params[][2] = {\n") << "    {" << Lit(n.id) << ", \""
             << p << "\"},\n";
      }
    }
    if (num_params) out_ << "};\n";
    out_ << "const dfc::rt::JobTable dfc_job_table = {" << Lit(g_.name) << ", "
         << (num_config ? "dfc_config" : "nullptr") << ", " << num_config << ", "
         << (g_.chains.empty() ? "nullptr" : "dfc_vertices") << ", " << g_.chains.size() << ", "
         << (num_edges ? "dfc_edges" : "nullptr") << ", " << num_edges << ", "
         << (num_params ? "dfc_params" : "nullptr") << ", " << num_params << "};\n";
    if (!part_.empty()) out_ << "#endif  // DFC_PART 0\n";
    out_ << "\n}  // namespace dfc_job\n\n";
    if (!part_.empty()) out_ << PartGuard(0);
    out_ << "int main(int argc, char** argv) { return dfc::rt::RunJobMain(dfc_job::dfc_job_table, argc, argv); }\n";
    if (!part_.empty()) out_ << "#endif  // DFC_PART 0\n";
  }

  static const char* OpKind(const Node& n) {
    if (n.op == "source") return "dfc::rt::OperatorKind::kSource";
    if (n.op == "sink") return "dfc::rt::OperatorKind::kSink";
    return "dfc::rt::OperatorKind::kOperator";
  }

  static std::vector<const char*> OverridableParams(const Node& n) {
    const std::string conn = n.StrParam("connector");
    if (n.op == "source" && conn == "file") return {"path", "format", "on_error", "dead_letter_path"};
    if (n.op == "source" && conn == "datagen") return {"count", "rate"};
    if (n.op == "source" && conn == "nexmark") return {"events", "rate", "events_per_second", "watermark_delay_ms", "replay"};
    if (n.op == "sink" && conn == "file") return {"path", "format"};
    return {};
  }

  const Graph& g_;
  Diagnostics& diags_;
  std::set<std::string> user_row_types_;
  std::vector<int> part_;  // chain -> translation unit (0 or 1); empty: one unit (PlanParts)
  CodeBuffer out_;
  std::set<int> timer_driven_;  // chains whose OnTick or processing-time timers do work
  CodegenContext cc_;
};

}  // namespace

absl::StatusOr<std::string> GenerateCpp(const ir::Graph& g, Diagnostics& diags) {
  if (g.chains.empty() && !g.nodes.empty()) return absl::InternalError("codegen needs the chain pass");
  Generator gen(g, diags);
  return gen.Run();
}

}  // namespace dfc::compiler
