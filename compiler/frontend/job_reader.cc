#include "compiler/frontend/job_reader.h"

#include <cctype>
#include <filesystem>
#include <utility>

#include "compiler/ir/types.h"
#include "compiler/support/json.h"

namespace dfc::compiler {

const std::vector<std::string>& JobTopLevelKeys() {
  static const std::vector<std::string> kKeys = {"$schema", "name",  "config",
                                                 "types",   "nodes", "dependencies"};
  return kKeys;
}

namespace {

using json::Kind;
using json::Value;

const std::vector<std::string>& DependencyKeys() {
  static const std::vector<std::string> kKeys = {"sources", "headers", "include_dirs",
                                                 "libraries", "pkg_config"};
  return kKeys;
}

// Names other SQL dialects use for our types; a plain edit distance would not find these.
std::string TypeHint(const std::string& upper) {
  static const std::pair<const char*, const char*> kAliases[] = {
      {"FLOAT", "DOUBLE"},   {"REAL", "DOUBLE"},  {"BOOL", "BOOLEAN"}, {"LONG", "BIGINT"},
      {"INT64", "BIGINT"},   {"INT32", "INT"},    {"SMALLINT", "INT"}, {"TINYINT", "INT"},
      {"TEXT", "STRING"},    {"CHAR", "STRING"},  {"DATETIME", "TIMESTAMP(3)"},
  };
  for (const auto& [alias, ours] : kAliases) {
    if (upper == alias) return std::string(" (did you mean '") + ours + "'?)";
  }
  return DidYouMean(upper, ir::TypeNames());
}

class Reader {
 public:
  Reader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  std::unique_ptr<ir::Graph> Read(std::string_view text) {
    std::unique_ptr<Value> doc = json::Parse(text, file_, diags_);
    if (!doc) return nullptr;
    return ReadDocument(std::move(doc));
  }

  std::unique_ptr<ir::Graph> ReadDocument(std::unique_ptr<Value> doc) {
    auto g = std::make_unique<ir::Graph>();
    g->file = file_;
    g->document = std::shared_ptr<Value>(std::move(doc));
    const Value& root = *g->document;
    if (!root.is_object()) {
      diags_.Error(root.loc, std::string("a job must be a JSON object, got ") +
                                 json::KindName(root.kind));
      return g;
    }
    for (const char* required : {"name", "nodes"}) {
      if (!root.GetMember(required)) {
        diags_.Error(root.loc, std::string("job is missing required key '") + required + "'");
      }
    }
    for (const json::Member& m : root.members) {
      const Value& v = *m.value;
      if (m.key == "$schema") {
        ExpectKind(v, Kind::kString, "'$schema'");
      } else if (m.key == "name") {
        if (ExpectKind(v, Kind::kString, "'name'")) {
          if (v.str.empty()) diags_.Error(v.loc, "'name' must not be empty");
          g->name = v.str;
        }
      } else if (m.key == "config") {
        ReadConfig(v, *g);
      } else if (m.key == "types") {
        ReadTypes(v, *g);
      } else if (m.key == "nodes") {
        ReadNodes(v, *g);
      } else if (m.key == "dependencies") {
        ReadDependencies(v, *g);
      } else {
        diags_.Error(m.key_loc, "unknown top-level key '" + m.key + "'" +
                                    DidYouMean(m.key, JobTopLevelKeys()));
      }
    }
    return g;
  }

 private:
  // Reports a kind mismatch as "<what> must be a <kind>, got <kind>"; true when `v` is `kind`.
  bool ExpectKind(const Value& v, Kind kind, const std::string& what) {
    if (v.kind == kind) return true;
    const char* article = kind == Kind::kArray || kind == Kind::kObject ? "an " : "a ";
    diags_.Error(v.loc, what + " must be " + article + json::KindName(kind) + ", got " +
                            json::KindName(v.kind));
    return false;
  }

