// verify: the structural checks on a freshly read job, before any type is inferred.
//
// Node ids are unique, every op exists, every input names a node, the graph is acyclic, each node
// has the parameters its op needs (and no others), `type` names a declared type, uids are unique,
// and the config keys are Flink's with well-formed values, and the files under `dependencies`
// exist (sources and headers are files, include_dirs directories, path-like libraries files;
// a header path must be writable in an #include). Fills Node::inputs. Every problem is
// reported (the pass never stops at the first); diagnostics come out in node order.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/ir/catalogue.h"
#include "compiler/support/cpp_escape.h"
#include "compiler/support/json.h"

namespace dfc::compiler {

using ir::ConfigKeyInfo;
using ir::ConfigKind;
using ir::ConnectorInfo;
using ir::OpInfo;

namespace {

using json::Kind;
using json::Value;

std::vector<std::string> SplitBar(std::string_view list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t bar = list.find('|', pos);
    if (bar == std::string_view::npos) bar = list.size();
    out.emplace_back(list.substr(pos, bar - pos));
    pos = bar + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

// " (did you mean 'x'?)" when a candidate is close, else " (expected one of: a, b, c)".
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string hint = DidYouMean(word, candidates);
  return hint.empty() ? " (expected one of: " + JoinQuoted(candidates) + ")" : hint;
}

bool ParseInt64(std::string_view text, int64_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

// Flink durations: a plain number (milliseconds) or a number and a unit ("10 s", "500ms").
bool IsDuration(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return false;
  while (i < text.size() && text[i] == ' ') ++i;
  std::string unit = Lower(text.substr(i));
  static const char* kUnits[] = {"",     "ms",      "milli",  "millis", "millisecond",
                                 "milliseconds",    "s",      "sec",    "secs",
                                 "second",          "seconds", "m",     "min",
                                 "mins",  "minute", "minutes", "h",     "hour",
                                 "hours", "d",      "day",     "days"};
  for (const char* u : kUnits) {
    if (unit == u) return true;
  }
  return false;
}

class Verifier {
 public:
  Verifier(ir::Graph& g, Diagnostics& diags) : g_(g), diags_(diags) {
    for (const ir::Node& n : g_.nodes) ids_.push_back(n.id);
    for (const ir::Schema& s : g_.schemas) {
      if (!s.derived) type_names_.push_back(s.name);
    }
  }

  void Run() {
    AddLateOutputs();
    CheckConfig();
    CheckIds();
    for (size_t i = 0; i < g_.nodes.size(); ++i) CheckNode(g_.nodes[i]);
    CheckUids();
    CheckCycles();
    CheckDependencies();
  }

 private:
  // A window op's "late_output": "<id>" names a stream of its late records that other nodes
  // read like any node: it becomes a node of op late_output whose input is the window.
  void AddLateOutputs() {
    const size_t n = g_.nodes.size();
    for (size_t i = 0; i < n; ++i) {
      if (g_.nodes[i].op == "late_output" && g_.nodes[i].params) {
        diags_.Error(g_.nodes[i].ParamLoc("op"), "op 'late_output' is not written as a node: give the window op "
                                                 "\"late_output\": \"<id>\" and use that id as an input");
      }
      const Value* lo = g_.nodes[i].params ? g_.nodes[i].Param("late_output") : nullptr;
      if (!lo || !lo->is_string() || lo->str.empty()) continue;  // infer-types reports a bad value
      ir::Node late;
      late.id = lo->str;
      late.name = lo->str;
      late.op = "late_output";
      late.input_ids = {g_.nodes[i].id};
      late.input_locs = {lo->loc};
      late.loc = lo->loc;
      late.parallelism = g_.nodes[i].parallelism;
      g_.nodes.push_back(std::move(late));
      ids_.push_back(lo->str);
    }
  }

  // Paths were resolved against the job file's directory by the reader.
  void CheckDependencies() {
    namespace fs = std::filesystem;
    const ir::Dependencies& d = g_.dependencies;
    auto check = [&](const std::vector<std::pair<std::string, SourceLoc>>& list, const char* what,
                     bool want_dir) {
      for (const auto& [path, loc] : list) {
        std::error_code ec;
        const fs::file_status st = fs::status(path, ec);
        if (!fs::exists(st)) {
          diags_.Error(loc, std::string(what) + " '" + path + "' does not exist");
        } else if (want_dir && !fs::is_directory(st)) {
          diags_.Error(loc, std::string(what) + " '" + path + "' is not a directory");
        } else if (!want_dir && fs::is_directory(st)) {
          diags_.Error(loc, std::string(what) + " '" + path + "' is a directory, not a file");
        }
      }
    };
    check(d.sources, "dependency source", false);
    std::vector<std::pair<std::string, SourceLoc>> headers;
    for (const auto& h : d.headers) {
      if (CppHeaderName(h.first)) {
        headers.push_back(h);
      } else {
        diags_.Error(h.second, "dependency header path cannot be #included: it contains a double quote or a "
                               "control character");
      }
    }
    check(headers, "dependency header", false);
    check(d.include_dirs, "include dir", true);
    std::vector<std::pair<std::string, SourceLoc>> lib_files;
    for (const auto& lib : d.libraries) {
      if (lib.first.find('/') != std::string::npos) lib_files.push_back(lib);
    }
    check(lib_files, "library", false);
  }

  void CheckIds() {
    std::map<std::string, int> first;  // lookup only; never iterated
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const ir::Node& n = g_.nodes[i];
      if (n.id.empty()) continue;  // the reader reported it
      auto [it, inserted] = first.emplace(n.id, static_cast<int>(i));
      if (!inserted) {
        diags_.Error(n.ParamLoc("id"), "duplicate node id '" + n.id + "'");
        diags_.Note(g_.nodes[it->second].ParamLoc("id"), "first defined here");
      }
    }
  }

  void CheckUids() {
    std::map<std::string, int> first;  // lookup only; never iterated
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const ir::Node& n = g_.nodes[i];
      if (n.uid.empty()) continue;
      auto [it, inserted] = first.emplace(n.uid, static_cast<int>(i));
      if (!inserted) {
        diags_.Error(n.ParamLoc("uid"), "duplicate uid '" + n.uid + "' (also used by node '" +
                                            g_.nodes[it->second].id + "')");
      }
    }
  }

