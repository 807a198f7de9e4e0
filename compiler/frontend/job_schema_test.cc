#include "compiler/frontend/job_schema.h"

#include <string>

#include "compiler/ir/catalogue.h"
#include "compiler/support/json.h"
#include "gtest/gtest.h"

namespace dfc::compiler {
namespace {

TEST(JobSchemaTest, IsDeterministicWellFormedJson) {
  const std::string schema = JobJsonSchema();
  EXPECT_EQ(schema, JobJsonSchema());
  ASSERT_FALSE(schema.empty());
  EXPECT_EQ(schema.back(), '\n');
  Diagnostics d;
  auto doc = json::Parse(schema, "schema.json", d);
  ASSERT_NE(doc, nullptr) << d.ToString();
  EXPECT_EQ(doc->Get("$schema")->str, "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(doc->Get("required")->ToJson(), R"(["name","nodes"])");
  EXPECT_EQ(doc->Get("additionalProperties")->ToJson(), "false");
  const json::Value* defs = doc->Get("$defs");
  ASSERT_NE(defs, nullptr);
  // Every op of ops.def, in catalogue order (the catalogue grows, so it is not pinned here).
  std::string ops;
  for (const std::string& op : ir::OpNames()) ops += (ops.empty() ? "" : ",") + json::Quote(op);
  EXPECT_EQ(defs->Get("node")->Get("properties")->Get("op")->Get("enum")->ToJson(), "[" + ops + "]");
  EXPECT_EQ(ops.substr(0, 37), R"("source","filter","select","map","fla)");
  EXPECT_EQ(defs->Get("node")->Get("unevaluatedProperties")->ToJson(), "false");
  EXPECT_EQ(defs->Get("op_filter")->ToJson(),
            R"({"description":"keeps rows for which `where` is true","properties":{"where":)"
            R"({"description":"SQL boolean expression","type":"string"}},"required":["where"]})");
  EXPECT_EQ(defs->Get("op_union")->Get("properties")->Get("inputs")->ToJson(), R"({"minItems":2})");
  EXPECT_EQ(defs->Get("op_sink")->Get("properties")->Get("connector")->ToJson(),
            R"({"enum":["print","file","blackhole"]})");
  const json::Value* config = doc->Get("properties")->Get("config")->Get("properties");
  EXPECT_EQ(config->Get("state.backend.type")->ToJson(),
            R"({"description":"state backend","enum":["hashmap","rocksdb"]})");
  EXPECT_NE(config->Get("parallelism.default"), nullptr);
}

TEST(JobSchemaTest, PrettyPrinted) {
  const std::string schema = JobJsonSchema();
  EXPECT_EQ(schema.substr(0, schema.find("  \"properties\"")),
            "{\n"
            "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
            "  \"$id\": \"https://dfc.dev/schemas/job-v1.json\",\n"
            "  \"title\": \"dfc job (format v1)\",\n"
            "  \"type\": \"object\",\n"
            "  \"required\": [\"name\", \"nodes\"],\n");
}

}  // namespace
}  // namespace dfc::compiler
