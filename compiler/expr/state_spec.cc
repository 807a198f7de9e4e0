#include "compiler/expr/state_spec.h"

#include <cctype>

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

}  // namespace

std::optional<std::vector<StateDecl>> ParseStateSpec(const ir::Node& n, const ir::Graph& g, Diagnostics& diags) {
  std::vector<StateDecl> out;
  const json::Value* st = n.Param("state");
  if (!st) return out;
  if (!st->is_object()) {
    diags.Error(st->loc, "parameter 'state' must be an object of name: \"VALUE<T>\" | \"LIST<T>\" | \"MAP<K, V>\"");
    return std::nullopt;
  }
  const int errors = diags.num_errors();
  for (const auto& m : st->members) {
    if (!IsIdentifier(m.key) || m.key == "state") {
      diags.Error(m.key_loc, "state name '" + m.key + "' must be a C++ identifier (letters, digits, '_'; not starting with dfc_)");
      continue;
    }
    if (!m.value->is_string()) {
      diags.Error(m.value->loc, "state '" + m.key + "' must be a string such as \"VALUE<BIGINT>\"");
      continue;
    }
    const std::string text = Trim(m.value->str);
    const size_t lt = text.find('<');
    if (lt == std::string::npos || text.back() != '>') {
      diags.Error(m.value->loc, "state '" + m.key + "': expected VALUE<T>, LIST<T> or MAP<K, V>, got '" + text + "'");
      continue;
    }
    StateDecl d;
    d.name = m.key;
    d.kind = Trim(text.substr(0, lt));
    for (char& c : d.kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string args = text.substr(lt + 1, text.size() - lt - 2);
    if (d.kind != "VALUE" && d.kind != "LIST" && d.kind != "MAP") {
      diags.Error(m.value->loc, "state '" + m.key + "': unknown state kind '" + d.kind +
                                    "' (VALUE, LIST or MAP; REDUCING and AGGREGATING are in the C++ API, dfc/state.h)");
      continue;
    }
    std::string vtext = Trim(args);
    if (d.kind == "MAP") {
      const size_t comma = args.find(',');
      if (comma == std::string::npos) {
        diags.Error(m.value->loc, "state '" + m.key + "': MAP needs a key and a value type: MAP<K, V>");
        continue;
      }
      const std::string ktext = Trim(args.substr(0, comma));
      vtext = Trim(args.substr(comma + 1));
      std::optional<StateType> k = ParseStateType(ktext, g, false);
      if (!k) {
        diags.Error(m.value->loc, "state '" + m.key + "': unknown map key type '" + ktext + "' (a SQL type)");
        continue;
      }
      d.key = *k;
    }
    std::optional<StateType> v = ParseStateType(vtext, g, true);
    if (!v) {
      diags.Error(m.value->loc, "state '" + m.key + "': unknown type '" + vtext + "' (a SQL type or a row type of 'types')");
      continue;
    }
    d.value = *v;
    out.push_back(std::move(d));
  }
  if (diags.num_errors() > errors) return std::nullopt;
  return out;
}

}  // namespace dfc::compiler