  void CheckNode(ir::Node& n) {
    n.inputs.clear();
    for (size_t j = 0; j < n.input_ids.size(); ++j) {
      int idx = g_.FindNode(n.input_ids[j]);
      if (idx < 0) {
        SourceLoc loc = j < n.input_locs.size() ? n.input_locs[j] : n.loc;
        diags_.Error(loc, "unknown node '" + n.input_ids[j] + "'" +
                              DidYouMean(n.input_ids[j], ids_));
      }
      n.inputs.push_back(idx);
    }
    if (n.params) {
      if (const Value* type = n.Param("type")) CheckTypeRef(*type);
    }
    if (n.op.empty()) return;  // the reader reported it
    const OpInfo* op = ir::FindOp(n.op);
    if (!op) {
      std::vector<std::string> names;
      for (const OpInfo& o : ir::OpCatalogue()) names.push_back(o.name);
      diags_.Error(n.ParamLoc("op"), "unknown op '" + n.op + "'" + DidYouMean(n.op, names));
      return;
    }
    CheckInputCount(n, *op);
    if (n.parallelism > 0 && g_.config.count("pipeline.max-parallelism") &&
        n.parallelism > g_.MaxParallelism()) {
      diags_.Error(n.ParamLoc("parallelism"),
                   "parallelism " + std::to_string(n.parallelism) +
                       " exceeds pipeline.max-parallelism " +
                       std::to_string(g_.MaxParallelism()));
    }
    if (!n.params) return;  // built by the C++ front-end: params were checked there
    std::vector<std::string> allowed = op->params;
    for (const char* k : ir::kCommonNodeKeys) allowed.emplace_back(k);
    for (const json::Member& m : n.params->members) {
      if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end()) {
        diags_.Error(m.key_loc, "unknown parameter '" + m.key + "' for op '" + n.op + "'" +
                                    DidYouMean(m.key, allowed));
      }
    }
    CheckOpParams(n);
  }

  void CheckInputCount(const ir::Node& n, const OpInfo& op) {
    const int got = static_cast<int>(n.input_ids.size());
    SourceLoc loc = n.params && n.Param("inputs")  ? n.ParamLoc("inputs")
                    : n.params && n.Param("input") ? n.ParamLoc("input")
                                                   : n.loc;
    const std::string what = "op '" + n.op + "'";
    if (op.max_inputs == 0 && got > 0) {
      diags_.Error(loc, what + " takes no inputs, got " + std::to_string(got));
    } else if (op.min_inputs == op.max_inputs && got != op.min_inputs) {
      if (got == 0) {
        diags_.Error(loc, "missing 'input': " + what + " takes exactly " +
                              std::to_string(op.min_inputs) + " input");
      } else {
        diags_.Error(loc, what + " takes exactly " + std::to_string(op.min_inputs) +
                              " input" + (op.min_inputs == 1 ? "" : "s") + ", got " +
                              std::to_string(got));
      }
    } else if (got < op.min_inputs) {
      diags_.Error(loc, what + " takes at least " + std::to_string(op.min_inputs) +
                            " inputs, got " + std::to_string(got));
    } else if (op.max_inputs >= 0 && got > op.max_inputs) {
      diags_.Error(loc, what + " takes at most " + std::to_string(op.max_inputs) +
                            " inputs, got " + std::to_string(got));
    }
  }

