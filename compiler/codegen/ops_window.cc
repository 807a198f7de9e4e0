// Emitters for event time and windows: the source head that stamps records with their
// event-time column (the source's "watermark" strategy; the watermark itself is emitted by the
// generator's source loop, codegen.cc EmitSourceWatermarks) and the window ops window_aggregate
// (SQL aggregates), window_reduce (C++ reduce, incremental) and window_process (C++ function over
// all rows of a window) over the engines of runtime/api/dfc/window.h: PaneWindows (tumbling,
// sliding), SessionWindows, CountWindows (global + count trigger). Specs are re-parsed from the
// params infer-types accepted (compiler/expr/window_spec.h).
//
// Per window op at chain position K the chain class gets:
//   winK_          the engine, keyed by the key columns (std::tuple<> without a key)
//   kbK_           with checkpointing: a keyed backend (uid = the node's) the engine is attached
//                  to, so its state is snapshotted and restored by key group (dfc/window.h)
//   dfc_emitK()    one result (key, window, accumulator) -> output row(s) -> the rest of the chain,
//                  stamped end - 1 (time windows) or INT64_MAX (the global window's max timestamp)
// and the accumulator type dfc_wacc_<node> at namespace scope, with its Serde (dfc/state.h).
// Operator state (one entry per subtask, union-redistributed): the engine's watermark at the
// snapshot (restored as the minimum over the entries: with aligned barriers every subtask of the
// op saw the same watermarks) and the arrival counter of FIRST_VALUE / LAST_VALUE (the maximum).
#include <optional>

#include "compiler/codegen/emitter.h"
#include "compiler/expr/window_spec.h"

