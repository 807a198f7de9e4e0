// Builds the job document (the json::Value tree of a job.json) that the C++ DSL front-end hands to
// the shared lowering (ReadJobDocument). No Clang here: dsl_parser.cc walks the AST and calls this.
//
// What it guarantees, so that a job.cpp and the equivalent job.json lower identically:
//   - keys and value kinds are exactly the JSON job format's (docs/DSL.md has the mapping);
//   - node members come in one canonical order whatever order the builder calls were written in:
//     id, op, input, inputs, name, uid, parallelism, type, chaining, then the op's parameters in the order
//     compiler/ir/ops.def lists them, then any other key in call order;
//   - every value carries the job.cpp location it came from. Locations follow the JSON
//     convention: a string value's location is the character before its text (a JSON string's
//     opening quote), so SourceLoc::Shifted(offset) lands on the text. C++ string literals satisfy
//     this naturally; for code values (`fn`) the location is one column left of the code's first
//     character. JSON pointers are left empty (SourceLoc documents that for the DSL).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/support/json.h"
#include "compiler/support/source_loc.h"

namespace dfc::compiler::dsl {

// The top-level key carrying the user's C++ declarations to codegen (see docs/DSL.md). It is not
// part of the JSON job format: ReadDslJob attaches it to Graph::document after lowering.
inline constexpr const char* kPreludeKey = "cpp_prelude";

std::unique_ptr<json::Value> MakeString(std::string s, const SourceLoc& loc);
std::unique_ptr<json::Value> MakeInt(int64_t v, const SourceLoc& loc);
std::unique_ptr<json::Value> MakeDouble(double v, const SourceLoc& loc);
std::unique_ptr<json::Value> MakeBool(bool v, const SourceLoc& loc);
std::unique_ptr<json::Value> MakeArray(const SourceLoc& loc);
std::unique_ptr<json::Value> MakeObject(const SourceLoc& loc);
// A deep copy (locations included).
std::unique_ptr<json::Value> Clone(const json::Value& v);
// Appends a member to an object value.
void AddMember(json::Value& object, std::string key, const SourceLoc& key_loc,
               std::unique_ptr<json::Value> value);

// One field of a row type: name, SQL type name, where the C++ field is declared.
struct FieldSpec {
  std::string name;
  std::string type;
  SourceLoc loc;
};

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const SourceLoc& file_start);

  void SetName(std::string name, const SourceLoc& loc);
  // False when `key` is already set (the caller reports it).
  bool AddConfig(std::string key, const SourceLoc& key_loc, std::unique_ptr<json::Value> value);
  // Row types in the order added; false when `name` is already there.
  bool AddType(std::string name, const SourceLoc& loc, const std::vector<FieldSpec>& fields);
  bool HasType(const std::string& name) const;

  // A new node object with its id and op; returns its index.
  int AddNode(std::string id, const SourceLoc& id_loc, std::string op, const SourceLoc& op_loc);
  // A stream that is not a node but is read by id (a window's "late_output"): NodeId works, it
  // takes no parameters and Finish leaves it out.
  int AddStreamRef(std::string id, const SourceLoc& loc);
  bool IsStreamRef(int node) const { return stream_refs_[node]; }
  const std::string& NodeId(int node) const;
  const std::string& NodeOp(int node) const;
  // Sets a member of node `node`; false (and nothing set) when the key is already set.
  bool SetParam(int node, std::string key, const SourceLoc& key_loc,
                std::unique_ptr<json::Value> value);
  bool HasParam(int node, const std::string& key) const;
  // The value of a member of node `node`, nullptr when not set.
  json::Value* MutableParam(int node, const std::string& key);
  int num_nodes() const { return static_cast<int>(nodes_.size()); }

  // Appends `value` to dependencies.<list> ("sources", "include_dirs", "libraries", "pkg_config").
  void AddDependency(const std::string& list, const SourceLoc& loc, std::unique_ptr<json::Value> value);

  // The user's C++ declarations for codegen (docs/DSL.md, "cpp_prelude").
  void SetPrelude(std::string code, const SourceLoc& code_loc, std::vector<std::string> row_types);

  // The finished document: name, config, types, nodes (members in canonical order),
  // dependencies, then the prelude. The builder is empty afterwards.
  std::unique_ptr<json::Value> Finish();

 private:
  SourceLoc file_start_;
  std::unique_ptr<json::Value> name_;
  SourceLoc name_key_loc_;
  std::unique_ptr<json::Value> config_;
  std::unique_ptr<json::Value> types_;
  std::vector<std::unique_ptr<json::Value>> nodes_;
  std::vector<bool> stream_refs_;  // per entry of nodes_
  std::unique_ptr<json::Value> dependencies_;
  std::unique_ptr<json::Value> prelude_;
};

}  // namespace dfc::compiler::dsl