  void CheckTypeRef(const Value& type) {
    if (!type.is_string()) {
      diags_.Error(type.loc, std::string("parameter 'type' must be a string, got ") +
                                 json::KindName(type.kind));
      return;
    }
    if (std::find(type_names_.begin(), type_names_.end(), type.str) == type_names_.end()) {
      diags_.Error(type.loc,
                   "unknown type '" + type.str + "'" + DidYouMean(type.str, type_names_));
    }
  }

  void Missing(const ir::Node& n, const std::string& key, const std::string& why = "") {
    diags_.Error(n.loc, "missing required parameter '" + key + "' for op '" + n.op + "'" + why);
  }

  // The parameter if present and of `kind`; reports a wrong kind. `required` reports absence.
  const Value* Get(const ir::Node& n, const std::string& key, Kind kind, bool required,
                   const std::string& why = "") {
    const Value* v = n.Param(key);
    if (!v) {
      if (required) Missing(n, key, why);
      return nullptr;
    }
    if (v->kind != kind) {
      const char* article = kind == Kind::kArray || kind == Kind::kObject ? "an " : "a ";
      diags_.Error(v->loc, "parameter '" + key + "' must be " + article + json::KindName(kind) +
                               ", got " + json::KindName(v->kind));
      return nullptr;
    }
    return v;
  }

  // A required non-empty string parameter.
  const Value* GetString(const ir::Node& n, const std::string& key, bool required,
                         const std::string& why = "") {
    const Value* v = Get(n, key, Kind::kString, required, why);
    if (v && v->str.empty()) {
      diags_.Error(v->loc, "parameter '" + key + "' must not be empty");
      return nullptr;
    }
    return v;
  }

  void CheckOpParams(const ir::Node& n) {
    if (n.op == "source" || n.op == "sink") {
      CheckConnector(n);
    } else if (n.op == "filter") {
      GetString(n, "where", true);
    } else if (n.op == "key_by") {
      CheckKey(n);
    } else if (n.op == "window_aggregate" || n.op == "window_reduce" || n.op == "window_process") {
      if (n.Param("key")) CheckKey(n);  // no key: one window for the whole stream (windowAll)
      if (n.op != "window_aggregate") GetString(n, "fn", true);
    } else if (n.op == "window_join" || n.op == "interval_join" || n.op == "join") {
      if (n.op == "join") GetString(n, "where", false);
      if (n.Param("key")) {
        CheckKey(n);
        if (n.Param("left_key") || n.Param("right_key"))
          diags_.Error(n.ParamLoc("key"), "give either 'key' (the same columns on both sides) or 'left_key' and 'right_key'");
      } else if (!n.Param("left_key") || !n.Param("right_key")) {
        Missing(n, "key", " (or 'left_key' and 'right_key'): joins are keyed");
      }
    } else if (n.op == "map" || n.op == "flat_map" || n.op == "reduce") {
      GetString(n, "fn", true);
    } else if (n.op == "process") {
      GetString(n, "fn", true);
      GetString(n, "on_timer", false);
    } else if (n.op == "co_map" || n.op == "co_flat_map" || n.op == "co_process") {
      // Keys are optional here (co_process without them needs key_by inputs: infer-types).
      GetString(n, "fn1", true);
      GetString(n, "fn2", true);
      if (n.op == "co_process") GetString(n, "on_timer", false);
      if (n.Param("key") && (n.Param("left_key") || n.Param("right_key")))
        diags_.Error(n.ParamLoc("key"), "give either 'key' (the same columns on both sides) or 'left_key' and 'right_key'");
      else if (!n.Param("key") && (n.Param("left_key") != nullptr) != (n.Param("right_key") != nullptr))
        Missing(n, n.Param("left_key") ? "right_key" : "left_key", " (left_key and right_key go together)");
    }
  }

