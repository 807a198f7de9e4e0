#include <string>

#include "compiler/frontend/job_reader.h"
#include "compiler/passes/pass.h"
#include "gtest/gtest.h"

namespace dfc::compiler {
namespace {

struct Verified {
  std::unique_ptr<ir::Graph> graph;
  std::string diags;
};

// Reads `text` (which must read cleanly) and verifies it.
Verified V(std::string_view text) {
  Diagnostics d;
  Verified v;
  v.graph = ReadJsonJob(text, "job.json", d);
  EXPECT_NE(v.graph, nullptr);
  EXPECT_EQ(d.ToString(), "") << "the reader must accept the test job";
  if (!v.graph) return v;
  PassContext ctx{&d};
  EXPECT_TRUE(Verify(*v.graph, ctx).ok());
  v.diags = d.ToString();
  return v;
}

TEST(VerifyTest, GoodJobResolvesInputs) {
  Verified v = V(R"({
  "name": "ok",
  "config": {"parallelism.default": "4", "pipeline.max-parallelism": 256,
             "execution.checkpointing.interval": "10 s", "state.backend.type": "RocksDB",
             "execution.checkpointing.unaligned": false, "rest.port": 0,
             "restart-strategy.exponential-delay.backoff-multiplier": 1.5},
  "types": {"Bid": "auction BIGINT, price BIGINT"},
  "nodes": [
    {"id": "bids", "op": "source", "connector": "datagen", "type": "Bid", "count": 10, "rate": 0.5,
     "fields": {}},
    {"id": "file", "op": "source", "connector": "file", "type": "Bid", "path": "b.csv", "format": "csv"},
    {"id": "vals", "op": "source", "connector": "values", "type": "Bid", "rows": []},
    {"id": "all", "op": "union", "inputs": ["bids", "file", "vals"]},
    {"id": "big", "op": "filter", "input": "all", "where": "price > 1"},
    {"id": "k", "op": "key_by", "input": "big", "key": ["auction"]},
    {"id": "r", "op": "reduce", "input": "k", "fn": "f"},
    {"id": "m", "op": "map", "input": "r", "fn": "g", "parallelism": 256},
    {"id": "fm", "op": "flat_map", "input": "m", "fn": "h"},
    {"id": "out", "op": "sink", "input": "fm", "connector": "file", "path": "o.jsonl", "format": "jsonl"},
    {"id": "null", "op": "sink", "input": "big", "connector": "blackhole"}
  ]
})");
  EXPECT_EQ(v.diags, "");
  const ir::Graph& g = *v.graph;
  EXPECT_EQ(g.nodes[3].inputs, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(g.nodes[4].inputs, (std::vector<int>{3}));
  EXPECT_EQ(g.nodes[0].inputs, (std::vector<int>{}));
  EXPECT_EQ(g.Consumers(4), (std::vector<int>{5, 10}));
  EXPECT_EQ(g.DefaultParallelism(), 4);
  EXPECT_EQ(g.MaxParallelism(), 256);
}

constexpr char kTypes[] = R"("types": {"Bid": "auction BIGINT, price BIGINT"},)";

TEST(VerifyTest, GraphErrors) {
  Verified v = V(std::string(R"({"name": "g", )") + kTypes + R"(
  "nodes": [
    {"id": "bids", "op": "source", "connector": "datagen", "type": "Bid"},
    {"id": "bids", "op": "source", "connector": "datagen", "type": "Bid"},
    {"id": "f", "op": "fliter", "input": "bids"},
    {"id": "g", "op": "filter", "input": "bidz", "where": "true"},
    {"id": "h", "op": "filter", "where": "true"},
    {"id": "u", "op": "union", "inputs": ["bids"]},
    {"id": "s", "op": "source", "input": "bids", "connector": "datagen", "type": "Bid"},
    {"id": "o", "op": "sink", "inputs": ["g", "h"], "connector": "print"}
  ]
})");
  EXPECT_EQ(v.diags,
            "job.json:4:12: error: duplicate node id 'bids' [/nodes/1/id]\n"
            "job.json:3:12: note: first defined here [/nodes/0/id]\n"
            "job.json:5:23: error: unknown op 'fliter' (did you mean 'filter'?) [/nodes/2/op]\n"
            "job.json:6:42: error: unknown node 'bidz' (did you mean 'bids'?) [/nodes/3/input]\n"
            "job.json:7:5: error: missing 'input': op 'filter' takes exactly 1 input [/nodes/4]\n"
            "job.json:8:42: error: op 'union' takes at least 2 inputs, got 1 [/nodes/5/inputs]\n"
            "job.json:9:42: error: op 'source' takes no inputs, got 1 [/nodes/6/input]\n"
            "job.json:10:41: error: op 'sink' takes exactly 1 input, got 2 [/nodes/7/inputs]\n");
  EXPECT_EQ(v.graph->nodes[3].inputs, (std::vector<int>{-1}));
}

TEST(VerifyTest, CyclesAreNamedInDataFlowOrder) {
  Verified v = V(std::string(R"({"name": "c", )") + kTypes + R"(
  "nodes": [
    {"id": "a", "op": "filter", "input": "c", "where": "true"},
    {"id": "b", "op": "filter", "input": "a", "where": "true"},
    {"id": "c", "op": "filter", "input": "b", "where": "true"},
    {"id": "d", "op": "union", "inputs": ["d", "a"]}
  ]
})");
  EXPECT_EQ(v.diags,
            "job.json:3:42: error: cycle in the job graph: a -> b -> c -> a [/nodes/0/input]\n"
            "job.json:6:43: error: cycle in the job graph: d -> d [/nodes/3/inputs/0]\n");
}