namespace dfc::compiler::codegen {

namespace {

class EventTimeSource final : public OpEmitter {
 public:
  void Members(CodegenContext& c) override { c.out() << "  uint64_t dfc_rows" << c.ks() << "_ = 0;\n"; }
  void Body(CodegenContext& c) override {
    const ir::Node& n = c.node();
    std::optional<WatermarkSpec> spec = ParseWatermarkSpec(n, c.graph().schemas[n.out_schema], c.diags());
    if (!spec) return;
    const std::string col = c.graph().schemas[n.out_schema].fields[spec->column].name;
    const bool skip = n.StrParam("on_error", "fail") != "fail";
    c.out() << "      ++dfc_rows" << c.ks() << "_;\n"
            << "      const int64_t ets = static_cast<int64_t>(v." << c.Field(n.out_schema, spec->column) << ");\n"
            << "      if (ets == dfc::rt::kNoTimestamp) {\n";
    // The minimum value is the runtime's "no timestamp": such a row has no valid event time.
    if (skip) {
      c.out() << "        ctx().op_metrics(" << c.ks() << ")->errors_skipped.fetch_add(1, std::memory_order_relaxed);\n"
              << "        return;\n";
    } else {
      c.out() << "        throw dfc::rt::OperatorError(" << c.Lit(n.id) << ", \"row \" + std::to_string(dfc_rows" << c.ks()
              << "_) + \" of subtask \" + std::to_string(ctx().subtask()) + \" has no valid event timestamp (column \" + "
              << c.Lit(col) << " + \" is the minimum value); set on_error to skip such rows\");\n";
    }
    c.out() << "      }\n";
    if (spec->idleness_ms > 0) {
      c.out() << "      dfc_last_rec_ns_ = ctx().clock()->NowNanos();\n"
              << "      if (dfc_idle_) dfc_Active();\n";
    }
    c.out() << "      if (ets > dfc_wm_max_) dfc_wm_max_ = ets;\n"
            << "      " << c.CountOut() << "\n      " << c.Next("v", "ets") << "\n";
    if (spec->per_record) c.out() << "      EmitWatermark();\n";
  }
};

}  // namespace

// Checkpoint hooks shared by the window ops and the joins: `engine` (a member expression) is a
// window.h / join.h engine attached to the keyed backend kbK_; `seq` the arrival counter member
// ("" = none).
void EmitEngineCheckpointMembers(CodegenContext& c, const std::string& key_type) {
  c.out() << "  std::unique_ptr<dfc::rt::KeyedBackend<" << key_type << ">> kb" << c.ks() << "_;\n";
}
void EmitEngineAttach(CodegenContext& c, const std::string& key_type, const std::string& engine) {
  c.out() << "    if (ctx.checkpointing() || dfc::rt::EnginesUseStateStore(ctx)) {\n"
          << "      kb" << c.ks() << "_ = dfc::rt::MakeKeyedBackend<" << key_type << ">(ctx, " << c.Lit(c.node().uid) << ");\n"
          << "      " << engine << "->Attach(*kb" << c.ks() << "_, \"" << c.node().op << "\");\n"
          << "    }\n";
}
void EmitEngineSnapshot(CodegenContext& c, const std::string& watermark, const std::string& seq) {
  c.out() << "    if (kb" << c.ks() << "_) {\n"
          << "      dfc::rt::StateOut o(w.AddOperatorEntry(" << c.Lit(c.node().uid) << "));\n"
          << "      o.Put(static_cast<int64_t>(" << watermark << "));\n"
          << "      o.Put(static_cast<int64_t>(" << (seq.empty() ? "0" : seq) << "));\n"
          << "    }\n";
}
void EmitEngineRestore(CodegenContext& c, const std::string& engine, const std::string& seq) {
  c.out() << "    if (kb" << c.ks() << "_ && r.restored()) {\n"
          << "      int64_t wm = dfc::rt::kMaxWatermark, seq = 0;\n"
          << "      bool any = false;\n"
          << "      for (std::string_view e : r.UnionEntries(" << c.Lit(c.node().uid) << ")) {\n"
          << "        dfc::rt::StateIn in(e);\n"
          << "        int64_t ew = 0, es = 0;\n"
          << "        in.Get(&ew);\n        in.Get(&es);\n"
          << "        wm = std::min(wm, ew);\n        seq = std::max(seq, es);\n        any = true;\n"
          << "      }\n"
          << "      " << engine << "->FinishRestore(any ? wm : dfc::rt::kMinWatermark);\n";
  if (!seq.empty()) c.out() << "      " << seq << " = static_cast<uint64_t>(seq);\n";
  c.out() << "      (void)seq;\n    }\n";
}

namespace {

class WindowOp final : public OpEmitter {
 public:
  bool Snapshot(CodegenContext& c) override {
    if (!loaded_) return true;
    EmitEngineSnapshot(c, agg_.window.time_window() ? "win" + c.ks() + "_->watermark()" : "dfc::rt::kMinWatermark",
                       NeedsSeq() ? "seq" + c.ks() + "_" : "");
    return true;
  }
  void Restore(CodegenContext& c) override {
    if (!loaded_) return;
    EmitEngineRestore(c, "win" + c.ks() + "_", NeedsSeq() ? "seq" + c.ks() + "_" : "");
  }
  void Helpers(CodegenContext& c) override {
    if (!Load(c)) return;
    const ir::Node& n = c.node();
    if (op_ != Op::kAggregate) {
      c.out() << "inline auto dfc_make_fn_" << c.node_index() << "() {\n  return ";
      c.EmitUserCode(*n.fn);
      c.out() << ";\n}\n";
    }
    const std::string acc = Acc(c);
    if (op_ == Op::kReduce) {
      // The reduced row; merging two panes applies the reduce function (a fresh copy of the
      // lambda: window reduce functions are pure).
      c.out() << "struct " << acc << " {\n  " << c.in_type() << " v{};\n  bool set = false;\n"
              << "  void Merge(const " << acc << "& o) {\n    if (!o.set) return;\n"
              << "    if (!set) { *this = o; return; }\n"
              << "    v = dfc_make_fn_" << c.node_index() << "()(std::move(v), o.v);\n  }\n};\n";
      c.out() << "inline void dfc_serde_write(dfc::rt::StateWriter& w, const " << acc << "& a) {\n"
              << "  dfc::rt::Serde<bool>::Write(w, a.set);\n  dfc::rt::Serde<" << c.in_type() << ">::Write(w, a.v);\n}\n"
              << "inline void dfc_serde_read(dfc::rt::StateReader& r, " << acc << "& a) {\n"
              << "  dfc::rt::Serde<bool>::Read(r, a.set);\n  dfc::rt::Serde<" << c.in_type() << ">::Read(r, a.v);\n}\n"
              << "inline std::string dfc_serde_type(const " << acc << "*) { return \"WREDUCE<\" + dfc::rt::Serde<"
              << c.in_type() << ">::Type() + \">\"; }\n";
      return;
    }
    if (op_ == Op::kProcess) {
      c.out() << "struct " << acc << " {\n  std::vector<" << c.in_type() << "> rows;\n"
              << "  void Merge(const " << acc << "& o) { rows.insert(rows.end(), o.rows.begin(), o.rows.end()); }\n};\n";
      c.out() << "inline void dfc_serde_write(dfc::rt::StateWriter& w, const " << acc << "& a) { dfc::rt::Serde<std::vector<"
              << c.in_type() << ">>::Write(w, a.rows); }\n"
              << "inline void dfc_serde_read(dfc::rt::StateReader& r, " << acc << "& a) { dfc::rt::Serde<std::vector<"
              << c.in_type() << ">>::Read(r, a.rows); }\n"
              << "inline std::string dfc_serde_type(const " << acc << "*) { return \"WROWS<\" + dfc::rt::Serde<"
              << c.in_type() << ">::Type() + \">\"; }\n";
      return;
    }
    c.out() << "struct " << acc << " {\n";
    for (size_t i = 0; i < agg_.aggregates.size(); ++i) {
      const AggregateSpec& a = agg_.aggregates[i];
      const std::string ai = "a" + std::to_string(i), is = std::to_string(i);
      switch (a.fn) {
        case AggFn::kCount: c.out() << "  int64_t " << ai << " = 0;\n"; break;
        case AggFn::kSum: c.out() << "  " << a.type.CppType() << " " << ai << " = 0;\n"; break;
        case AggFn::kAvg: c.out() << "  double " << ai << " = 0;\n  int64_t n" << is << " = 0;\n"; break;
        case AggFn::kMin:
        case AggFn::kMax: c.out() << "  " << a.type.CppType() << " " << ai << "{};\n  bool s" << is << " = false;\n"; break;
        case AggFn::kCountDistinct:
          c.out() << "  std::unordered_set<" << a.arg->type.CppType() << ", dfc::rt::KeyHasher> " << ai << ";\n";
          break;
        case AggFn::kFirstValue:  // the value with the smallest arrival number q
          c.out() << "  " << a.type.CppType() << " " << ai << "{};\n  uint64_t q" << is << " = UINT64_MAX;\n";
          break;
        case AggFn::kLastValue:  // the value with the largest arrival number q (0 = none)
          c.out() << "  " << a.type.CppType() << " " << ai << "{};\n  uint64_t q" << is << " = 0;\n";
          break;
      }
    }
    c.out() << "  void Merge(const " << acc << "& o) {\n";
    for (size_t i = 0; i < agg_.aggregates.size(); ++i) {
      const AggregateSpec& a = agg_.aggregates[i];
      const std::string ai = "a" + std::to_string(i), si = "s" + std::to_string(i), qi = "q" + std::to_string(i);
      switch (a.fn) {
        case AggFn::kCount:
        case AggFn::kSum: c.out() << "    " << ai << " += o." << ai << ";\n"; break;
        case AggFn::kAvg:
          c.out() << "    " << ai << " += o." << ai << ";\n    n" << i << " += o.n" << i << ";\n";
          break;
        case AggFn::kMin:
        case AggFn::kMax:
          c.out() << "    if (o." << si << " && (!" << si << " || o." << ai << (a.fn == AggFn::kMin ? " < " : " > ")
                  << ai << ")) { " << ai << " = o." << ai << "; " << si << " = true; }\n";
          break;
        case AggFn::kCountDistinct: c.out() << "    " << ai << ".insert(o." << ai << ".begin(), o." << ai << ".end());\n"; break;
        case AggFn::kFirstValue:
        case AggFn::kLastValue:
          c.out() << "    if (o." << qi << (a.fn == AggFn::kFirstValue ? " < " : " > ") << qi << ") { " << ai << " = o."
                  << ai << "; " << qi << " = o." << qi << "; }\n";
          break;
      }
    }
    c.out() << "  }\n};\n";
    EmitAggSerde(c, acc);
  }