  void CheckKey(const ir::Node& n) {
    const Value* key = n.Param("key");
    if (!key) return Missing(n, "key");
    if (key->is_string()) {
      if (key->str.empty()) diags_.Error(key->loc, "parameter 'key' must not be empty");
      return;
    }
    if (!key->is_array()) {
      diags_.Error(key->loc, std::string("parameter 'key' must be a string or an array of "
                                         "strings, got ") +
                                 json::KindName(key->kind));
      return;
    }
    if (key->items.empty()) diags_.Error(key->loc, "parameter 'key' must name at least one field");
    for (const auto& item : key->items) {
      if (!item->is_string() || item->str.empty()) {
        diags_.Error(item->loc, "a key field must be a non-empty string");
      }
    }
  }

  void CheckConnector(const ir::Node& n) {
    std::vector<std::string> names;
    for (const ConnectorInfo& c : ir::Connectors()) {
      if (c.op == n.op) names.push_back(c.name);
    }
    if (n.op == "source" && !n.Param("type")) Missing(n, "type", " (the row type it produces)");
    const Value* connector = GetString(n, "connector", true);
    if (!connector) return;
    const ConnectorInfo* info = nullptr;
    for (const ConnectorInfo& c : ir::Connectors()) {
      if (c.op == n.op && c.name == connector->str) info = &c;
    }
    if (!info) {
      diags_.Error(connector->loc, "unknown " + n.op + " connector '" + connector->str + "'" +
                                       Suggest(connector->str, names));
      return;
    }
    const std::string why = " (connector '" + info->name + "')";
    for (const std::string& key : info->required) {
      if (key == "rows") {
        Get(n, key, Kind::kArray, true, why);
      } else {
        GetString(n, key, true, why);
      }
    }
    if (!info->formats.empty()) {
      if (const Value* format = n.Param("format"); format && format->is_string()) {
        if (std::find(info->formats.begin(), info->formats.end(), format->str) ==
            info->formats.end()) {
          diags_.Error(format->loc, "unknown format '" + format->str + "' for a " + info->name +
                                        " " + n.op + Suggest(format->str, info->formats));
        }
      }
    }
    if (n.op == "source" && info->name == "datagen") {
      if (const Value* count = n.Param("count")) {
        if (!count->is_number() || !count->is_integer || count->integer < 0) {
          diags_.Error(count->loc, "parameter 'count' must be a non-negative integer, got " +
                                       count->ToJson());
        }
      }
      if (const Value* rate = n.Param("rate")) {
        if (!rate->is_number() || !(rate->number > 0)) {
          diags_.Error(rate->loc,
                       "parameter 'rate' must be a positive number, got " + rate->ToJson());
        }
      }
      Get(n, "fields", Kind::kObject, false);
    }
  }

  void CheckCycles() {
    const int n = static_cast<int>(g_.nodes.size());
    std::vector<int> color(n, 0);  // 0 = unvisited, 1 = on the DFS stack, 2 = done
    std::vector<std::pair<int, size_t>> stack;  // (node, next input to visit)
    for (int root = 0; root < n; ++root) {
      if (color[root] != 0) continue;
      stack.push_back({root, 0});
      color[root] = 1;
      while (!stack.empty()) {
        auto& [u, next] = stack.back();
        const std::vector<int>& ins = g_.nodes[u].inputs;
        if (next >= ins.size()) {
          color[u] = 2;
          stack.pop_back();
          continue;
        }
        int v = ins[next++];
        if (v < 0) continue;
        if (color[v] == 0) {
          color[v] = 1;
          stack.push_back({v, 0});
        } else if (color[v] == 1) {
          ReportCycle(stack, v);
        }
      }
    }
  }