TEST(VerifyTest, ParamErrors) {
  Verified v = V(std::string(R"({"name": "p", )") + kTypes + R"(
  "nodes": [
    {"id": "s", "op": "source", "connector": "fil"},  
    {"id": "t", "op": "source", "connector": "file", "type": "Bidd", "format": "json"},
    {"id": "u", "op": "source", "connector": "values", "type": "Bid", "rows": {}},
    {"id": "f", "op": "filter", "input": "s", "wher": "x", "type": 3},
    {"id": "k", "op": "key_by", "input": "f", "key": []},
    {"id": "k2", "op": "key_by", "input": "f", "key": 5},
    {"id": "m", "op": "map", "input": "k", "fn": ""},
    {"id": "o", "op": "sink", "input": "m", "connector": "file", "format": "csv", "uid": "x"},
    {"id": "o2", "op": "sink", "input": "m", "connector": "printt", "uid": "x"}
  ]
})");
  EXPECT_EQ(
      v.diags,
      "job.json:3:5: error: missing required parameter 'type' for op 'source' (the row type it "
      "produces) [/nodes/0]\n"
      "job.json:3:46: error: unknown source connector 'fil' (did you mean 'file'?) "
      "[/nodes/0/connector]\n"
      "job.json:4:62: error: unknown type 'Bidd' (did you mean 'Bid'?) [/nodes/1/type]\n"
      "job.json:4:5: error: missing required parameter 'path' for op 'source' (connector 'file') "
      "[/nodes/1]\n"
      "job.json:4:80: error: unknown format 'json' for a file source (did you mean 'jsonl'?) "
      "[/nodes/1/format]\n"
      "job.json:5:79: error: parameter 'rows' must be an array, got object [/nodes/2/rows]\n"
      "job.json:6:68: error: parameter 'type' must be a string, got number [/nodes/3/type]\n"
      "job.json:6:47: error: unknown parameter 'wher' for op 'filter' (did you mean 'where'?) "
      "[/nodes/3/wher]\n"
      "job.json:6:5: error: missing required parameter 'where' for op 'filter' [/nodes/3]\n"
      "job.json:7:54: error: parameter 'key' must name at least one field [/nodes/4/key]\n"
      "job.json:8:55: error: parameter 'key' must be a string or an array of strings, got number "
      "[/nodes/5/key]\n"
      "job.json:9:50: error: parameter 'fn' must not be empty [/nodes/6/fn]\n"
      "job.json:10:5: error: missing required parameter 'path' for op 'sink' (connector 'file') "
      "[/nodes/7]\n"
      "job.json:11:59: error: unknown sink connector 'printt' (did you mean 'print'?) "
      "[/nodes/8/connector]\n"
      "job.json:11:76: error: duplicate uid 'x' (also used by node 'o') [/nodes/8/uid]\n");
}