  // Serde of the SQL aggregates' accumulator: every member in declaration order; COUNT(DISTINCT)
  // sets as sorted lists (deterministic bytes); arrival numbers as BIGINT.
  void EmitAggSerde(CodegenContext& c, const std::string& acc) {
    std::string sig = "WAGG<";
    std::string wr, rd;
    auto plain = [&](const std::string& m) {
      wr += "  dfc::rt::Serde<std::decay_t<decltype(a." + m + ")>>::Write(w, a." + m + ");\n";
      rd += "  dfc::rt::Serde<std::decay_t<decltype(a." + m + ")>>::Read(r, a." + m + ");\n";
    };
    auto u64 = [&](const std::string& m) {
      wr += "  dfc::rt::Serde<int64_t>::Write(w, static_cast<int64_t>(a." + m + "));\n";
      rd += "  { int64_t x = 0; dfc::rt::Serde<int64_t>::Read(r, x); a." + m + " = static_cast<uint64_t>(x); }\n";
    };
    for (size_t i = 0; i < agg_.aggregates.size(); ++i) {
      const AggregateSpec& a = agg_.aggregates[i];
      const std::string is = std::to_string(i), ai = "a" + is;
      sig += (i ? "," : "") + std::to_string(static_cast<int>(a.fn)) + ":" + a.type.ToString();
      switch (a.fn) {
        case AggFn::kCount:
        case AggFn::kSum: plain(ai); break;
        case AggFn::kAvg: plain(ai); plain("n" + is); break;
        case AggFn::kMin:
        case AggFn::kMax: plain(ai); plain("s" + is); break;
        case AggFn::kCountDistinct: {
          const std::string t = a.arg->type.CppType();
          sig += "(" + a.arg->type.ToString() + ")";
          wr += "  { std::vector<" + t + "> v(a." + ai + ".begin(), a." + ai + ".end()); std::sort(v.begin(), v.end()); "
                "dfc::rt::Serde<std::vector<" + t + ">>::Write(w, v); }\n";
          rd += "  { std::vector<" + t + "> v; dfc::rt::Serde<std::vector<" + t + ">>::Read(r, v); a." + ai +
                ".clear(); a." + ai + ".insert(v.begin(), v.end()); }\n";
          break;
        }
        case AggFn::kFirstValue:
        case AggFn::kLastValue: plain(ai); u64("q" + is); break;
      }
    }
    sig += ">";
    c.out() << "inline void dfc_serde_write([[maybe_unused]] dfc::rt::StateWriter& w, [[maybe_unused]] const " << acc
            << "& a) {\n" << wr << "}\n"
            << "inline void dfc_serde_read([[maybe_unused]] dfc::rt::StateReader& r, [[maybe_unused]] " << acc
            << "& a) {\n" << rd << "}\n"
            << "inline std::string dfc_serde_type(const " << acc << "*) { return " << c.Lit(sig) << "; }\n";
  }