  // The DFS stack follows inputs, so from `v`'s entry to the top it runs against the data flow;
  // reversed it is the cycle in data-flow order. Printed from its earliest node for stability.
  void ReportCycle(const std::vector<std::pair<int, size_t>>& stack, int v) {
    std::vector<int> cycle;
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      cycle.push_back(it->first);
      if (it->first == v) break;
    }
    auto first = std::min_element(cycle.begin(), cycle.end());
    std::rotate(cycle.begin(), first, cycle.end());
    std::string text;
    for (int c : cycle) text += g_.nodes[c].id + " -> ";
    text += g_.nodes[cycle[0]].id;
    // Point at the input of the first node that closes the cycle.
    const ir::Node& head = g_.nodes[cycle[0]];
    int pred = cycle.back();
    SourceLoc loc = head.loc;
    for (size_t j = 0; j < head.inputs.size() && j < head.input_locs.size(); ++j) {
      if (head.inputs[j] == pred) {
        loc = head.input_locs[j];
        break;
      }
    }
    diags_.Error(loc, "cycle in the job graph: " + text);
  }

  void CheckConfig() {
    std::vector<std::string> known;
    for (const ConfigKeyInfo& k : ir::ConfigKeys()) known.push_back(k.key);
    // Report in the order the job wrote them, not the map's alphabetical order.
    std::vector<const std::pair<const std::string, ir::ConfigEntry>*> entries;
    for (const auto& e : g_.config) entries.push_back(&e);
    std::stable_sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
      return std::make_pair(a->second.loc.line, a->second.loc.col) <
             std::make_pair(b->second.loc.line, b->second.loc.col);
    });
    for (const auto* e : entries) {
      const std::string& key = e->first;
      const ir::ConfigEntry& entry = e->second;
      const ConfigKeyInfo* info = nullptr;
      for (const ConfigKeyInfo& k : ir::ConfigKeys()) {
        if (key == k.key) info = &k;
      }
      if (!info) {
        diags_.Warning(entry.key_loc.known() ? entry.key_loc : entry.loc,
                       "unknown config key '" + key + "'" + DidYouMean(key, known));
        continue;
      }
      CheckConfigValue(key, entry, *info);
    }
    if (g_.config.count("parallelism.default") && g_.config.count("pipeline.max-parallelism") &&
        g_.DefaultParallelism() > g_.MaxParallelism()) {
      const ir::ConfigEntry& e = g_.config.at("parallelism.default");
      diags_.Error(e.loc, "parallelism.default " + e.value + " exceeds pipeline.max-parallelism " +
                              g_.ConfigValue("pipeline.max-parallelism"));
    }
  }

  void CheckConfigValue(const std::string& key, const ir::ConfigEntry& e,
                        const ConfigKeyInfo& info) {
    const std::string& v = e.value;
    const std::string prefix = "config '" + key + "' must be ";
    int64_t i = 0;
    switch (info.kind) {
      case ConfigKind::kPositiveInt:
        if (!ParseInt64(v, i) || i <= 0) {
          diags_.Error(e.loc, prefix + "a positive integer, got '" + v + "'");
        } else if (key == "pipeline.max-parallelism" && i > 32768) {
          diags_.Error(e.loc, prefix + "at most 32768, got " + v);
        }
        break;
      case ConfigKind::kNonNegativeInt:
        if (!ParseInt64(v, i) || i < 0) {
          diags_.Error(e.loc, prefix + "a non-negative integer, got '" + v + "'");
        }
        break;
      case ConfigKind::kPort:
        if (!ParseInt64(v, i) || i < 0 || i > 65535) {
          diags_.Error(e.loc, prefix + "a port number (0-65535), got '" + v + "'");
        }
        break;
      case ConfigKind::kBool:
        if (Lower(v) != "true" && Lower(v) != "false") {
          diags_.Error(e.loc, prefix + "true or false, got '" + v + "'");
        }
        break;
      case ConfigKind::kDuration:
        if (!IsDuration(v)) {
          diags_.Error(e.loc, prefix + "a duration such as '10 s' or '500 ms', got '" + v + "'");
        }
        break;
      case ConfigKind::kDouble: {
        char* end = nullptr;
        std::strtod(v.c_str(), &end);
        if (v.empty() || end != v.c_str() + v.size()) {
          diags_.Error(e.loc, prefix + "a number, got '" + v + "'");
        }
        break;
      }
      case ConfigKind::kEnum: {
        std::vector<std::string> values = SplitBar(info.values);
        bool found = false;
        for (const std::string& allowed : values) found = found || Lower(allowed) == Lower(v);
        if (!found) {
          // Flink matches these case-insensitively, so the hint should too.
          std::vector<std::string> lower;
          for (const std::string& allowed : values) lower.push_back(Lower(allowed));
          std::string hint = ClosestMatch(Lower(v), lower);
          for (size_t k = 0; k < values.size(); ++k) {
            if (!hint.empty() && lower[k] == hint) hint = " (did you mean '" + values[k] + "'?)";
          }
          diags_.Error(e.loc,
                       prefix + "one of " + JoinQuoted(values) + ", got '" + v + "'" + hint);
        }
        break;
      }
      case ConfigKind::kString:
        break;
    }
  }

  ir::Graph& g_;
  Diagnostics& diags_;
  std::vector<std::string> ids_;         // in node order, for "did you mean"
  std::vector<std::string> type_names_;  // declared types, in order
};

}  // namespace

absl::Status Verify(ir::Graph& g, PassContext& ctx) {
  Verifier v(g, *ctx.diags);
  v.Run();
  return absl::OkStatus();
}

}  // namespace dfc::compiler
