#include "compiler/frontend/job_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace dfc::compiler {
namespace {

struct Read {
  std::unique_ptr<ir::Graph> graph;
  std::string diags;
};

Read R(std::string_view text, const std::string& file = "job.json") {
  Diagnostics d;
  Read r;
  r.graph = ReadJsonJob(text, file, d);
  r.diags = d.ToString();
  return r;
}

constexpr char kGood[] = R"(// a comment
{
  "$schema": "./job.schema.json",
  "name": "q1",
  "config": {"parallelism.default": 2, "pipeline.object-reuse": true, "rest.address": "x"},
  "types": {
    "Bid": "auction BIGINT, price BIGINT, channel VARCHAR(10), ts TIMESTAMP(3),",
    "Word": [{"name": "word", "type": "string"}, {"name": "n", "type": "INTEGER"}]
  },
  "nodes": [
    {"id": "bids", "op": "source", "connector": "datagen", "type": "Bid"},
    {"id": "big", "op": "filter", "input": "bids", "where": "price > 100", "uid": "u1",
     "name": "Big bids", "parallelism": 3},
    {"id": "all", "op": "union", "inputs": ["bids", "big"]},
  ],
  "dependencies": {"sources": ["udf/a.cc", "/abs/b.cc"], "include_dirs": ["inc/../include"],
                   "libraries": ["m", "lib/libx.a"], "pkg_config": ["zlib"]}
})";

TEST(JobReaderTest, ReadsAGoodJob) {
  Read r = R(kGood, "/jobs/q1/job.json");
  ASSERT_NE(r.graph, nullptr);
  EXPECT_EQ(r.diags, "");
  const ir::Graph& g = *r.graph;
  EXPECT_EQ(g.name, "q1");
  EXPECT_EQ(g.file, "/jobs/q1/job.json");
  ASSERT_EQ(g.config.size(), 3u);
  EXPECT_EQ(g.config.at("parallelism.default").value, "2");
  EXPECT_EQ(g.config.at("pipeline.object-reuse").value, "true");
  EXPECT_EQ(g.config.at("rest.address").value, "x");
  EXPECT_EQ(g.config.at("parallelism.default").loc.line, 5);
  EXPECT_EQ(g.config.at("parallelism.default").key_loc.col, 14);
  EXPECT_EQ(g.DefaultParallelism(), 2);
  EXPECT_EQ(g.MaxParallelism(), 128);

  ASSERT_EQ(g.schemas.size(), 2u);
  EXPECT_EQ(g.schemas[0].ToString(),
            "Bid(auction BIGINT, price BIGINT, channel STRING, ts TIMESTAMP(3))");
  EXPECT_EQ(g.schemas[0].fields[1].loc.col, 29);  // "price" inside the string
  EXPECT_EQ(g.schemas[1].ToString(), "Word(word STRING, n INT)");
  EXPECT_FALSE(g.schemas[1].derived);
  EXPECT_EQ(g.FindSchema("Word"), 1);

  ASSERT_EQ(g.nodes.size(), 3u);
  const ir::Node& big = g.nodes[1];
  EXPECT_EQ(big.id, "big");
  EXPECT_EQ(big.op, "filter");
  EXPECT_EQ(big.name, "Big bids");
  EXPECT_EQ(big.uid, "u1");
  EXPECT_TRUE(big.uid_from_user);
  EXPECT_EQ(big.parallelism, 3);
  EXPECT_EQ(big.input_ids, std::vector<std::string>{"bids"});
  EXPECT_EQ(big.input_locs[0].pointer, "/nodes/1/input");
  EXPECT_EQ(big.StrParam("where"), "price > 100");
  EXPECT_EQ(big.ParamLoc("where").pointer, "/nodes/1/where");
  EXPECT_EQ(big.loc.pointer, "/nodes/1");
  EXPECT_EQ(g.nodes[0].name, "bids");
  EXPECT_EQ(g.nodes[0].parallelism, 0);
  EXPECT_EQ(g.nodes[2].input_ids, (std::vector<std::string>{"bids", "big"}));
  EXPECT_EQ(g.nodes[2].input_locs[1].pointer, "/nodes/2/inputs/1");

  ASSERT_EQ(g.dependencies.sources.size(), 2u);
  EXPECT_EQ(g.dependencies.sources[0].first, "/jobs/q1/udf/a.cc");
  EXPECT_EQ(g.dependencies.sources[1].first, "/abs/b.cc");
  EXPECT_EQ(g.dependencies.include_dirs[0].first, "/jobs/q1/include");
  EXPECT_EQ(g.dependencies.libraries[0].first, "m");
  EXPECT_EQ(g.dependencies.libraries[1].first, "/jobs/q1/lib/libx.a");
  EXPECT_EQ(g.dependencies.pkg_config[0].first, "zlib");
}