  void ReadConfig(const Value& v, ir::Graph& g) {
    if (!ExpectKind(v, Kind::kObject, "'config'")) return;
    for (const json::Member& m : v.members) {
      const Value& val = *m.value;
      ir::ConfigEntry entry;
      entry.loc = val.loc;
      entry.key_loc = m.key_loc;
      switch (val.kind) {
        case Kind::kString: entry.value = val.str; break;
        case Kind::kNumber: entry.value = val.raw; break;
        case Kind::kBool: entry.value = val.bool_value ? "true" : "false"; break;
        default:
          diags_.Error(val.loc, "config value '" + m.key +
                                    "' must be a string, number or boolean, got " +
                                    json::KindName(val.kind));
          continue;
      }
      g.config[m.key] = std::move(entry);
    }
  }

  // Adds `field` to `schema` unless the name is taken.
  void AddField(ir::Schema& schema, ir::Field field) {
    if (schema.FieldIndex(field.name) >= 0) {
      diags_.Error(field.loc, "duplicate field '" + field.name + "' in type '" + schema.name + "'");
      return;
    }
    schema.fields.push_back(std::move(field));
  }

  std::optional<ir::Type> CheckType(std::string_view text, const SourceLoc& loc) {
    std::optional<ir::Type> t = ir::ParseType(text);
    if (t) return t;
    std::string upper;
    for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.rfind("TIMESTAMP(", 0) == 0) {
      diags_.Error(loc, "unsupported type '" + std::string(text) +
                            "': only TIMESTAMP(3) (milliseconds) is supported");
    } else {
      diags_.Error(loc, "unknown type '" + std::string(text) + "'" + TypeHint(upper));
    }
    return std::nullopt;
  }

  // "auction BIGINT, bidder BIGINT, note VARCHAR(20)": fields split on top-level commas.
  void ReadFieldList(const Value& v, ir::Schema& schema) {
    const std::string& s = v.str;
    size_t pos = 0;
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (pos <= s.size()) {
      size_t end = pos;
      int depth = 0;
      while (end < s.size() && !(s[end] == ',' && depth == 0)) {
        if (s[end] == '(') ++depth;
        if (s[end] == ')') --depth;
        ++end;
      }
      size_t b = pos;
      while (b < end && is_space(s[b])) ++b;
      size_t e = end;
      while (e > b && is_space(s[e - 1])) --e;
      SourceLoc loc = v.loc.Shifted(static_cast<int>(b));
      if (b == e) {
        if (end < s.size()) {  // an empty last entry is a trailing comma, accepted like JSONC's
          diags_.Error(loc, "expected 'name TYPE' in the field list of type '" + schema.name + "'");
        }
      } else {
        size_t name_end = b;
        while (name_end < e && !is_space(s[name_end])) ++name_end;
        size_t type_begin = name_end;
        while (type_begin < e && is_space(s[type_begin])) ++type_begin;
        ir::Field f;
        f.name = s.substr(b, name_end - b);
        f.loc = loc;
        if (type_begin == e) {
          diags_.Error(loc, "field '" + f.name + "' has no type (expected '" + f.name + " TYPE')");
        } else if (auto t = CheckType(std::string_view(s).substr(type_begin, e - type_begin),
                                      v.loc.Shifted(static_cast<int>(type_begin)))) {
          f.type = *t;
          AddField(schema, std::move(f));
        }
      }
      pos = end + 1;
    }
  }

