// Emitters for event time: the source head that stamps records with their event-time column
// (the source's "watermark" strategy; the watermark itself is emitted by the generator's source
// loop, codegen.cc EmitSourceWatermarks) and window_aggregate over dfc::rt::WindowAggregator
// (runtime/api/dfc/window.h). Specs are re-parsed from the params infer-types accepted
// (compiler/expr/window_spec.h).
#include <optional>

#include "compiler/codegen/emitter.h"
#include "compiler/expr/window_spec.h"

namespace dfc::compiler::codegen {

namespace {

class EventTimeSource final : public OpEmitter {
 public:
  void Body(CodegenContext& c) override {
    const ir::Node& n = c.node();
    std::optional<WatermarkSpec> spec = ParseWatermarkSpec(n, c.graph().schemas[n.out_schema], c.diags());
    if (!spec) return;
    c.out() << "      const int64_t ets = static_cast<int64_t>(v." << c.Field(n.out_schema, spec->column) << ");\n"
            << "      if (ets > dfc_wm_max_) dfc_wm_max_ = ets;\n"
            << "      " << c.CountOut() << "\n      " << c.Next("v", "ets") << "\n";
    if (spec->per_record) c.out() << "      EmitWatermark();\n";
  }
};

class WindowAggregate final : public OpEmitter {
 public:
  void Helpers(CodegenContext& c) override {
    if (!Load(c)) return;
    c.out() << "struct " << Acc(c) << " {\n";
    for (size_t i = 0; i < spec_->aggregates.size(); ++i) {
      const AggregateSpec& a = spec_->aggregates[i];
      const std::string ai = "a" + std::to_string(i);
      switch (a.fn) {
        case AggFn::kCount: c.out() << "  int64_t " << ai << " = 0;\n"; break;
        case AggFn::kSum: c.out() << "  " << a.type.CppType() << " " << ai << " = 0;\n"; break;
        case AggFn::kAvg: c.out() << "  double " << ai << " = 0;\n  int64_t n" << i << " = 0;\n"; break;
        case AggFn::kMin:
        case AggFn::kMax:
          c.out() << "  " << a.type.CppType() << " " << ai << "{};\n  bool s" << i << " = false;\n";
          break;
      }
    }
    c.out() << "  void Merge(const " << Acc(c) << "& o) {\n";
    for (size_t i = 0; i < spec_->aggregates.size(); ++i) {
      const AggregateSpec& a = spec_->aggregates[i];
      const std::string ai = "a" + std::to_string(i), si = "s" + std::to_string(i);
      switch (a.fn) {
        case AggFn::kCount:
        case AggFn::kSum: c.out() << "    " << ai << " += o." << ai << ";\n"; break;
        case AggFn::kAvg: c.out() << "    " << ai << " += o." << ai << ";\n    n" << i << " += o.n" << i << ";\n"; break;
        case AggFn::kMin:
        case AggFn::kMax:
          c.out() << "    if (o." << si << " && (!" << si << " || o." << ai << (a.fn == AggFn::kMin ? " < " : " > ")
                  << ai << ")) { " << ai << " = o." << ai << "; " << si << " = true; }\n";
          break;
      }
    }
    c.out() << "  }\n};\n";
  }

  void Members(CodegenContext& c) override {
    if (!spec_) return;
    c.out() << "  std::unique_ptr<dfc::rt::WindowAggregator<" << Key(c) << ", " << Acc(c) << ">> win" << c.ks()
            << "_;\n";
  }

  void Open(CodegenContext& c) override {
    if (!spec_) return;
    c.out() << "    win" << c.ks() << "_ = std::make_unique<dfc::rt::WindowAggregator<" << Key(c) << ", " << Acc(c)
            << ">>(" << spec_->size << "LL, " << spec_->slide << "LL, " << spec_->offset << "LL, ctx.op_metrics("
            << c.ks() << "));\n";
  }

  void Body(CodegenContext& c) override {
    if (!spec_) return;
    c.out() << "      if (ts == dfc::rt::kNoTimestamp)\n"
            << "        throw dfc::rt::OperatorError(" << c.Lit(c.node().id)
            << ", \"window_aggregate needs event timestamps: give the source a 'watermark'\");\n"
            << "      win" << c.ks() << "_->Add(" << c.KeyExpr(c.in_schema(), spec_->key_fields, "v") << ", ts, [&]("
            << Acc(c) << "& a) {\n";
    for (size_t i = 0; i < spec_->aggregates.size(); ++i) {
      const AggregateSpec& a = spec_->aggregates[i];
      const std::string ai = "a.a" + std::to_string(i), si = "a.s" + std::to_string(i);
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
      }
    }
    c.out() << "      });\n";
  }

  void OnWatermark(CodegenContext& c) override {
    if (!spec_) return;
    const std::string key_t = Key(c);
    c.out() << "    win" << c.ks() << "_->OnWatermark(wm, [&](const " << key_t
            << "& key, int64_t ws, int64_t we, const " << Acc(c) << "& a) {\n"
            << "      " << c.out_type() << " o{";
    const size_t nk = spec_->key_fields.size();
    for (size_t i = 0; i < nk; ++i) c.out() << (nk == 1 ? std::string("key") : "std::get<" + std::to_string(i) + ">(key)") << ", ";
    c.out() << "ws, we";
    for (size_t i = 0; i < spec_->aggregates.size(); ++i) {
      const std::string ai = "a.a" + std::to_string(i);
      if (spec_->aggregates[i].fn == AggFn::kAvg) {
        c.out() << ", a.n" << i << " ? " << ai << " / static_cast<double>(a.n" << i << ") : 0.0";
      } else {
        c.out() << ", " << ai;
      }
    }
    c.out() << "};\n      " << c.CountOut() << "\n      " << c.Next("o", "we - 1") << "\n    });\n";
  }

 private:
  bool Load(CodegenContext& c) {
    const int in = c.in_schema();
    if (in < 0) return false;
    spec_ = ParseWindowAggSpec(c.node(), c.graph().schemas[in], c.diags());
    return spec_.has_value();
  }
  std::string Acc(CodegenContext& c) const { return "dfc_wacc_" + std::to_string(c.node_index()); }
  std::string Key(CodegenContext& c) const { return c.KeyType(c.in_schema(), spec_->key_fields); }

  std::optional<WindowAggSpec> spec_;
};

}  // namespace

std::unique_ptr<OpEmitter> MakeEventTimeEmitter(const ir::Node& n) {
  if (n.op == "source" && n.Param("watermark")) return std::make_unique<EventTimeSource>();
  if (n.op == "window_aggregate") return std::make_unique<WindowAggregate>();
  return nullptr;
}

}  // namespace dfc::compiler::codegen
