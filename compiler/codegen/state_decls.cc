#include "compiler/codegen/state_decls.h"

namespace dfc::compiler::codegen {

namespace {

std::string Cpp(CodegenContext& c, const StateType& t) { return t.schema >= 0 ? c.RowType(t.schema) : t.sql.CppType(); }

// dfc_make_state_<node>_<i>_<what>: names of the generated factories (no user text).
std::string Factory(CodegenContext& c, size_t i, const char* what) {
  return "dfc_make_state_" + std::to_string(c.node_index()) + "_" + std::to_string(i) + "_" + what;
}
std::string AggType(CodegenContext& c, size_t i) {
  return "dfc_state_agg_" + std::to_string(c.node_index()) + "_" + std::to_string(i);
}

// The member's type in the struct of states.
std::string MemberType(CodegenContext& c, const StateDecl& d, size_t i, const std::string& key) {
  const bool ttl = d.ttl_ms > 0;
  const std::string p = ttl ? "dfc::rt::Ttl" : "dfc::rt::";
  const std::string ref = ttl ? "" : "&";
  if (d.kind == "VALUE") return p + "ValueState<" + key + ", " + Cpp(c, d.value) + ">" + ref;
  if (d.kind == "LIST") return p + "ListState<" + key + ", " + Cpp(c, d.value) + ">" + ref;
  if (d.kind == "MAP") return p + "MapState<" + key + ", " + Cpp(c, d.key) + ", " + Cpp(c, d.value) + ">" + ref;
  if (d.kind == "REDUCING") {
    return p + "ReducingState<" + key + ", " + Cpp(c, d.value) + ", decltype(" + Factory(c, i, "fn") + "())>" + ref;
  }
  return p + "AggregatingState<" + key + ", " + Cpp(c, d.in) + ", " + Cpp(c, d.acc) + ", " + Cpp(c, d.value) + ", " +
         AggType(c, i) + ">" + ref;
}

void EmitFactory(CodegenContext& c, const std::string& name, const ir::UserFunction& fn) {
  c.out() << "inline auto " << name << "() {\n  return ";
  c.EmitUserCode(fn);
  c.out() << ";\n}\n";
}

}  // namespace

void EmitStateStruct(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& states,
                     const std::string& key) {
  for (size_t i = 0; i < spec.size(); ++i) {
    const StateDecl& d = spec[i];
    if (d.kind == "REDUCING") EmitFactory(c, Factory(c, i, "fn"), *d.fn);
    if (d.kind != "AGGREGATING") continue;
    const std::string acc = Cpp(c, d.acc);
    if (d.create_accumulator) {
      EmitFactory(c, Factory(c, i, "create"), *d.create_accumulator);
    } else {
      c.out() << "inline auto " << Factory(c, i, "create") << "() { return dfc::rt::DefaultAccumulator<" << acc
              << ">{}; }\n";
    }
    EmitFactory(c, Factory(c, i, "add"), *d.add);
    EmitFactory(c, Factory(c, i, "get_result"), *d.get_result);
    c.out() << "using " << AggType(c, i) << " = dfc::rt::LambdaAggregateFunction<" << acc << ", decltype("
            << Factory(c, i, "create") << "()), decltype(" << Factory(c, i, "add") << "()), decltype("
            << Factory(c, i, "get_result") << "())>;\n";
  }
  c.out() << "struct " << states << " {\n";
  for (size_t i = 0; i < spec.size(); ++i)
    c.out() << "  " << MemberType(c, spec[i], i, key) << " " << c.Ident(spec[i].name) << ";\n";
  c.out() << "};\n";
}

void EmitStateInit(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& states,
                   const std::string& key, const std::string& kb, const std::string& target) {
  c.out() << "    " << target << ".reset(new " << states << "{";
  for (size_t i = 0; i < spec.size(); ++i) {
    const StateDecl& d = spec[i];
    c.out() << (i ? ",\n        " : "");
    std::string fn_arg;
    if (d.kind == "REDUCING") fn_arg = Factory(c, i, "fn") + "()";
    if (d.kind == "AGGREGATING") {
      fn_arg = AggType(c, i) + "{" + Factory(c, i, "create") + "(), " + Factory(c, i, "add") + "(), " +
               Factory(c, i, "get_result") + "()}";
    }
    if (d.ttl_ms > 0) {
      std::string t = MemberType(c, d, i, key);
      c.out() << t << "(*" << kb << ", " << c.Lit(d.name) << ", dfc::rt::StateTtlConfig{" << d.ttl_ms << ", "
              << (d.ttl_on_read ? "dfc::rt::StateTtlConfig::UpdateType::kOnReadAndWrite"
                                : "dfc::rt::StateTtlConfig::UpdateType::kOnCreateAndWrite")
              << "}" << (fn_arg.empty() ? "" : ", " + fn_arg) << ")";
      continue;
    }
    c.out() << kb << "->";
    if (d.kind == "VALUE") c.out() << "GetValueState<" << Cpp(c, d.value) << ">";
    else if (d.kind == "LIST") c.out() << "GetListState<" << Cpp(c, d.value) << ">";
    else if (d.kind == "MAP") c.out() << "GetMapState<" << Cpp(c, d.key) << ", " << Cpp(c, d.value) << ">";
    else if (d.kind == "REDUCING") c.out() << "GetReducingState<" << Cpp(c, d.value) << ">";
    else c.out() << "GetAggregatingState<" << Cpp(c, d.in) << ", " << Cpp(c, d.value) << ">";
    c.out() << "(" << c.Lit(d.name) << (fn_arg.empty() ? "" : ", " + fn_arg) << ")";
  }
  c.out() << "});\n";
}

void EmitKeyedProcessMembers(CodegenContext& c, const std::string& key, const std::string& states,
                             const std::string& ctx, const std::string& timer_fn) {
  const std::string k = c.ks();
  c.out() << "  std::unique_ptr<dfc::rt::KeyedBackend<" << key << ">> kb" << k << "_;\n"
          << "  dfc::rt::TimerService<" << key << ">* ts" << k << "_ = nullptr;\n"
          << "  std::unique_ptr<" << states << "> states" << k << "_;\n"
          << "  std::unique_ptr<" << ctx << "> pctx" << k << "_;\n"
          << "  dfc::Collector<" << c.out_type() << "> coll" << k << "_;\n";
  // One firing timer -> on_timer -> the rest of the chain.
  c.out() << "  void dfc_timer" << k << "(const dfc::rt::TimerService<" << key
          << ">::Timer& t, dfc::rt::TimeDomain d) {\n";
  if (!timer_fn.empty()) {
    c.out() << "    try {\n"
            << "      pctx" << k << "_->SetTimer(t.ts, d);\n"
            << "      coll" << k << "_.clear();\n"
            << "      " << timer_fn << "(t.ts, *pctx" << k << "_, coll" << k << "_);\n"
            << "    } catch (...) {\n"
            << "      dfc::rt::RethrowAsOperatorError(" << c.Lit(c.node().id) << ");\n"
            << "    }\n"
            << "    const int64_t ots = d == dfc::rt::TimeDomain::kEventTime ? t.ts : dfc::rt::kNoTimestamp;\n"
            << "    " << c.CountOut("coll" + k + "_.rows().size()") << "\n"
            << "    for (auto& o : coll" << k << "_.rows()) { " << c.Next("o", "ots") << " }\n";
  } else {
    c.out() << "    (void)t; (void)d;  // no on_timer: timers fire silently (Flink's default onTimer)\n";
  }
  c.out() << "  }\n";
}

void EmitKeyedProcessOpen(CodegenContext& c, const std::vector<StateDecl>& spec, const std::string& key,
                          const std::string& states, const std::string& ctx) {
  const std::string k = c.ks();
  c.out() << "    kb" << k << "_ = dfc::rt::MakeKeyedBackend<" << key << ">(ctx, " << c.Lit(c.node().uid) << ");\n"
          << "    ts" << k << "_ = &kb" << k << "_->GetTimerService(\"timers\");\n";
  EmitStateInit(c, spec, states, key, "kb" + k + "_", "states" + k + "_");
  c.out() << "    pctx" << k << "_ = std::make_unique<" << ctx << ">(*kb" << k << "_, *ts" << k << "_, *states" << k
          << "_);\n";
}

}  // namespace dfc::compiler::codegen