  void Members(CodegenContext& c) override {
    if (!loaded_) return;
    const std::string k = c.ks();
    c.out() << "  std::unique_ptr<" << Engine(c) << "> win" << k << "_;\n";
    EmitEngineCheckpointMembers(c, Key(c));
    if (NeedsSeq()) c.out() << "  uint64_t seq" << k << "_ = 0;\n";
    if (op_ != Op::kAggregate) {
      c.out() << "  decltype(dfc_make_fn_" << c.node_index() << "()) fn" << k << "_ = dfc_make_fn_" << c.node_index()
              << "();\n";
    }
    if (op_ == Op::kProcess) c.out() << "  dfc::Collector<" << c.out_type() << "> coll" << k << "_;\n";
    // One result -> output row(s).
    const WindowSpec& w = agg_.window;
    c.out() << "  void dfc_emit" << k << "(const " << Key(c) << "& key, int64_t ws, int64_t we, const " << Acc(c)
            << "& a) {\n"
            << "    (void)key; (void)ws;\n"
            << "    const int64_t ots = " << (w.time_window() ? "we - 1" : "INT64_MAX") << ";\n";
    if (op_ == Op::kReduce) {
      c.out() << "    " << c.out_type() << " o = a.v;\n    " << c.CountOut() << "\n    " << c.Next("o", "ots") << "\n";
    } else if (op_ == Op::kProcess) {
      c.out() << "    coll" << k << "_.clear();\n"
              << "    fn" << k << "_(key, dfc::Window{ws, we}, a.rows, coll" << k << "_);\n"
              << "    " << c.CountOut("coll" + k + "_.rows().size()") << "\n"
              << "    for (auto& o : coll" << k << "_.rows()) { " << c.Next("o", "ots") << " }\n";
    } else {
      c.out() << "    " << c.out_type() << " o{";
      const size_t nk = agg_.key_fields.size();
      bool first = true;
      auto sep = [&]() -> const char* {
        const bool f = first;
        first = false;
        return f ? "" : ", ";
      };
      for (size_t i = 0; i < nk; ++i)
        c.out() << sep() << (nk == 1 ? std::string("key") : "std::get<" + std::to_string(i) + ">(key)");
      if (w.time_window()) c.out() << sep() << "ws" << sep() << "we";
      for (size_t i = 0; i < agg_.aggregates.size(); ++i) {
        const std::string ai = "a.a" + std::to_string(i);
        c.out() << sep();
        switch (agg_.aggregates[i].fn) {
          case AggFn::kAvg: c.out() << "a.n" << i << " ? " << ai << " / static_cast<double>(a.n" << i << ") : 0.0"; break;
          case AggFn::kCountDistinct: c.out() << "static_cast<int64_t>(" << ai << ".size())"; break;
          default: c.out() << ai; break;
        }
      }
      c.out() << "};\n    " << c.CountOut() << "\n    " << c.Next("o", "ots") << "\n";
    }
    c.out() << "  }\n";
  }