  // [{"name": "auction", "type": "BIGINT"}, ...]
  void ReadFieldArray(const Value& v, ir::Schema& schema) {
    static const std::vector<std::string> kFieldKeys = {"name", "type"};
    for (const auto& item : v.items) {
      if (!ExpectKind(*item, Kind::kObject, "a field")) continue;
      bool ok = true;
      for (const json::Member& m : item->members) {
        if (m.key != "name" && m.key != "type") {
          diags_.Error(m.key_loc, "unknown field key '" + m.key + "'" +
                                      DidYouMean(m.key, kFieldKeys));
          ok = false;
        }
      }
      ir::Field f;
      f.loc = item->loc;
      const Value* name = item->Get("name");
      const Value* type = item->Get("type");
      if (!name) {
        diags_.Error(item->loc, "field is missing required key 'name'");
        ok = false;
      } else if (!ExpectKind(*name, Kind::kString, "field 'name'")) {
        ok = false;
      } else if (name->str.empty()) {
        diags_.Error(name->loc, "field name must not be empty");
        ok = false;
      } else {
        f.name = name->str;
      }
      if (!type) {
        diags_.Error(item->loc, "field is missing required key 'type'");
        ok = false;
      } else if (!ExpectKind(*type, Kind::kString, "field 'type'")) {
        ok = false;
      } else if (auto t = CheckType(type->str, type->loc)) {
        f.type = *t;
      } else {
        ok = false;
      }
      if (ok) AddField(schema, std::move(f));
    }
  }

  void ReadTypes(const Value& v, ir::Graph& g) {
    if (!ExpectKind(v, Kind::kObject, "'types'")) return;
    for (const json::Member& m : v.members) {
      ir::Schema schema;
      schema.name = m.key;
      schema.loc = m.key_loc;
      const Value& def = *m.value;
      if (m.key.empty()) diags_.Error(m.key_loc, "type name must not be empty");
      if (def.is_string()) {
        ReadFieldList(def, schema);
      } else if (def.is_array()) {
        ReadFieldArray(def, schema);
      } else {
        diags_.Error(def.loc, "type '" + m.key +
                                  "' must be a string (\"a BIGINT, b STRING\") or an array of "
                                  "{\"name\", \"type\"} objects, got " +
                                  json::KindName(def.kind));
        continue;
      }
      if (schema.fields.empty() && ((def.is_string() && def.str.find_first_not_of(" \t\r\n") ==
                                                            std::string::npos) ||
                                    (def.is_array() && def.items.empty()))) {
        diags_.Error(def.loc, "type '" + m.key + "' has no fields");
      }
      g.schemas.push_back(std::move(schema));
    }
  }

  void ReadNode(const Value& v, ir::Graph& g) {
    if (!ExpectKind(v, Kind::kObject, "a node")) return;
    ir::Node n;
    n.loc = v.loc;
    n.params = &v;
    if (const Value* id = v.Get("id")) {
      if (ExpectKind(*id, Kind::kString, "'id'")) {
        if (id->str.empty()) diags_.Error(id->loc, "'id' must not be empty");
        n.id = id->str;
      }
    } else {
      diags_.Error(v.loc, "node is missing required key 'id'");
    }
    const std::string who = n.id.empty() ? std::string("node") : "node '" + n.id + "'";
    if (const Value* op = v.Get("op")) {
      if (ExpectKind(*op, Kind::kString, "'op'")) n.op = op->str;
    } else {
      diags_.Error(v.loc, who + " is missing required key 'op'");
    }
    const Value* input = v.Get("input");
    const Value* inputs = v.Get("inputs");
    if (input && inputs) {
      diags_.Error(v.GetMember("inputs")->key_loc,
                   who + " has both 'input' and 'inputs'; use one of them");
    }
    if (input && ExpectKind(*input, Kind::kString, "'input'")) {
      n.input_ids.push_back(input->str);
      n.input_locs.push_back(input->loc);
    }
    if (inputs && ExpectKind(*inputs, Kind::kArray, "'inputs'")) {
      for (const auto& item : inputs->items) {
        if (!ExpectKind(*item, Kind::kString, "an input")) continue;
        n.input_ids.push_back(item->str);
        n.input_locs.push_back(item->loc);
      }
    }
    n.name = n.id;
    if (const Value* name = v.Get("name"); name && ExpectKind(*name, Kind::kString, "'name'")) {
      n.name = name->str;
    }
    if (const Value* uid = v.Get("uid"); uid && ExpectKind(*uid, Kind::kString, "'uid'")) {
      if (uid->str.empty()) {
        diags_.Error(uid->loc, "'uid' must not be empty");
      } else {
        n.uid = uid->str;
        n.uid_from_user = true;
      }
    }
    if (const Value* p = v.Get("parallelism")) {
      if (p->is_number() && p->is_integer && p->integer > 0 && p->integer <= 32768) {
        n.parallelism = static_cast<int>(p->integer);
      } else if (p->is_number() && p->is_integer && p->integer > 32768) {
        diags_.Error(p->loc, "'parallelism' must be at most 32768, got " + p->raw);
      } else {
        diags_.Error(p->loc, "'parallelism' must be a positive integer, got " + p->ToJson());
      }
    }
    g.nodes.push_back(std::move(n));
  }