TEST(VerifyTest, ConfigChecks) {
  Verified v = V(std::string(R"({"name": "cfg", )") + kTypes + R"(
  "config": {
    "paralelism.default": 2,
    "parallelism.default": 300,
    "pipeline.max-parallelism": 200,
    "taskmanager.numberOfTaskSlots": -1,
    "rest.port": 70000,
    "pipeline.object-reuse": "yes",
    "execution.checkpointing.mode": "exactly-once",
    "execution.checkpointing.timeout": "10 parsecs",
    "restart-strategy.fixed-delay.attempts": 0,
    "totally.unrelated": "x"
  },
  "nodes": [
    {"id": "s", "op": "source", "connector": "datagen", "type": "Bid", "parallelism": 201}
  ]
})");
  EXPECT_EQ(
      v.diags,
      "job.json:3:5: warning: unknown config key 'paralelism.default' (did you mean "
      "'parallelism.default'?) [/config/paralelism.default]\n"
      "job.json:6:38: error: config 'taskmanager.numberOfTaskSlots' must be a positive integer, "
      "got '-1' [/config/taskmanager.numberOfTaskSlots]\n"
      "job.json:7:18: error: config 'rest.port' must be a port number (0-65535), got '70000' "
      "[/config/rest.port]\n"
      "job.json:8:30: error: config 'pipeline.object-reuse' must be true or false, got 'yes' "
      "[/config/pipeline.object-reuse]\n"
      "job.json:9:37: error: config 'execution.checkpointing.mode' must be one of EXACTLY_ONCE, "
      "AT_LEAST_ONCE, got 'exactly-once' (did you mean 'EXACTLY_ONCE'?) "
      "[/config/execution.checkpointing.mode]\n"
      "job.json:10:40: error: config 'execution.checkpointing.timeout' must be a duration such as "
      "'10 s' or '500 ms', got '10 parsecs' [/config/execution.checkpointing.timeout]\n"
      "job.json:12:5: warning: unknown config key 'totally.unrelated' [/config/totally.unrelated]\n"
      "job.json:4:28: error: parallelism.default 300 exceeds pipeline.max-parallelism 200 "
      "[/config/parallelism.default]\n"
      "job.json:15:87: error: parallelism 201 exceeds pipeline.max-parallelism 200 "
      "[/nodes/0/parallelism]\n");
}

TEST(VerifyTest, PrintGraphShowsDerivedState) {
  Verified v = V(std::string(R"({"name": "wc", )") + kTypes + R"(
  "nodes": [
    {"id": "bids", "op": "source", "connector": "datagen", "type": "Bid"},
    {"id": "by", "op": "key_by", "input": "bids", "key": "auction"},
    {"id": "r", "op": "reduce", "input": "by", "fn": "[](Bid a, Bid b) {\n return a; }"}
  ]
})");
  ASSERT_EQ(v.diags, "");
  ir::Graph& g = *v.graph;
  ir::Schema derived;
  derived.name = "r_row";
  derived.derived = true;
  derived.fields.push_back({"auction", *ir::ParseType("BIGINT"), {}});
  g.schemas.push_back(std::move(derived));
  g.nodes[0].out_schema = 0;
  g.nodes[0].uid = "6f1c";
  g.nodes[1].out_schema = 0;
  g.nodes[1].key_fields = {0};
  g.nodes[2].out_schema = 1;
  g.nodes[2].key_fields = {0};
  g.nodes[2].fn = ir::UserFunction{g.nodes[2].StrParam("fn"), {}, true};
  for (ir::Node& n : g.nodes) n.parallelism = 2;
  g.edges.push_back({0, 1, 0, ir::Partitioning::kForward, {}});
  g.edges.push_back({1, 2, 0, ir::Partitioning::kHash, {0, 1}});
  g.chains.push_back({{0, 1}, 2});
  g.chains.push_back({{2}, 0});
  g.nodes[0].chain = 0;
  g.nodes[1].chain = 0;
  g.nodes[2].chain = 1;
  EXPECT_EQ(ir::PrintGraph(g),
            "job \"wc\"\n"
            "schema Bid(auction BIGINT, price BIGINT)\n"
            "schema r_row(auction BIGINT) derived\n"
            "node 0 bids: source\n"
            "  uid: \"6f1c\"\n"
            "  parallelism: 2\n"
            "  inputs: (none)\n"
            "  params: {\"connector\":\"datagen\",\"type\":\"Bid\"}\n"
            "  out: Bid(auction BIGINT, price BIGINT)\n"
            "  chain: 0\n"
            "node 1 by: key_by\n"
            "  parallelism: 2\n"
            "  inputs: bids\n"
            "  params: {\"key\":\"auction\"}\n"
            "  out: Bid(auction BIGINT, price BIGINT)\n"
            "  key: auction\n"
            "  chain: 0\n"
            "node 2 r: reduce\n"
            "  parallelism: 2\n"
            "  inputs: by\n"
            "  params: {\"fn\":\"[](Bid a, Bid b) {\\n return a; }\"}\n"
            "  out: r_row(auction BIGINT)\n"
            "  key: auction\n"
            "  fn: inline \"[](Bid a, Bid b) {\\n return a; }\"\n"
            "  chain: 1\n"
            "edges\n"
            "  bids -> by FORWARD\n"
            "  by -> r HASH[auction, price]\n"
            "chains\n"
            "  chain 0 (p=2): bids -> by\n"
            "  chain 1 (p=default): r\n");
}

}  // namespace
}  // namespace dfc::compiler