  void Open(CodegenContext& c) override {
    if (!loaded_) return;
    const WindowSpec& w = agg_.window;
    const std::string opts = "dfc::rt::WindowOptions{" + std::to_string(w.allowed_lateness) + "LL, " +
                             (c.has_side_output() ? "true" : "false") + ", ctx.op_metrics(" + c.ks() + ")}";
    c.out() << "    win" << c.ks() << "_ = std::make_unique<" << Engine(c) << ">(";
    switch (w.kind) {
      case WindowSpec::Kind::kTumbling:
      case WindowSpec::Kind::kSliding:
        c.out() << w.size << "LL, " << w.slide << "LL, " << w.offset << "LL, " << opts;
        break;
      case WindowSpec::Kind::kSession: c.out() << w.gap << "LL, " << opts; break;
      case WindowSpec::Kind::kGlobal: c.out() << w.count << "LL, " << (w.purge ? "true" : "false"); break;
    }
    c.out() << ");\n";
    EmitEngineAttach(c, Key(c), "win" + c.ks() + "_");
  }

  void Body(CodegenContext& c) override {
    if (!loaded_) return;
    const WindowSpec& w = agg_.window;
    const std::string k = c.ks();
    if (w.event_time()) {
      c.out() << "      if (ts == dfc::rt::kNoTimestamp)\n"
              << "        throw dfc::rt::OperatorError(" << c.Lit(c.node().id) << ", \"" << c.node().op
              << " on event time needs event timestamps: give the source a 'watermark'\");\n";
    }
    if (NeedsSeq()) c.out() << "      const uint64_t dfc_seq = ++seq" << k << "_;\n";
    const std::string key = c.KeyExpr(c.in_schema(), agg_.key_fields, "v");
    const std::string emit = "[&](const " + Key(c) + "& key, int64_t ws, int64_t we, const " + Acc(c) +
                             "& a) { dfc_emit" + k + "(key, ws, we, a); }";
    if (!w.time_window()) {
      c.out() << "      win" << k << "_->Add(" << key << ", [&](" << Acc(c) << "& a) {\n";
      EmitAdd(c);
      c.out() << "      }, [&](const " << Key(c) << "& key, const " << Acc(c) << "& a) { dfc_emit" << k
              << "(key, INT64_MIN, INT64_MAX, a); });\n";
      return;
    }
    const std::string t = w.processing_time ? "ctx().clock()->NowMillis()" : "ts";
    c.out() << "      const dfc::rt::AddResult res = win" << k << "_->Add(" << key << ", " << t << ", [&](" << Acc(c)
            << "& a) {\n";
    EmitAdd(c);
    c.out() << "      }, " << emit << ");\n";
    if (c.has_side_output()) {
      c.out() << "      if (res == dfc::rt::AddResult::kLate) { " << c.SideNext("v") << "}\n";
    } else {
      c.out() << "      (void)res;\n";
    }
  }

