#include "compiler/frontend/job_schema.h"

#include <cctype>
#include <string_view>
#include <vector>

#include "compiler/ir/catalogue.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostics.h"
#include "compiler/support/json.h"
#include "compiler/support/status_macros.h"

namespace dfc::compiler {

namespace {

using json::Quote;

// Small builders for compact JSON text; the result is parsed and pretty-printed at the end, which
// also proves it is well-formed.
std::string Obj(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) out += ",";
    out += Quote(members[i].first) + ":" + members[i].second;
  }
  return out + "}";
}

std::string Arr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

std::string StrArr(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(Quote(s));
  return Arr(quoted);
}

std::string Ref(const std::string& def) { return Obj({{"$ref", Quote("#/$defs/" + def)}}); }

// A case-insensitive regular expression for `word` without relying on regex flags, which JSON
// Schema's ECMA-262 dialect does not have: "INT" -> "[Ii][Nn][Tt]".
std::string AnyCase(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      out += '[';
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out += ']';
    } else {
      out += c;
    }
  }
  return out;
}

std::string TypeNamePattern() {
  const std::string ws = "\\s*";
  return "^" + ws + "(" + AnyCase("BOOLEAN") + "|" + AnyCase("INTEGER") + "|" + AnyCase("INT") +
         "|" + AnyCase("BIGINT") + "|" + AnyCase("DOUBLE") + "|" + AnyCase("STRING") + "|" +
         AnyCase("VARCHAR") + "(" + ws + "\\(" + ws + "[1-9][0-9]*" + ws + "\\))?|" +
         AnyCase("TIMESTAMP") + "(" + ws + "\\(" + ws + "3" + ws + "\\))?)" + ws + "$";
}

std::string Described(std::vector<std::pair<std::string, std::string>> members,
                       const std::string& description) {
  members.insert(members.begin(), {"description", Quote(description)});
  return Obj(members);
}

