#include "compiler/frontend/dsl/dsl_document.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>
#include <utility>

namespace dfc::compiler::dsl {

namespace {

// Op-specific parameter order, from the one catalogue of ops.
std::vector<std::string> OpParams(const std::string& op) {
  std::string_view list;
#define DFC_OP(name, min_in, max_in, params, desc) \
  if (op == #name) list = params;
#include "compiler/ir/ops.def"
#undef DFC_OP
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    out.emplace_back(list.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

int MemberRank(const std::string& key, const std::vector<std::string>& op_params) {
  static const char* const kCommon[] = {"id",  "op",          "input", "inputs",  "name",
                                        "uid", "parallelism", "type",  "chaining"};
  constexpr int kNumCommon = static_cast<int>(std::size(kCommon));
  for (int i = 0; i < kNumCommon; ++i) {
    if (key == kCommon[i]) return i;
  }
  auto it = std::find(op_params.begin(), op_params.end(), key);
  if (it != op_params.end()) return kNumCommon + static_cast<int>(it - op_params.begin());
  return 1000;  // unknown keys keep call order, after the known ones (verify reports them)
}

}  // namespace

std::unique_ptr<json::Value> MakeString(std::string s, const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kString;
  v->str = std::move(s);
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> MakeInt(int64_t i, const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kNumber;
  v->number = static_cast<double>(i);
  v->is_integer = true;
  v->integer = i;
  v->raw = std::to_string(i);
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> MakeDouble(double d, const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kNumber;
  v->number = d;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  v->raw = ec == std::errc() ? std::string(buf, end) : std::to_string(d);
  // Keep it a JSON fraction so it reads back as the same kind of number as written.
  if (v->raw.find_first_of(".eEn") == std::string::npos) v->raw += ".0";
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> MakeBool(bool b, const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kBool;
  v->bool_value = b;
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> MakeArray(const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kArray;
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> MakeObject(const SourceLoc& loc) {
  auto v = std::make_unique<json::Value>();
  v->kind = json::Kind::kObject;
  v->loc = loc;
  return v;
}

std::unique_ptr<json::Value> Clone(const json::Value& v) {
  auto c = std::make_unique<json::Value>();
  c->kind = v.kind;
  c->loc = v.loc;
  c->bool_value = v.bool_value;
  c->number = v.number;
  c->is_integer = v.is_integer;
  c->integer = v.integer;
  c->raw = v.raw;
  c->str = v.str;
  for (const auto& item : v.items) c->items.push_back(Clone(*item));
  for (const json::Member& m : v.members) AddMember(*c, m.key, m.key_loc, Clone(*m.value));
  return c;
}

void AddMember(json::Value& object, std::string key, const SourceLoc& key_loc,
               std::unique_ptr<json::Value> value) {
  json::Member m;
  m.key = std::move(key);
  m.key_loc = key_loc;
  m.value = std::move(value);
  object.members.push_back(std::move(m));
}

DocumentBuilder::DocumentBuilder(const SourceLoc& file_start)
    : file_start_(file_start),
      config_(MakeObject(file_start)),
      types_(MakeObject(file_start)) {}

void DocumentBuilder::SetName(std::string name, const SourceLoc& loc) {
  name_ = MakeString(std::move(name), loc);
  name_key_loc_ = loc;
}

bool DocumentBuilder::AddConfig(std::string key, const SourceLoc& key_loc,
                                std::unique_ptr<json::Value> value) {
  if (config_->GetMember(key)) return false;
  if (config_->members.empty()) config_->loc = key_loc;
  AddMember(*config_, std::move(key), key_loc, std::move(value));
  return true;
}

bool DocumentBuilder::HasType(const std::string& name) const {
  return types_->GetMember(name) != nullptr;
}

bool DocumentBuilder::AddType(std::string name, const SourceLoc& loc,
                              const std::vector<FieldSpec>& fields) {
  if (HasType(name)) return false;
  // The array form of `types` ([{"name", "type"}...]) keeps one location per field.
  auto list = MakeArray(loc);
  for (const FieldSpec& f : fields) {
    auto item = MakeObject(f.loc);
    AddMember(*item, "name", f.loc, MakeString(f.name, f.loc));
    AddMember(*item, "type", f.loc, MakeString(f.type, f.loc));
    list->items.push_back(std::move(item));
  }
  if (types_->members.empty()) types_->loc = loc;
  AddMember(*types_, std::move(name), loc, std::move(list));
  return true;
}

int DocumentBuilder::AddNode(std::string id, const SourceLoc& id_loc, std::string op,
                             const SourceLoc& op_loc) {
  auto node = MakeObject(op_loc);
  AddMember(*node, "id", op_loc, MakeString(std::move(id), id_loc));
  AddMember(*node, "op", op_loc, MakeString(std::move(op), op_loc));
  nodes_.push_back(std::move(node));
  stream_refs_.push_back(false);
  return static_cast<int>(nodes_.size()) - 1;
}

int DocumentBuilder::AddStreamRef(std::string id, const SourceLoc& loc) {
  auto node = MakeObject(loc);
  AddMember(*node, "id", loc, MakeString(std::move(id), loc));
  AddMember(*node, "op", loc, MakeString("late_output", loc));
  nodes_.push_back(std::move(node));
  stream_refs_.push_back(true);
  return static_cast<int>(nodes_.size()) - 1;
}

const std::string& DocumentBuilder::NodeId(int node) const {
  return nodes_[node]->Get("id")->str;
}

const std::string& DocumentBuilder::NodeOp(int node) const {
  return nodes_[node]->Get("op")->str;
}

bool DocumentBuilder::HasParam(int node, const std::string& key) const {
  return nodes_[node]->GetMember(key) != nullptr;
}

json::Value* DocumentBuilder::MutableParam(int node, const std::string& key) {
  for (json::Member& m : nodes_[node]->members) {
    if (m.key == key) return m.value.get();
  }
  return nullptr;
}

void DocumentBuilder::AddDependency(const std::string& list, const SourceLoc& loc,
                                    std::unique_ptr<json::Value> value) {
  if (!dependencies_) dependencies_ = MakeObject(loc);
  json::Value* array = nullptr;
  for (json::Member& m : dependencies_->members) {
    if (m.key == list) array = m.value.get();
  }
  if (!array) {
    AddMember(*dependencies_, list, loc, MakeArray(loc));
    array = dependencies_->members.back().value.get();
  }
  array->items.push_back(std::move(value));
}

bool DocumentBuilder::SetParam(int node, std::string key, const SourceLoc& key_loc,
                               std::unique_ptr<json::Value> value) {
  if (HasParam(node, key)) return false;
  AddMember(*nodes_[node], std::move(key), key_loc, std::move(value));
  return true;
}

void DocumentBuilder::SetPrelude(std::string code, const SourceLoc& code_loc,
                                 std::vector<std::string> row_types) {
  prelude_ = MakeObject(code_loc);
  AddMember(*prelude_, "file", code_loc, MakeString(code_loc.file, code_loc));
  AddMember(*prelude_, "line", code_loc, MakeInt(code_loc.line, code_loc));
  AddMember(*prelude_, "code", code_loc, MakeString(std::move(code), code_loc));
  auto types = MakeArray(code_loc);
  for (std::string& t : row_types) types->items.push_back(MakeString(std::move(t), code_loc));
  AddMember(*prelude_, "row_types", code_loc, std::move(types));
}

std::unique_ptr<json::Value> DocumentBuilder::Finish() {
  auto root = MakeObject(file_start_);
  if (name_) AddMember(*root, "name", name_key_loc_, std::move(name_));
  // Locations are copied before the values move: argument evaluation order is unspecified.
  if (!config_->members.empty()) {
    SourceLoc loc = config_->loc;
    AddMember(*root, "config", loc, std::move(config_));
  }
  if (!types_->members.empty()) {
    SourceLoc loc = types_->loc;
    AddMember(*root, "types", loc, std::move(types_));
  }
  auto nodes = MakeArray(nodes_.empty() ? file_start_ : nodes_.front()->loc);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (stream_refs_[i]) continue;
    auto& node = nodes_[i];
    std::vector<std::string> op_params = OpParams(node->Get("op")->str);
    std::stable_sort(node->members.begin(), node->members.end(),
                     [&](const json::Member& a, const json::Member& b) {
                       return MemberRank(a.key, op_params) < MemberRank(b.key, op_params);
                     });
    nodes->items.push_back(std::move(node));
  }
  nodes_.clear();
  stream_refs_.clear();
  SourceLoc nodes_loc = nodes->loc;
  AddMember(*root, "nodes", nodes_loc, std::move(nodes));
  if (dependencies_) {
    SourceLoc loc = dependencies_->loc;
    AddMember(*root, "dependencies", loc, std::move(dependencies_));
  }
  if (prelude_) {
    SourceLoc loc = prelude_->loc;
    AddMember(*root, kPreludeKey, loc, std::move(prelude_));
  }
  return root;
}

}  // namespace dfc::compiler::dsl
