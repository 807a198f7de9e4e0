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

}  // namespace dfc::compiler::codegen