  void OnWatermark(CodegenContext& c) override {
    if (!loaded_ || !agg_.window.event_time()) return;
    c.out() << "    win" << c.ks() << "_->OnWatermark(wm, " << EmitLambda(c) << ");\n";
  }

  void OnTick(CodegenContext& c) override {
    if (!loaded_ || !agg_.window.time_window() || !agg_.window.processing_time) return;
    c.out() << "    win" << c.ks() << "_->OnWatermark(ctx().clock()->NowMillis(), " << EmitLambda(c) << ");\n";
  }

  void OnEndOfInput(CodegenContext& c) override {
    if (!loaded_) return;
    const WindowSpec& w = agg_.window;
    if (w.time_window() && w.processing_time) {
      // dfc fires pending processing-time windows at the end of input (Flink drops them).
      c.out() << "    win" << c.ks() << "_->OnWatermark(dfc::rt::kMaxWatermark, " << EmitLambda(c) << ");\n";
    } else if (!w.time_window() && w.fire_at_end) {
      c.out() << "    win" << c.ks() << "_->FireRemaining([&](const " << Key(c) << "& key, const " << Acc(c)
              << "& a) { dfc_emit" << c.ks() << "(key, INT64_MIN, INT64_MAX, a); });\n";
    }
  }

 private:
  enum class Op { kAggregate, kReduce, kProcess };

  bool Load(CodegenContext& c) {
    const int in = c.in_schema();
    if (in < 0) return false;
    const ir::Node& n = c.node();
    op_ = n.op == "window_reduce" ? Op::kReduce : n.op == "window_process" ? Op::kProcess : Op::kAggregate;
    if (op_ == Op::kAggregate) {
      std::optional<WindowAggSpec> spec = ParseWindowAggSpec(n, c.graph().schemas[in], c.diags());
      if (!spec) return false;
      agg_ = std::move(*spec);
    } else {
      std::optional<WindowSpec> w = ParseWindowSpec(n, c.diags());
      if (!w || !n.fn) return false;
      agg_.window = *w;
      agg_.key_fields = n.key_fields;
    }
    loaded_ = true;
    return true;
  }