  void ReadNodes(const Value& v, ir::Graph& g) {
    if (!ExpectKind(v, Kind::kArray, "'nodes'")) return;
    for (const auto& item : v.items) ReadNode(*item, g);
  }

  static bool LooksLikePath(const std::string& lib) {
    auto ends_with = [&](std::string_view suffix) {
      return lib.size() >= suffix.size() &&
             lib.compare(lib.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return lib.find('/') != std::string::npos || ends_with(".a") || ends_with(".so") ||
           ends_with(".o") || lib.find(".so.") != std::string::npos;
  }

  std::string Resolve(const std::string& path) const {
    namespace fs = std::filesystem;
    fs::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    std::error_code ec;
    fs::path base = fs::path(file_).parent_path();
    fs::path abs = fs::absolute(base / p, ec);
    if (ec) return (base / p).lexically_normal().string();
    return abs.lexically_normal().string();
  }

  void ReadDependencies(const Value& v, ir::Graph& g) {
    if (!ExpectKind(v, Kind::kObject, "'dependencies'")) return;
    for (const json::Member& m : v.members) {
      std::vector<std::pair<std::string, SourceLoc>>* list = nullptr;
      if (m.key == "sources") {
        list = &g.dependencies.sources;
      } else if (m.key == "headers") {
        list = &g.dependencies.headers;
      } else if (m.key == "include_dirs") {
        list = &g.dependencies.include_dirs;
      } else if (m.key == "libraries") {
        list = &g.dependencies.libraries;
      } else if (m.key == "pkg_config") {
        list = &g.dependencies.pkg_config;
      } else {
        diags_.Error(m.key_loc, "unknown dependencies key '" + m.key + "'" +
                                    DidYouMean(m.key, DependencyKeys()));
        continue;
      }
      if (!ExpectKind(*m.value, Kind::kArray, "'" + m.key + "'")) continue;
      for (const auto& item : m.value->items) {
        if (!ExpectKind(*item, Kind::kString, "a dependency")) continue;
        if (item->str.empty()) {
          diags_.Error(item->loc, "a dependency must not be empty");
          continue;
        }
        bool is_path = m.key == "sources" || m.key == "headers" || m.key == "include_dirs" ||
                       (m.key == "libraries" && LooksLikePath(item->str));
        list->emplace_back(is_path ? Resolve(item->str) : item->str, item->loc);
      }
    }
  }

  const std::string& file_;
  Diagnostics& diags_;
};

}  // namespace

std::unique_ptr<ir::Graph> ReadJsonJob(std::string_view text, const std::string& file,
                                       Diagnostics& diags) {
  Reader r(file, diags);
  return r.Read(text);
}

std::unique_ptr<ir::Graph> ReadJobDocument(std::unique_ptr<json::Value> doc,
                                           const std::string& file, Diagnostics& diags) {
  Reader r(file, diags);
  return r.ReadDocument(std::move(doc));
}

}  // namespace dfc::compiler