std::string ConfigValueSchema(const ir::ConfigKeyInfo& k) {
  using ir::ConfigKind;
  auto int_or_text = [&](int min, int max, const char* pattern) {
    std::vector<std::pair<std::string, std::string>> num = {{"type", Quote("integer")},
                                                           {"minimum", std::to_string(min)}};
    if (max > 0) num.push_back({"maximum", std::to_string(max)});
    return Described({{"anyOf", Arr({Obj(num), Obj({{"type", Quote("string")},
                                                     {"pattern", Quote(pattern)}})})}},
                     k.description);
  };
  switch (k.kind) {
    case ConfigKind::kPositiveInt:
      return int_or_text(1, k.key == "pipeline.max-parallelism" ? 32768 : 0, "^[1-9][0-9]*$");
    case ConfigKind::kNonNegativeInt:
      return int_or_text(0, 0, "^[0-9]+$");
    case ConfigKind::kPort:
      return int_or_text(0, 65535, "^[0-9]+$");
    case ConfigKind::kBool:
      return Described({{"anyOf", Arr({Obj({{"type", Quote("boolean")}}),
                                       Obj({{"enum", StrArr({"true", "false"})}})})}},
                       k.description);
    case ConfigKind::kDuration:
      return Described(
          {{"anyOf", Arr({Obj({{"type", Quote("integer")}, {"minimum", "0"}}),
                          Obj({{"type", Quote("string")},
                               {"pattern", Quote("^[0-9]+ *[A-Za-z]*$")}})})},
           {"examples", StrArr({"10 s", "500 ms", "1 min"})}},
          k.description);
    case ConfigKind::kEnum: {
      std::vector<std::string> values;
      std::string_view rest = k.values;
      while (!rest.empty()) {
        size_t bar = rest.find('|');
        values.emplace_back(rest.substr(0, bar));
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
      return Described({{"enum", StrArr(values)}}, k.description);
    }
    case ConfigKind::kString:
      return Described({{"type", Quote("string")}}, k.description);
    case ConfigKind::kDouble:
      return Described({{"type", StrArr({"number", "string"})}}, k.description);
  }
  return "{}";
}

std::string ConfigSchema() {
  std::vector<std::pair<std::string, std::string>> props;
  for (const ir::ConfigKeyInfo& k : ir::ConfigKeys()) props.push_back({k.key, ConfigValueSchema(k)});
  return Described({{"type", Quote("object")},
                    {"properties", Obj(props)},
                    {"additionalProperties", Obj({{"type", StrArr({"string", "number", "boolean"})}})}},
                   "Flink configuration keys; values are kept as text");
}

// The schema of one op-specific parameter, by name.
std::string ParamSchema(const ir::OpInfo& op, const std::string& param) {
  if (param == "connector" || param == "format") {
    std::vector<std::string> values;
    for (const ir::ConnectorInfo& c : ir::Connectors()) {
      if (c.op != op.name) continue;
      if (param == "connector") values.push_back(c.name);
      for (const std::string& f : c.formats) {
        bool seen = false;
        for (const std::string& v : values) seen = seen || v == f;
        if (param == "format" && !seen) values.push_back(f);
      }
    }
    return Obj({{"enum", StrArr(values)}});
  }
  if (param == "path") return Described({{"type", Quote("string")}, {"minLength", "1"}}, "file path");
  if (param == "rows") return Described({{"type", Quote("array")}}, "the rows, as objects or arrays");
  if (param == "count") {
    return Described({{"type", Quote("integer")}, {"minimum", "0"}}, "number of rows; unbounded when absent");
  }
  if (param == "rate") {
    return Described({{"type", Quote("number")}, {"exclusiveMinimum", "0"}}, "rows per second");
  }
  if (param == "fields") return Described({{"type", Quote("object")}}, "per-field generator settings");
  if (param == "where") return Described({{"type", Quote("string")}}, "SQL boolean expression");
  if (param == "fn") return Described({{"type", Quote("string")}, {"minLength", "1"}}, "C++ lambda or function name");
  if (param == "delimiter") return Obj({{"type", Quote("string")}});
  if (param == "on_error") return Obj({{"type", Quote("string")}});
  if (param == "key") {
    return Described({{"oneOf", Arr({Obj({{"type", Quote("string")}, {"minLength", "1"}}),
                                     Obj({{"type", Quote("array")},
                                          {"items", Obj({{"type", Quote("string")}, {"minLength", "1"}})},
                                          {"minItems", "1"}})})}},
                     "key field name(s)");
  }
  return "{}";  // shape owned by the pass that reads it (e.g. select's columns: infer-types)
}

std::string OpSchema(const ir::OpInfo& op) {
  std::vector<std::pair<std::string, std::string>> props;
  for (const std::string& p : op.params) props.push_back({p, ParamSchema(op, p)});
  std::vector<std::string> required;
  if (op.name == "source") required = {"connector", "type"};
  if (op.name == "sink") required = {"connector"};
  if (op.name == "filter") required = {"where"};
  if (op.name == "key_by") required = {"key"};
  if (op.name == "map" || op.name == "flat_map" || op.name == "reduce") required = {"fn"};
  if (op.min_inputs > 1) {  // multi-input ops (union) list them in `inputs`
    std::vector<std::pair<std::string, std::string>> arity = {
        {"minItems", std::to_string(op.min_inputs)}};
    if (op.max_inputs > 0) arity.push_back({"maxItems", std::to_string(op.max_inputs)});
    props.push_back({"inputs", Obj(arity)});
    required.push_back("inputs");
  }
  std::vector<std::pair<std::string, std::string>> members = {{"properties", Obj(props)}};
  if (!required.empty()) members.push_back({"required", StrArr(required)});
  std::vector<std::string> all_of;
  for (const ir::ConnectorInfo& c : ir::Connectors()) {
    if (c.op != op.name || (c.required.empty() && c.formats.empty())) continue;
    std::vector<std::pair<std::string, std::string>> then;
    if (!c.required.empty()) then.push_back({"required", StrArr(c.required)});
    if (!c.formats.empty()) {
      then.push_back({"properties", Obj({{"format", Obj({{"enum", StrArr(c.formats)}})}})});
    }
    all_of.push_back(
        Obj({{"if", Obj({{"properties", Obj({{"connector", Obj({{"const", Quote(c.name)}})}})},
                         {"required", StrArr({"connector"})}})},
             {"then", Obj(then)}}));
  }
  if (!all_of.empty()) members.push_back({"allOf", Arr(all_of)});
  if (op.max_inputs == 0) {
    members.push_back({"not", Obj({{"anyOf", Arr({Obj({{"required", StrArr({"input"})}}),
                                                  Obj({{"required", StrArr({"inputs"})}})})}})});
  }
  return Described(members, op.description);
}

std::string NodeSchema() {
  std::vector<std::pair<std::string, std::string>> common = {
      {"id", Described({{"type", Quote("string")}, {"minLength", "1"}}, "unique node id")},
      {"op", Described({{"enum", StrArr(ir::OpNames())}}, "operator")},
      {"input", Described({{"type", Quote("string")}}, "id of the input node")},
      {"inputs", Described({{"type", Quote("array")}, {"items", Obj({{"type", Quote("string")}})}},
                           "ids of the input nodes")},
      {"name", Described({{"type", Quote("string")}}, "display name; defaults to the id")},
      {"uid", Described({{"type", Quote("string")}, {"minLength", "1"}},
                        "stable operator id that state is matched by")},
      {"parallelism", Described({{"type", Quote("integer")}, {"minimum", "1"}, {"maximum", "32768"}},
                                "parallelism; parallelism.default when absent")},
      {"type", Described({{"type", Quote("string")}}, "name of a type declared in `types`")},
  };
  // Common keys added to ir::kCommonNodeKeys later are accepted even before they get a description.
  for (const char* key : ir::kCommonNodeKeys) {
    bool described = false;
    for (const auto& [name, schema] : common) described = described || name == key;
    if (!described) common.push_back({key, "{}"});
  }
  std::vector<std::string> by_op;
  for (const ir::OpInfo& op : ir::OpCatalogue()) {
    by_op.push_back(Obj({{"if", Obj({{"properties", Obj({{"op", Obj({{"const", Quote(op.name)}})}})},
                                     {"required", StrArr({"op"})}})},
                         {"then", Ref("op_" + op.name)}}));
  }
  return Obj({{"type", Quote("object")},
              {"required", StrArr({"id", "op"})},
              {"properties", Obj(common)},
              {"not", Obj({{"required", StrArr({"input", "inputs"})}})},
              {"allOf", Arr(by_op)},
              {"unevaluatedProperties", "false"}});
}

void Pretty(const json::Value& v, int indent, std::string& out) {
  const std::string pad(indent + 2, ' ');
  auto scalar_only = [](const json::Value& a) {
    for (const auto& item : a.items) {
      if (item->is_array() || item->is_object()) return false;
    }
    return true;
  };
  if (v.is_object() && !v.members.empty()) {
    out += "{\n";
    for (size_t i = 0; i < v.members.size(); ++i) {
      out += pad + Quote(v.members[i].key) + ": ";
      Pretty(*v.members[i].value, indent + 2, out);
      out += i + 1 < v.members.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "}";
  } else if (v.is_array() && !v.items.empty() && !scalar_only(v)) {
    out += "[\n";
    for (size_t i = 0; i < v.items.size(); ++i) {
      out += pad;
      Pretty(*v.items[i], indent + 2, out);
      out += i + 1 < v.items.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "]";
  } else if (v.is_array()) {
    out += "[";
    for (size_t i = 0; i < v.items.size(); ++i) out += (i ? ", " : "") + v.items[i]->ToJson();
    out += "]";
  } else {
    out += v.ToJson();
  }
}

}  // namespace

std::string JobJsonSchema() {
  std::vector<std::pair<std::string, std::string>> defs = {
      {"string_list", Obj({{"type", Quote("array")},
                           {"items", Obj({{"type", Quote("string")}, {"minLength", "1"}})}})},
      {"type_name", Described({{"type", Quote("string")}, {"pattern", Quote(TypeNamePattern())}},
                              "BOOLEAN, INT (INTEGER), BIGINT, DOUBLE, STRING (VARCHAR, "
                              "VARCHAR(n)) or TIMESTAMP(3)")},
      {"field", Obj({{"type", Quote("object")},
                     {"required", StrArr({"name", "type"})},
                     {"properties", Obj({{"name", Obj({{"type", Quote("string")}, {"minLength", "1"}})},
                                         {"type", Ref("type_name")}})},
                     {"additionalProperties", "false"}})},
      {"row_type",
       Obj({{"oneOf",
             Arr({Described({{"type", Quote("string")}},
                            "comma-separated 'name TYPE' list, e.g. \"auction BIGINT, price BIGINT\""),
                  Obj({{"type", Quote("array")}, {"items", Ref("field")}, {"minItems", "1"}})})}})},
      {"node", NodeSchema()},
  };
  for (const ir::OpInfo& op : ir::OpCatalogue()) defs.push_back({"op_" + op.name, OpSchema(op)});
  std::vector<std::pair<std::string, std::string>> props = {
      {"$schema", Obj({{"type", Quote("string")}})},
      {"name", Described({{"type", Quote("string")}, {"minLength", "1"}}, "job name")},
      {"config", ConfigSchema()},
      {"types", Described({{"type", Quote("object")}, {"additionalProperties", Ref("row_type")}},
                          "row types by name; field order as written")},
      {"nodes", Described({{"type", Quote("array")}, {"items", Ref("node")}},
                          "operators, in any order; `input`/`inputs` name other nodes")},
      {"dependencies",
       Described({{"type", Quote("object")},
                  {"properties", Obj({{"sources", Ref("string_list")},
                                      {"headers", Ref("string_list")},
                                      {"include_dirs", Ref("string_list")},
                                      {"libraries", Ref("string_list")},
                                      {"pkg_config", Ref("string_list")}})},
                  {"additionalProperties", "false"}},
                 "C++ code the job's functions use; relative paths are relative to the job file")},
  };
  std::string compact = Obj({{"$schema", Quote("https://json-schema.org/draft/2020-12/schema")},
                             {"$id", Quote("https://dfc.dev/schemas/job-v1.json")},
                             {"title", Quote("dfc job (format v1)")},
                             {"type", Quote("object")},
                             {"required", StrArr({"name", "nodes"})},
                             {"properties", Obj(props)},
                             {"additionalProperties", "false"},
                             {"$defs", Obj(defs)}});
  Diagnostics diags;
  std::unique_ptr<json::Value> doc = json::Parse(compact, "<job schema>", diags);
  DFC_CHECK(doc != nullptr);
  std::string out;
  Pretty(*doc, 0, out);
  return out + "\n";
}

}  // namespace dfc::compiler