TEST(JobReaderTest, PrintGraphAfterReading) {
  Read r = R(kGood, "/jobs/q1/job.json");
  ASSERT_NE(r.graph, nullptr);
  EXPECT_EQ(ir::PrintGraph(*r.graph),
            "job \"q1\"\n"
            "config parallelism.default = \"2\"\n"
            "config pipeline.object-reuse = \"true\"\n"
            "config rest.address = \"x\"\n"
            "schema Bid(auction BIGINT, price BIGINT, channel STRING, ts TIMESTAMP(3))\n"
            "schema Word(word STRING, n INT)\n"
            "dependency sources \"/jobs/q1/udf/a.cc\"\n"
            "dependency sources \"/abs/b.cc\"\n"
            "dependency include_dirs \"/jobs/q1/include\"\n"
            "dependency libraries \"m\"\n"
            "dependency libraries \"/jobs/q1/lib/libx.a\"\n"
            "dependency pkg_config \"zlib\"\n"
            "node 0 bids: source\n"
            "  parallelism: default\n"
            "  inputs: (none)\n"
            "  params: {\"connector\":\"datagen\",\"type\":\"Bid\"}\n"
            "node 1 big: filter\n"
            "  name: \"Big bids\"\n"
            "  uid: \"u1\" (user)\n"
            "  parallelism: 3\n"
            "  inputs: bids\n"
            "  params: {\"where\":\"price > 100\"}\n"
            "node 2 all: union\n"
            "  parallelism: default\n"
            "  inputs: bids, big\n");
}

TEST(JobReaderTest, SyntaxErrorReturnsNull) {
  Read r = R("{\n  \"name\": \"x\"\n  \"nodes\": []\n}");
  EXPECT_EQ(r.graph, nullptr);
  EXPECT_EQ(r.diags, "job.json:3:3: error: expected ',' or '}' after object member, found '\"'\n");
}

TEST(JobReaderTest, ReportsEveryShapeError) {
  Read r = R(R"({
  "nam": "x",
  "config": {"a": [1], "b": null},
  "types": {"T": "a BIGINTT, b, c INT, c STRING", "U": 5, "V": "", "W": [{"name": "", "type": "INT", "x": 1}]},
  "nodes": [
    {"op": "source"},
    {"id": "n", "op": 1, "input": "a", "inputs": ["a", 2], "name": 3, "uid": "", "parallelism": 0},
    {"id": "m", "op": "map", "parallelism": 40000},
    5
  ],
  "dependencies": {"sources": "a.cc", "librarys": []}
})");
  ASSERT_NE(r.graph, nullptr);
  EXPECT_EQ(
      r.diags,
      "job.json:1:1: error: job is missing required key 'name'\n"
      "job.json:2:3: error: unknown top-level key 'nam' (did you mean 'name'?) [/nam]\n"
      "job.json:3:19: error: config value 'a' must be a string, number or boolean, got array "
      "[/config/a]\n"
      "job.json:3:29: error: config value 'b' must be a string, number or boolean, got null "
      "[/config/b]\n"
      "job.json:4:21: error: unknown type 'BIGINTT' (did you mean 'BIGINT'?) [/types/T]\n"
      "job.json:4:30: error: field 'b' has no type (expected 'b TYPE') [/types/T]\n"
      "job.json:4:40: error: duplicate field 'c' in type 'T' [/types/T]\n"
      "job.json:4:56: error: type 'U' must be a string (\"a BIGINT, b STRING\") or an array of "
      "{\"name\", \"type\"} objects, got number [/types/U]\n"
      "job.json:4:64: error: type 'V' has no fields [/types/V]\n"
      "job.json:4:102: error: unknown field key 'x' [/types/W/0/x]\n"
      "job.json:4:83: error: field name must not be empty [/types/W/0/name]\n"
      "job.json:6:5: error: node is missing required key 'id' [/nodes/0]\n"
      "job.json:7:23: error: 'op' must be a string, got number [/nodes/1/op]\n"
      "job.json:7:40: error: node 'n' has both 'input' and 'inputs'; use one of them "
      "[/nodes/1/inputs]\n"
      "job.json:7:56: error: an input must be a string, got number [/nodes/1/inputs/1]\n"
      "job.json:7:68: error: 'name' must be a string, got number [/nodes/1/name]\n"
      "job.json:7:78: error: 'uid' must not be empty [/nodes/1/uid]\n"
      "job.json:7:97: error: 'parallelism' must be a positive integer, got 0 "
      "[/nodes/1/parallelism]\n"
      "job.json:8:45: error: 'parallelism' must be at most 32768, got 40000 "
      "[/nodes/2/parallelism]\n"
      "job.json:9:5: error: a node must be an object, got number [/nodes/3]\n"
      "job.json:11:31: error: 'sources' must be an array, got string [/dependencies/sources]\n"
      "job.json:11:39: error: unknown dependencies key 'librarys' (did you mean 'libraries'?) "
      "[/dependencies/librarys]\n");
  EXPECT_EQ(r.graph->nodes.size(), 3u);
}

