// infer-types: gives every node its output row type and types every expression.
//
// Runs after verify (inputs resolved, params checked). Nodes are processed in topological order,
// ties broken by node order, so the derived schemas appended to Graph::schemas come out in the
// same order on every run. Per op:
//   source          out = the declared type named by `type` (required)
//   filter          out = input; `where` parsed into Node::predicate, must be BOOLEAN
//   select          Node::projections = the full output list, built in this order:
//                     `columns` (projections `expr [AS name]`; "*" = every input column) or, when
//                     absent, every input column; then `add` (`expr AS name`: replaces the column
//                     of that name in place, else appends); then `drop` (names); then `rename`
//                     (object old -> new). Every expression is typed against the INPUT row.
//                   out = the type named by `type`, which must then match the output exactly
//                     (names, order, types), else a derived schema named after the node id
//                     (suffixed `_row`, `_row2`... if a type of that name exists).
//   map, flat_map   out = `type` if given, else the input's type; Node::fn = the `fn` string
//                     (UserFunction::loc = the string's opening quote; is_inline unless the
//                     string is a bare C++ qualified name, i.e. a function from `dependencies`)
//   key_by          out = input; `key` (string or array) -> Node::key_fields
//   reduce          input must be a key_by; out = input; key_fields copied; Node::fn set
//   union           all inputs must have the same fields (names and types); out = first input's
//   sink            out = input
//   any other op    out = `type` if given, else the single input's type
// A node whose input has no type (an earlier error) is skipped silently: no follow-up errors.
#include <algorithm>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "compiler/expr/parser.h"
#include "compiler/expr/typecheck.h"
#include "compiler/expr/state_spec.h"
#include "compiler/expr/window_spec.h"
#include "compiler/passes/pass.h"

namespace dfc::compiler {
namespace {

using ir::Graph;
using ir::Node;
using ir::Schema;
using json::Value;

bool IsQualifiedName(std::string_view s) {
  if (s.empty()) return false;
  bool start = true;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') {
      if (i + 1 >= s.size() || s[i + 1] != ':' || start) return false;
      ++i;
      start = true;
      continue;
    }
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (start ? !alpha : !(alpha || digit)) return false;
    start = false;
  }
  return !start;
}

std::string Trimmed(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e + 1 - b));
}

class Inference {
 public:
  Inference(Graph& g, Diagnostics& diags) : g_(g), diags_(diags) {}

  void Run() {
    for (int i : TopologicalOrder()) InferNode(g_.nodes[i]);
  }

 private:
  // Kahn's algorithm, always taking the lowest-index ready node. Nodes on a cycle (verify
  // rejects those) are left out.
  std::vector<int> TopologicalOrder() const {
    const int n = static_cast<int>(g_.nodes.size());
    std::vector<int> pending(n, 0);
    std::vector<std::vector<int>> consumers(n);
    for (int i = 0; i < n; ++i) {
      for (int in : g_.nodes[i].inputs) {
        if (in < 0 || in >= n) continue;
        ++pending[i];
        consumers[in].push_back(i);
      }
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < n; ++i) {
      if (pending[i] == 0) ready.push(i);
    }
    std::vector<int> order;
    while (!ready.empty()) {
      int i = ready.top();
      ready.pop();
      order.push_back(i);
      for (int c : consumers[i]) {
        if (--pending[c] == 0) ready.push(c);
      }
    }
    return order;
  }

  // The schema of input `k`, or -1 (unresolved or untyped input).
  int InputSchema(const Node& n, size_t k = 0) const {
    if (k >= n.inputs.size()) return -1;
    const int in = n.inputs[k];
    if (in < 0 || in >= static_cast<int>(g_.nodes.size())) return -1;
    return g_.nodes[in].out_schema;
  }

