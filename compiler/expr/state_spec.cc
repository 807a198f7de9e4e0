#include "compiler/expr/state_spec.h"

#include <cctype>

#include "compiler/expr/window_spec.h"

namespace dfc::compiler {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return s.rfind("dfc_", 0) != 0;
}

std::optional<StateType> ParseStateType(const std::string& text, const ir::Graph& g, bool allow_row) {
  StateType t;
  if (allow_row) {
    const int s = g.FindSchema(text);
    if (s >= 0) {
      t.schema = s;
      return t;
    }
  }
  std::optional<ir::Type> sql = ir::ParseType(text);
  if (!sql) return std::nullopt;
  t.sql = *sql;
  return t;
}

// Splits "A, B(1, 2), C" at the commas outside parentheses.
std::vector<std::string> SplitArgs(const std::string& args) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : args) {
    if (c == '(' || c == '<') ++depth;
    if (c == ')' || c == '>') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(Trim(cur));
  return out;
}

const char* const kKinds = "VALUE<T>, LIST<T>, MAP<K, V>, REDUCING<T> or AGGREGATING<IN, ACC, OUT>";

}  // namespace

std::optional<std::vector<StateDecl>> ParseStateSpec(const ir::Node& n, const ir::Graph& g, Diagnostics& diags) {
  std::vector<StateDecl> out;
  const json::Value* st = n.Param("state");
  if (!st) return out;
  if (!st->is_object()) {
    diags.Error(st->loc, std::string("parameter 'state' must be an object of name: \"VALUE<T>\" | \"LIST<T>\" | "
                                     "\"MAP<K, V>\" | {\"type\": ..., ...}"));
    return std::nullopt;
  }
  const int errors = diags.num_errors();
  for (const auto& m : st->members) {
    if (!IsIdentifier(m.key) || m.key == "state") {
      diags.Error(m.key_loc, "state name '" + m.key + "' must be a C++ identifier (letters, digits, '_'; not starting with dfc_)");
      continue;
    }
    // The string form is the type alone; the object form adds functions and TTL.
    const json::Value* type_v = m.value.get();
    const json::Value* obj = nullptr;
    if (m.value->is_object()) {
      obj = m.value.get();
      static const std::vector<std::string> kKeys = {"type", "fn", "add", "get_result", "create_accumulator",
                                                     "ttl", "ttl_update", "ttl_visibility"};
      bool bad = false;
      for (const auto& om : obj->members) {
        bool known = false;
        for (const auto& k : kKeys) known = known || k == om.key;
        if (!known) {
          diags.Error(om.key_loc, "state '" + m.key + "': unknown key '" + om.key + "'" + DidYouMean(om.key, kKeys) +
                                      " (type, fn, add, get_result, create_accumulator, ttl, ttl_update, ttl_visibility)");
          bad = true;
        }
      }
      if (bad) continue;
      const json::Member* t = obj->GetMember("type");
      if (!t) {
        diags.Error(obj->loc, "state '" + m.key + "': missing \"type\" (" + kKinds + ")");
        continue;
      }
      type_v = t->value.get();
    }
    if (!type_v->is_string()) {
      diags.Error(type_v->loc, "state '" + m.key + "' must be a string such as \"VALUE<BIGINT>\" or an object "
                               "{\"type\": \"REDUCING<BIGINT>\", \"fn\": ...}");
      continue;
    }
    const std::string text = Trim(type_v->str);
    const size_t lt = text.find('<');
    if (lt == std::string::npos || text.back() != '>') {
      diags.Error(type_v->loc, "state '" + m.key + "': expected " + kKinds + ", got '" + text + "'");
      continue;
    }
    StateDecl d;
    d.name = m.key;
    d.kind = Trim(text.substr(0, lt));
    for (char& c : d.kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string args = text.substr(lt + 1, text.size() - lt - 2);
    if (d.kind != "VALUE" && d.kind != "LIST" && d.kind != "MAP" && d.kind != "REDUCING" && d.kind != "AGGREGATING") {
      diags.Error(type_v->loc, "state '" + m.key + "': unknown state kind '" + d.kind + "' (VALUE, LIST, MAP, REDUCING or AGGREGATING)");
      continue;
    }
    std::vector<std::string> parts = SplitArgs(args);
    const size_t want = d.kind == "MAP" ? 2 : d.kind == "AGGREGATING" ? 3 : 1;
    if (parts.size() != want || parts.back().empty()) {
      if (d.kind == "MAP") {
        diags.Error(type_v->loc, "state '" + m.key + "': MAP needs a key and a value type: MAP<K, V>");
      } else if (d.kind == "AGGREGATING") {
        diags.Error(type_v->loc, "state '" + m.key + "': AGGREGATING needs three types: AGGREGATING<IN, ACC, OUT> "
                                 "(input, accumulator, result)");
      } else {
        diags.Error(type_v->loc, "state '" + m.key + "': " + d.kind + " takes one type: " + d.kind + "<T>");
      }
      continue;
    }
    bool ok = true;
    auto type_of = [&](const std::string& t, bool allow_row, const char* what) -> StateType {
      std::optional<StateType> r = ParseStateType(t, g, allow_row);
      if (!r) {
        diags.Error(type_v->loc, "state '" + m.key + "': unknown " + what + "type '" + t + "' (a SQL type" +
                                     (allow_row ? " or a row type of 'types')" : ")"));
        ok = false;
        return {};
      }
      return *r;
    };
    if (d.kind == "MAP") {
      d.key = type_of(parts[0], false, "map key ");
      if (ok) d.value = type_of(parts[1], true, "");
    } else if (d.kind == "AGGREGATING") {
      d.in = type_of(parts[0], true, "input ");
      if (ok) d.acc = type_of(parts[1], true, "accumulator ");
      if (ok) d.value = type_of(parts[2], true, "result ");
    } else {
      d.value = type_of(parts[0], true, "");
    }
    if (!ok) continue;

    // Functions: which kind takes which.
    auto function = [&](const char* key, std::optional<ir::UserFunction>* into) {
      const json::Member* f = obj ? obj->GetMember(key) : nullptr;
      if (!f) return;
      if (!f->value->is_string() || Trim(f->value->str).empty()) {
        diags.Error(f->value->loc, "state '" + m.key + "': '" + key + "' must be a C++ function (a lambda or a function name)");
        ok = false;
        return;
      }
      ir::UserFunction fn;
      fn.code = f->value->str;
      fn.loc = f->value->loc;
      *into = std::move(fn);
    };
    function("fn", &d.fn);
    function("add", &d.add);
    function("get_result", &d.get_result);
    function("create_accumulator", &d.create_accumulator);
    if (!ok) continue;
    const SourceLoc& at = obj ? obj->loc : type_v->loc;
    if (d.kind == "REDUCING" && !d.fn) {
      diags.Error(at, "state '" + m.key + "': REDUCING needs its reduce function: {\"type\": \"" + text +
                          "\", \"fn\": \"[](T acc, const T& v) { ... }\"}");
      continue;
    }
    if (d.kind == "AGGREGATING" && (!d.add || !d.get_result)) {
      diags.Error(at, "state '" + m.key + "': AGGREGATING needs \"add\" (ACC(const IN&, ACC)) and \"get_result\" "
                      "(OUT(const ACC&)); \"create_accumulator\" (ACC()) is optional");
      continue;
    }
    auto misplaced = [&](const char* key, const char* kind) {
      if (const json::Member* f = obj ? obj->GetMember(key) : nullptr) {
        diags.Error(f->key_loc, "state '" + m.key + "': '" + key + "' belongs to " + kind + " state, not " + d.kind);
        ok = false;
      }
    };
    if (d.kind != "REDUCING") misplaced("fn", "REDUCING");
    if (d.kind != "AGGREGATING") {
      misplaced("add", "AGGREGATING");
      misplaced("get_result", "AGGREGATING");
      misplaced("create_accumulator", "AGGREGATING");
    }
    if (!ok) continue;

    // TTL (Flink's StateTtlConfig).
    if (const json::Member* t = obj ? obj->GetMember("ttl") : nullptr) {
      std::optional<int64_t> ms = t->value->is_string() ? ParseDurationMs(t->value->str) : std::nullopt;
      if (!ms || *ms <= 0) {
        diags.Error(t->value->loc, "state '" + m.key + "': 'ttl' must be a positive duration such as \"10s\", "
                                   "\"30min\" or \"1d\"");
        continue;
      }
      d.ttl_ms = *ms;
    }
    if (const json::Member* u = obj ? obj->GetMember("ttl_update") : nullptr) {
      const std::string v = u->value->is_string() ? u->value->str : "";
      if (v == "OnReadAndWrite") {
        d.ttl_on_read = true;
      } else if (v != "OnCreateAndWrite") {
        diags.Error(u->value->loc, "state '" + m.key + "': 'ttl_update' must be \"OnCreateAndWrite\" (the default) "
                                   "or \"OnReadAndWrite\"" + DidYouMean(v, {"OnCreateAndWrite", "OnReadAndWrite"}));
        continue;
      }
      if (!d.ttl_ms) {
        diags.Error(u->key_loc, "state '" + m.key + "': 'ttl_update' needs a 'ttl'");
        continue;
      }
    }
    if (const json::Member* vis = obj ? obj->GetMember("ttl_visibility") : nullptr) {
      const std::string v = vis->value->is_string() ? vis->value->str : "";
      if (v != "NeverReturnExpired") {
        diags.Error(vis->value->loc, "state '" + m.key + "': 'ttl_visibility' must be \"NeverReturnExpired\" "
                                     "(ReturnExpiredIfNotCleanedUp is not supported: an expired value is never returned)");
        continue;
      }
      if (!d.ttl_ms) {
        diags.Error(vis->key_loc, "state '" + m.key + "': 'ttl_visibility' needs a 'ttl'");
        continue;
      }
    }
    out.push_back(std::move(d));
  }
  if (diags.num_errors() > errors) return std::nullopt;
  return out;
}

}  // namespace dfc::compiler