TEST(JobReaderTest, RootMustBeAnObject) {
  Read r = R("[1]");
  ASSERT_NE(r.graph, nullptr);
  EXPECT_EQ(r.diags, "job.json:1:1: error: a job must be a JSON object, got array\n");
}

TEST(JobReaderTest, TypeHints) {
  Read r = R(R"({"name": "t", "nodes": [], "types": {"T": "a FLOAT, b TIMESTAMP(9), c varchar(x), d bool"}})");
  EXPECT_EQ(r.diags,
            "job.json:1:46: error: unknown type 'FLOAT' (did you mean 'DOUBLE'?) [/types/T]\n"
            "job.json:1:55: error: unsupported type 'TIMESTAMP(9)': only TIMESTAMP(3) "
            "(milliseconds) is supported [/types/T]\n"
            "job.json:1:71: error: unknown type 'varchar(x)' (did you mean 'VARCHAR'?) [/types/T]\n"
            "job.json:1:85: error: unknown type 'bool' (did you mean 'BOOLEAN'?) [/types/T]\n");
}

TEST(TypesTest, ParseAndPrint) {
  EXPECT_EQ(ir::ParseType("bigint")->ToString(), "BIGINT");
  EXPECT_EQ(ir::ParseType("Integer")->ToString(), "INT");
  EXPECT_EQ(ir::ParseType("VARCHAR( 20 )")->ToString(), "STRING");
  EXPECT_EQ(ir::ParseType("timestamp")->ToString(), "TIMESTAMP(3)");
  EXPECT_FALSE(ir::ParseType("FLOAT").has_value());
  EXPECT_FALSE(ir::ParseType("VARCHAR(0)").has_value());
  EXPECT_FALSE(ir::ParseType("TIMESTAMP(6)").has_value());
  EXPECT_EQ(ir::ParseType("INT")->CppType(), "int32_t");
  EXPECT_EQ(ir::ParseType("STRING")->CppType(), "std::string");
  EXPECT_EQ(ir::ParseType("TIMESTAMP(3)")->CppType(), "int64_t");
  EXPECT_EQ(ir::ParseType("BOOLEAN")->RuntimeFieldType(), "dfc::rt::FieldType::kBool");
  EXPECT_EQ(ir::ParseType("DOUBLE")->RuntimeFieldType(), "dfc::rt::FieldType::kDouble");
  EXPECT_EQ(ir::ParseType("TIMESTAMP")->RuntimeFieldType(), "dfc::rt::FieldType::kTimestamp");
}

}  // namespace
}  // namespace dfc::compiler