  bool AllInputsTyped(const Node& n) const {
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      if (InputSchema(n, k) < 0) return false;
    }
    return n.inputs.size() == n.input_ids.size();
  }

  std::vector<std::string> SchemaNames() const {
    std::vector<std::string> names;
    for (const Schema& s : g_.schemas) {
      if (!s.derived) names.push_back(s.name);
    }
    return names;
  }

  // The declared schema named by `type`: -1 when absent (no error) or unknown (error).
  int TypeParam(const Node& n, bool* present = nullptr) {
    const Value* v = n.Param("type");
    if (present) *present = v != nullptr;
    if (!v) return -1;
    if (!v->is_string()) {
      diags_.Error(v->loc, std::string("parameter 'type' must be a string, got ") +
                               json::KindName(v->kind));
      return -1;
    }
    const int s = g_.FindSchema(v->str);
    if (s < 0 || g_.schemas[s].derived) {
      diags_.Error(v->loc, "unknown type '" + v->str + "'" + DidYouMean(v->str, SchemaNames()));
      return -1;
    }
    return s;
  }

  // A string or an array of strings; errors for anything else. Items keep their values.
  std::vector<const Value*> StringList(const Value& v, const std::string& key) {
    std::vector<const Value*> out;
    if (v.is_string()) {
      out.push_back(&v);
      return out;
    }
    if (!v.is_array()) {
      diags_.Error(v.loc, "parameter '" + key + "' must be a string or an array of strings, got " +
                              json::KindName(v.kind));
      return out;
    }
    for (const auto& item : v.items) {
      if (!item->is_string()) {
        diags_.Error(item->loc, "parameter '" + key + "' must contain strings, got " +
                                    std::string(json::KindName(item->kind)));
        continue;
      }
      out.push_back(item.get());
    }
    return out;
  }

  void InferNode(Node& n) {
    if (!AllInputsTyped(n)) return;
    if (n.op == "source") {
      bool present = false;
      n.out_schema = TypeParam(n, &present);
      if (!present) {
        diags_.Error(n.loc, "missing required parameter 'type' for op 'source' (the row type it "
                            "produces)");
      }
      if (n.out_schema >= 0) ParseWatermarkSpec(n, g_.schemas[n.out_schema], diags_);
    } else if (n.op == "filter") {
      InferFilter(n);
    } else if (n.op == "select") {
      InferSelect(n);
    } else if (n.op == "map" || n.op == "flat_map") {
      bool present = false;
      const int t = TypeParam(n, &present);
      if (present && t < 0) return;
      SetFn(n);
      n.out_schema = present ? t : InputSchema(n);
    } else if (n.op == "key_by") {
      InferKeyBy(n);
    } else if (n.op == "reduce") {
      const int in = n.inputs.empty() ? -1 : n.inputs[0];
      if (in < 0 || g_.nodes[in].op != "key_by") {
        diags_.Error(n.loc, "reduce needs a keyed stream: put a key_by before it");
        return;
      }
      n.key_fields = g_.nodes[in].key_fields;
      SetFn(n);
      n.out_schema = InputSchema(n);
    } else if (n.op == "process") {
      InferProcess(n);
    } else if (n.op == "union") {
      InferUnion(n);
    } else if (n.op == "window_aggregate") {
      InferWindowAggregate(n);
    } else if (n.op == "window_reduce" || n.op == "window_process") {
      InferWindowUdf(n);
    } else if (n.op == "window_join" || n.op == "interval_join" || n.op == "join") {
      InferJoin(n);
    } else if (n.op == "co_map" || n.op == "co_flat_map" || n.op == "co_process") {
      InferConnect(n);
    } else if (n.op == "late_output") {
      // The window's input rows (a window whose spec failed to parse has no type: skip).
      const Node& win = g_.nodes[n.inputs[0]];
      if (!win.inputs.empty() && win.inputs[0] >= 0) n.out_schema = g_.nodes[win.inputs[0]].out_schema;
    } else {
      bool present = false;
      const int t = TypeParam(n, &present);
      if (present) {
        n.out_schema = t;
      } else if (n.inputs.size() == 1) {
        n.out_schema = InputSchema(n);
      } else if (!n.inputs.empty()) {
        diags_.Error(n.loc, "op '" + n.op + "' needs a 'type' for its output rows");
      }
    }
  }

  // process: after a key_by (its key is the state's key); out = `type` (default: the input's);
  // Node::fn = fn; "on_timer" and "state" are re-read by codegen (compiler/expr/state_spec.h).
  void InferProcess(Node& n) {
    const int in = n.inputs.empty() ? -1 : n.inputs[0];
    const int errors = diags_.num_errors();
    if (in < 0 || g_.nodes[in].op != "key_by")
      diags_.Error(n.loc, "process needs a keyed stream: put a key_by before it (its state and timers are per key)");
    ParseStateSpec(n, g_, diags_);
    bool present = false;
    const int t = TypeParam(n, &present);
    if (diags_.num_errors() > errors || (present && t < 0)) return;
    n.key_fields = g_.nodes[in].key_fields;
    SetFn(n);
    n.out_schema = present ? t : InputSchema(n);
  }

  void SetFn(Node& n) {
    const Value* v = n.Param("fn");
    if (!v || !v->is_string()) return;  // verify reports it
    ir::UserFunction fn;
    fn.code = v->str;
    fn.loc = v->loc;
    fn.is_inline = !IsQualifiedName(Trimmed(v->str));
    n.fn = std::move(fn);
  }

  void InferFilter(Node& n) {
    const Value* where = n.Param("where");
    if (!where || !where->is_string()) {
      if (!where) diags_.Error(n.loc, "missing required parameter 'where' for op 'filter'");
      else diags_.Error(where->loc, "parameter 'where' must be a string");
      return;
    }
    const Schema& in = g_.schemas[InputSchema(n)];
    ir::ExprPtr e = ParseExpr(where->str, where->loc, diags_);
    if (!e || !TypeCheck(*e, in, diags_)) return;
    if (e->type.kind != ir::TypeKind::kBoolean) {
      diags_.Error(e->loc, "filter condition must be BOOLEAN, got " + e->type.ToString());
      return;
    }
    n.predicate = std::move(e);
    n.out_schema = InputSchema(n);
  }

  void InferSelect(Node& n) {
    const Schema& in = g_.schemas[InputSchema(n)];
    const int errors_before = diags_.num_errors();
    std::vector<ir::Projection> out;
    auto column_ref = [&](int field, const SourceLoc& loc) {
      ir::Projection p;
      p.name = in.fields[field].name;
      p.loc = loc;
      p.expr = std::make_unique<ir::Expr>();
      p.expr->kind = ir::ExprKind::kColumn;
      p.expr->name = p.name;
      p.expr->column_index = field;
      p.expr->type = in.fields[field].type;
      p.expr->typed = true;
      p.expr->loc = loc.Shifted(0);
      return p;
    };
    auto parse = [&](const Value& item, int ordinal) -> std::optional<ir::Projection> {
      std::optional<ir::Projection> p = ParseProjection(item.str, item.loc, ordinal, diags_);
      if (p && !TypeCheck(*p->expr, in, diags_)) return std::nullopt;
      return p;
    };
    auto find = [&](const std::string& name) {
      for (size_t i = 0; i < out.size(); ++i) {
        if (out[i].name == name) return static_cast<int>(i);
      }
      return -1;
    };
    auto names = [&]() {
      std::vector<std::string> r;
      for (const auto& p : out) r.push_back(p.name);
      return r;
    };

    if (const Value* columns = n.Param("columns")) {
      for (const Value* item : StringList(*columns, "columns")) {
        if (Trimmed(item->str) == "*") {
          for (size_t f = 0; f < in.fields.size(); ++f) {
            out.push_back(column_ref(static_cast<int>(f), item->loc));
          }
          continue;
        }
        std::optional<ir::Projection> p = parse(*item, static_cast<int>(out.size()));
        if (p) out.push_back(std::move(*p));
      }
    } else {
      for (size_t f = 0; f < in.fields.size(); ++f) {
        out.push_back(column_ref(static_cast<int>(f), n.loc));
      }
    }
    if (const Value* add = n.Param("add")) {
      for (const Value* item : StringList(*add, "add")) {
        std::optional<ir::Projection> p = parse(*item, static_cast<int>(out.size()));
        if (!p) continue;
        if (p->name.rfind("EXPR$", 0) == 0 && p->expr->kind != ir::ExprKind::kColumn) {
          diags_.Error(item->loc, "an 'add' entry needs a name: `expr AS name`");
          continue;
        }
        const int at = find(p->name);
        if (at >= 0) {
          out[at] = std::move(*p);
        } else {
          out.push_back(std::move(*p));
        }
      }
    }
    if (const Value* drop = n.Param("drop")) {
      for (const Value* item : StringList(*drop, "drop")) {
        const int at = find(item->str);
        if (at < 0) {
          diags_.Error(item->loc, "cannot drop unknown column '" + item->str + "'" +
                                      DidYouMean(item->str, names()));
          continue;
        }
        out.erase(out.begin() + at);
      }
    }
    if (const Value* rename = n.Param("rename")) {
      if (!rename->is_object()) {
        diags_.Error(rename->loc, std::string("parameter 'rename' must be an object (old name -> "
                                              "new name), got ") +
                                      json::KindName(rename->kind));
      } else {
        for (const json::Member& m : rename->members) {
          if (!m.value->is_string() || m.value->str.empty()) {
            diags_.Error(m.value->loc, "the new name of '" + m.key + "' must be a non-empty string");
            continue;
          }
          const int at = find(m.key);
          if (at < 0) {
            diags_.Error(m.key_loc, "cannot rename unknown column '" + m.key + "'" +
                                        DidYouMean(m.key, names()));
            continue;
          }
          out[at].name = m.value->str;
        }
      }
    }
    if (diags_.num_errors() > errors_before) return;
    for (size_t i = 0; i < out.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (out[j].name == out[i].name) {
          diags_.Error(out[i].loc, "duplicate output column '" + out[i].name + "' in select");
          return;
        }
      }
    }
    if (out.empty()) {
      diags_.Error(n.loc, "select produces no columns");
      return;
    }

    Schema result;
    result.loc = n.loc;
    for (const ir::Projection& p : out) {
      ir::Field f;
      f.name = p.name;
      f.type = p.expr->type;
      f.loc = p.loc;
      result.fields.push_back(std::move(f));
    }
    bool present = false;
    const int declared = TypeParam(n, &present);
    if (present) {
      if (declared < 0) return;
      if (!CheckMatches(result, g_.schemas[declared], n.ParamLoc("type"))) return;
      n.projections = std::move(out);
      n.out_schema = declared;
      return;
    }
    std::string name = n.id;
    for (int k = 1; g_.FindSchema(name) >= 0; ++k) {
      name = n.id + "_row" + (k > 1 ? std::to_string(k) : "");
    }
    result.name = name;
    result.derived = true;
    n.projections = std::move(out);
    n.out_schema = static_cast<int>(g_.schemas.size());
    g_.schemas.push_back(std::move(result));
  }

  bool CheckMatches(const Schema& got, const Schema& want, const SourceLoc& loc) {
    std::string fields;
    for (size_t i = 0; i < got.fields.size(); ++i) {
      fields += (i ? ", " : "") + got.fields[i].name + " " + got.fields[i].type.ToString();
    }
    if (got.fields.size() != want.fields.size()) {
      diags_.Error(loc, "select produces " + std::to_string(got.fields.size()) + " columns (" +
                            fields + ") but type " + want.ToString() + " has " +
                            std::to_string(want.fields.size()));
      return false;
    }
    for (size_t i = 0; i < got.fields.size(); ++i) {
      const ir::Field& g = got.fields[i];
      const ir::Field& w = want.fields[i];
      if (g.name != w.name) {
        diags_.Error(loc, "select column " + std::to_string(i + 1) + " is '" + g.name +
                              "' but type '" + want.name + "' has '" + w.name + "' there");
        return false;
      }
      if (g.type != w.type) {
        diags_.Error(loc, "select column '" + g.name + "' is " + g.type.ToString() +
                              " but type '" + want.name + "' declares " + w.type.ToString());
        return false;
      }
    }
    return true;
  }

  void InferKeyBy(Node& n) {
    const Schema& in = g_.schemas[InputSchema(n)];
    const Value* key = n.Param("key");
    if (!key) {
      diags_.Error(n.loc, "missing required parameter 'key' for op 'key_by'");
      return;
    }
    bool ok = true;
    std::vector<int> fields;
    for (const Value* item : StringList(*key, "key")) {
      const int f = in.FieldIndex(item->str);
      if (f < 0) {
        diags_.Error(item->loc, "unknown key field '" + item->str + "'" +
                                    DidYouMean(item->str, in.FieldNames()) + " in " +
                                    in.ToString());
        ok = false;
        continue;
      }
      fields.push_back(f);
    }
    if (!ok || fields.empty()) return;
    n.key_fields = std::move(fields);
    n.out_schema = InputSchema(n);
  }

  // Whether the rows of node `i` carry event timestamps: sources with a "watermark" (or the
  // nexmark connector's built-in one), window and join results; other ops keep their inputs'.
  bool HasEventTime(int i) const {
    const Node& n = g_.nodes[i];
    if (n.op == "source") return n.Param("watermark") || n.StrParam("connector") == "nexmark";
    if (n.op == "window_aggregate" || n.op == "window_reduce" || n.op == "window_process" ||
        n.op == "window_join" || n.op == "interval_join")
      return true;
    if (n.op == "late_output") return true;
    for (int in : n.inputs)
      if (in < 0 || !HasEventTime(in)) return false;
    return !n.inputs.empty();
  }

  // The first source upstream of `i` without event time (for the message), or "".
  std::string SourceWithoutEventTime(int i) const {
    const Node& n = g_.nodes[i];
    if (n.op == "source") return HasEventTime(i) ? "" : n.id;
    if (HasEventTime(i)) return "";
    for (int in : n.inputs) {
      if (in < 0) continue;
      std::string s = SourceWithoutEventTime(in);
      if (!s.empty()) return s;
    }
    return "";
  }

  // Event-time windows and joins need timestamps on every input.
  bool CheckEventTimeInputs(const Node& n, bool event_time) {
    if (!event_time) return true;
    for (int in : n.inputs) {
      if (in < 0 || HasEventTime(in)) continue;
      std::string src = SourceWithoutEventTime(in);
      diags_.Error(n.loc, n.op + " '" + n.id + "' works on event time but its input has no event timestamps: give source '" +
                              src + "' a \"watermark\"" +
                              (n.op == "interval_join" || n.op == "window_join" ? "" : " (or use \"time\": \"processing\")"));
      return false;
    }
    return true;
  }

  std::string DerivedName(const Node& n) const {
    std::string name = n.id;
    for (int k = 1; g_.FindSchema(name) >= 0; ++k) name = n.id + "_row" + (k > 1 ? std::to_string(k) : "");
    return name;
  }

  // window_reduce: out = the input type (the reduced row). window_process: out = `type`
  // (required). Both: key_fields = the key, Node::fn = the UDF.
  void InferWindowUdf(Node& n) {
    const Schema& in = g_.schemas[InputSchema(n)];
    const int errors = diags_.num_errors();
    std::vector<int> key = ParseKeyFields(n, "key", in, diags_);
    std::optional<WindowSpec> w = ParseWindowSpec(n, diags_);
    bool present = false;
    const int t = TypeParam(n, &present);
    if (n.op == "window_process" && !present)
      diags_.Error(n.loc, "window_process needs 'type': the row type its function emits");
    if (n.op == "window_reduce" && present && t >= 0 && t != InputSchema(n))
      diags_.Error(n.ParamLoc("type"), "window_reduce emits its input type '" + in.name + "'; drop 'type'");
    if (diags_.num_errors() > errors || !w) return;
    if (!CheckEventTimeInputs(n, w->event_time())) return;
    n.key_fields = std::move(key);
    SetFn(n);
    n.out_schema = n.op == "window_reduce" ? InputSchema(n) : t;
  }

  // window_join / interval_join: keys on both sides (same types, so equal keys hash alike); out =
  // `type` with a `fn` Out(const L&, const R&), else the left columns then the right ones (a
  // right column whose name is taken gets the first free suffix 0, 1, ... as in Flink SQL).
  void InferJoin(Node& n) {
    const Schema& l = g_.schemas[InputSchema(n, 0)];
    const Schema& r = g_.schemas[InputSchema(n, 1)];
    const int errors = diags_.num_errors();
    const bool same = n.Param("key") != nullptr;
    std::vector<int> lk = ParseKeyFields(n, same ? "key" : "left_key", l, diags_);
    std::vector<int> rk = ParseKeyFields(n, same ? "key" : "right_key", r, diags_);
    if (diags_.num_errors() == errors) CheckTwoInputKeys(n, l, r, lk, rk, n.ParamLoc(same ? "key" : "right_key"));
    bool event_time = n.op != "join";  // the regular join needs no time
    if (n.op == "window_join") {
      std::optional<WindowSpec> w = ParseWindowSpec(n, diags_, /*allow_global=*/false);
      if (w && !w->late_output.empty()) diags_.Error(n.ParamLoc("late_output"), "window_join has no late_output");
      if (w) event_time = w->event_time();
    } else if (n.op == "interval_join") {
      ParseIntervalSpec(n, diags_);
    }
    bool present = false;
    const int t = n.op == "join" ? -1 : TypeParam(n, &present);
    const bool has_fn = n.Param("fn") != nullptr;
    if (has_fn && !present) diags_.Error(n.ParamLoc("fn"), n.op + " with 'fn' needs 'type': the row type fn returns");
    if (present && !has_fn) diags_.Error(n.ParamLoc("type"), n.op + " with 'type' needs 'fn' (Out(const Left&, const Right&))");
    if (diags_.num_errors() > errors) return;
    if (!CheckEventTimeInputs(n, event_time)) return;
    n.key_fields = std::move(lk);
    n.right_key_fields = std::move(rk);
    if (has_fn) {
      SetFn(n);
      n.out_schema = t;
      return;
    }
    Schema result;
    result.loc = n.loc;
    for (const ir::Field& f : l.fields) result.fields.push_back(f);
    for (const ir::Field& f : r.fields) {
      ir::Field g = f;
      auto taken = [&](const std::string& name) {
        for (const auto& x : result.fields)
          if (x.name == name) return true;
        return false;
      };
      if (taken(g.name)) {
        int k = 0;
        while (taken(f.name + std::to_string(k))) ++k;
        g.name = f.name + std::to_string(k);
      }
      result.fields.push_back(std::move(g));
    }
    result.name = DerivedName(n);
    result.derived = true;
    n.out_schema = static_cast<int>(g_.schemas.size());
    g_.schemas.push_back(std::move(result));
    if (n.op == "join") InferJoinWhereColumns(n);
  }

  // The regular join's `where` (a BOOLEAN over the joined row: left columns then right ones) and
  // `columns` (projections of the joined row, as select's; default: the joined row itself).
  // With `columns` the joined row becomes Node::aux_schema and out_schema the projection's.
  void InferJoinWhereColumns(Node& n) {
    const int joined = n.out_schema;
    const Schema& in = g_.schemas[joined];
    if (const Value* where = n.Param("where"); where && where->is_string()) {
      ir::ExprPtr e = ParseExpr(where->str, where->loc, diags_);
      if (!e || !TypeCheck(*e, in, diags_)) return;
      if (e->type.kind != ir::TypeKind::kBoolean) {
        diags_.Error(e->loc, "join condition 'where' must be BOOLEAN, got " + e->type.ToString());
        return;
      }
      n.predicate = std::move(e);
    }
    const Value* columns = n.Param("columns");
    if (!columns) return;
    const int errors = diags_.num_errors();
    std::vector<ir::Projection> out;
    for (const Value* item : StringList(*columns, "columns")) {
      std::optional<ir::Projection> p = ParseProjection(item->str, item->loc, static_cast<int>(out.size()), diags_);
      if (!p || !TypeCheck(*p->expr, in, diags_)) continue;
      for (const auto& q : out)
        if (q.name == p->name) diags_.Error(p->loc, "duplicate output column '" + p->name + "' in join columns");
      out.push_back(std::move(*p));
    }
    if (diags_.num_errors() > errors) return;
    if (out.empty()) {
      diags_.Error(columns->loc, "join 'columns' lists no column");
      return;
    }
    Schema result;
    result.loc = n.loc;
    for (const ir::Projection& p : out) {
      ir::Field f;
      f.name = p.name;
      f.type = p.expr->type;
      f.loc = p.loc;
      result.fields.push_back(std::move(f));
    }
    g_.schemas[joined].name += "_joined";
    result.name = DerivedName(n);
    result.derived = true;
    n.aux_schema = joined;
    n.projections = std::move(out);
    n.out_schema = static_cast<int>(g_.schemas.size());
    g_.schemas.push_back(std::move(result));
  }

  // Equal keys must hash alike: the same number of columns, the same types, column by column.
  void CheckTwoInputKeys(const Node& n, const Schema& l, const Schema& r, const std::vector<int>& lk,
                         const std::vector<int>& rk, const SourceLoc& at) {
    if (lk.size() != rk.size()) {
      diags_.Error(at, "left_key has " + std::to_string(lk.size()) + " columns but right_key has " +
                           std::to_string(rk.size()));
    } else if (lk.empty()) {
      diags_.Error(n.loc, n.op + " needs at least one key column");
    } else {
      for (size_t i = 0; i < lk.size(); ++i) {
        if (l.fields[lk[i]].type != r.fields[rk[i]].type)
          diags_.Error(at, std::string(n.op.rfind("co_", 0) == 0 ? "" : "join ") + "key column " + std::to_string(i + 1) + " is " + l.fields[lk[i]].type.ToString() +
                               " on the left ('" + l.fields[lk[i]].name + "') but " + r.fields[rk[i]].type.ToString() +
                               " on the right ('" + r.fields[rk[i]].name + "'): CAST one side in a select first");
      }
    }
  }

  // co_map / co_flat_map / co_process (Flink's ConnectedStreams): the key is 'key' or
  // 'left_key'/'right_key', else the keys of two key_by inputs (co_process must be keyed: its
  // state and timers are per key; co_map/co_flat_map may be unkeyed). out = `type`, default the
  // inputs' type when both have the same one. fn1/fn2/on_timer/state are re-read by codegen.
  void InferConnect(Node& n) {
    const int ls = InputSchema(n, 0), rs = InputSchema(n, 1);
    const Schema& l = g_.schemas[ls];
    const Schema& r = g_.schemas[rs];
    const int errors = diags_.num_errors();
    std::vector<int> lk, rk;
    if (n.Param("key") || n.Param("left_key") || n.Param("right_key")) {
      const bool same = n.Param("key") != nullptr;
      lk = ParseKeyFields(n, same ? "key" : "left_key", l, diags_);
      rk = ParseKeyFields(n, same ? "key" : "right_key", r, diags_);
      if (diags_.num_errors() == errors) CheckTwoInputKeys(n, l, r, lk, rk, n.ParamLoc(same ? "key" : "right_key"));
    } else {
      const Node& a = g_.nodes[n.inputs[0]];
      const Node& b = g_.nodes[n.inputs[1]];
      const bool ka = a.op == "key_by", kb = b.op == "key_by";
      if (ka && kb) {
        lk = a.key_fields;
        rk = b.key_fields;
        if (!lk.empty() && !rk.empty()) CheckTwoInputKeys(n, l, r, lk, rk, n.loc);
      } else if (ka || kb) {
        const size_t unkeyed = ka ? 1 : 0;
        diags_.Error(unkeyed < n.input_locs.size() ? n.input_locs[unkeyed] : n.loc,
                     n.op + ": input '" + n.input_ids[unkeyed] + "' is not keyed but '" + n.input_ids[1 - unkeyed] +
                         "' is: key_by both inputs (with keys of the same types), or give 'key' / 'left_key' and "
                         "'right_key'");
      } else if (n.op == "co_process") {
        diags_.Error(n.loc, "co_process needs keyed inputs (its state and timers are per key): key_by both inputs, "
                            "or give 'key' (or 'left_key' and 'right_key')");
      }
    }
    if (n.op == "co_process") ParseStateSpec(n, g_, diags_);
    bool present = false;
    const int t = TypeParam(n, &present);
    if (!present && ls != rs)
      diags_.Error(n.loc, n.op + "'s inputs have different types (" + l.name + ", " + r.name +
                              "): give 'type', the row type fn1 and fn2 produce");
    if (diags_.num_errors() > errors || (present && t < 0)) return;
    n.key_fields = std::move(lk);
    n.right_key_fields = std::move(rk);
    n.out_schema = present ? t : ls;
  }

  // window_aggregate (compiler/expr/window_spec.h): out = key columns, window_start, window_end,
  // aggregates, a derived schema named after the node id; key_fields = the key (HASH edge).
  void InferWindowAggregate(Node& n) {
    const Schema& in = g_.schemas[InputSchema(n)];
    std::optional<WindowAggSpec> spec = ParseWindowAggSpec(n, in, diags_);
    if (!spec) return;
    if (!CheckEventTimeInputs(n, spec->window.event_time())) return;
    Schema result = WindowAggOutput(*spec, in, n.loc);
    for (size_t i = 0; i < result.fields.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (result.fields[j].name == result.fields[i].name) {
          diags_.Error(n.ParamLoc("aggregates"), "duplicate output column '" + result.fields[i].name +
                                                     "' in window_aggregate");
          return;
        }
      }
    }
    std::string name = n.id;
    for (int k = 1; g_.FindSchema(name) >= 0; ++k) name = n.id + "_row" + (k > 1 ? std::to_string(k) : "");
    result.name = name;
    result.derived = true;
    n.key_fields = spec->key_fields;
    n.out_schema = static_cast<int>(g_.schemas.size());
    g_.schemas.push_back(std::move(result));
  }

  static bool SameFields(const Schema& a, const Schema& b) {
    if (a.fields.size() != b.fields.size()) return false;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      if (a.fields[i].name != b.fields[i].name || a.fields[i].type != b.fields[i].type) {
        return false;
      }
    }
    return true;
  }

  void InferUnion(Node& n) {
    const Schema& first = g_.schemas[InputSchema(n, 0)];
    bool ok = true;
    for (size_t k = 1; k < n.inputs.size(); ++k) {
      const Schema& other = g_.schemas[InputSchema(n, k)];
      if (!SameFields(first, other)) {
        const SourceLoc loc = k < n.input_locs.size() ? n.input_locs[k] : n.loc;
        diags_.Error(loc, "union inputs must have the same type: '" + n.input_ids[0] + "' is " +
                              first.ToString() + " but '" + n.input_ids[k] + "' is " +
                              other.ToString());
        ok = false;
      }
    }
    if (ok) n.out_schema = InputSchema(n, 0);
  }

  Graph& g_;
  Diagnostics& diags_;
};

}  // namespace

absl::Status InferTypes(ir::Graph& g, PassContext& ctx) {
  if (ctx.diags == nullptr) return absl::InvalidArgumentError("infer-types: no diagnostics sink");
  Inference(g, *ctx.diags).Run();
  return absl::OkStatus();
}

}  // namespace dfc::compiler