  bool NeedsSeq() const {
    for (const AggregateSpec& a : agg_.aggregates)
      if (a.fn == AggFn::kFirstValue || a.fn == AggFn::kLastValue) return true;
    return false;
  }

  // Statements adding the record `v` to the accumulator `a`.
  void EmitAdd(CodegenContext& c) {
    if (op_ == Op::kReduce) {
      c.out() << "        if (!a.set) { a.v = v; a.set = true; } else { a.v = fn" << c.ks() << "_(std::move(a.v), v); }\n";
      return;
    }
    if (op_ == Op::kProcess) {
      c.out() << "        a.rows.push_back(v);\n";
      return;
    }
    for (size_t i = 0; i < agg_.aggregates.size(); ++i) {
      const AggregateSpec& a = agg_.aggregates[i];
      const std::string ai = "a.a" + std::to_string(i), si = "a.s" + std::to_string(i), qi = "a.q" + std::to_string(i);
      const std::string arg = a.arg ? "(" + c.Expr(*a.arg, c.in_schema(), "v") + ")" : "";
      switch (a.fn) {
        case AggFn::kCount: c.out() << "        ++" << ai << ";\n"; break;
        case AggFn::kSum: c.out() << "        " << ai << " += " << arg << ";\n"; break;
        case AggFn::kAvg:
          c.out() << "        " << ai << " += static_cast<double>" << arg << ";\n        ++a.n" << i << ";\n";
          break;
        case AggFn::kMin:
        case AggFn::kMax:
          c.out() << "        { auto x = " << arg << "; if (!" << si << " || x" << (a.fn == AggFn::kMin ? " < " : " > ")
                  << ai << ") { " << ai << " = std::move(x); " << si << " = true; } }\n";
          break;
        case AggFn::kCountDistinct: c.out() << "        " << ai << ".insert(" << arg << ");\n"; break;
        case AggFn::kFirstValue:
          c.out() << "        if (dfc_seq < " << qi << ") { " << ai << " = " << arg << "; " << qi << " = dfc_seq; }\n";
          break;
        case AggFn::kLastValue:
          c.out() << "        if (dfc_seq > " << qi << ") { " << ai << " = " << arg << "; " << qi << " = dfc_seq; }\n";
          break;
      }
    }
  }

  std::string EmitLambda(CodegenContext& c) const {
    return "[&](const " + Key(c) + "& key, int64_t ws, int64_t we, const " + Acc(c) + "& a) { dfc_emit" + c.ks() +
           "(key, ws, we, a); }";
  }
  std::string Engine(CodegenContext& c) const {
    const std::string args = "<" + Key(c) + ", " + Acc(c) + ">";
    switch (agg_.window.kind) {
      case WindowSpec::Kind::kSession: return "dfc::rt::SessionWindows" + args;
      case WindowSpec::Kind::kGlobal: return "dfc::rt::CountWindows" + args;
      default: return "dfc::rt::PaneWindows" + args;
    }
  }
  std::string Acc(CodegenContext& c) const { return "dfc_wacc_" + std::to_string(c.node_index()); }
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(), agg_.key_fields); }

  Op op_ = Op::kAggregate;
  bool loaded_ = false;
  WindowAggSpec agg_;
};

}  // namespace

std::unique_ptr<OpEmitter> MakeEventTimeEmitter(const ir::Node& n) {
  if (n.op == "source" && n.Param("watermark")) return std::make_unique<EventTimeSource>();
  if (n.op == "window_aggregate" || n.op == "window_reduce" || n.op == "window_process")
    return std::make_unique<WindowOp>();
  return nullptr;
}

}  // namespace dfc::compiler::codegen
