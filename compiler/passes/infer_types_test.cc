#include <gtest/gtest.h>

#include "compiler/frontend/job_reader.h"
#include "compiler/passes/pass.h"

namespace dfc::compiler {
namespace {

constexpr const char* kTypes = R"(
  "types": {
    "Bid": "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING",
    "Eur": "auction BIGINT, price_eur BIGINT",
    "Person": "id BIGINT, name STRING"
  },
)";

// Runs verify + infer-types on a job with the types above and `nodes`; returns the diagnostics
// if any, else one line per node: `id: Type(...)`, plus its predicate/projections/key/fn.
std::string Infer(const std::string& nodes) {
  const std::string text = std::string("{ \"name\": \"t\",") + kTypes + "\"nodes\": [" + nodes +
                           "] }";
  Diagnostics diags;
  std::unique_ptr<ir::Graph> g = ReadJsonJob(text, "job.json", diags);
  if (!g || diags.HasErrors()) return "read: " + diags.ToString();
  PassContext ctx{&diags};
  EXPECT_TRUE(Verify(*g, ctx).ok());
  if (diags.HasErrors()) return "verify: " + diags.ToString();
  EXPECT_TRUE(InferTypes(*g, ctx).ok());
  if (diags.HasErrors()) return diags.ToString();
  std::string out;
  for (const ir::Node& n : g->nodes) {
    out += n.id + ": " + (n.out_schema >= 0 ? g->schemas[n.out_schema].ToString() : "?");
    if (n.out_schema >= 0 && g->schemas[n.out_schema].derived) out += " derived";
    out += "\n";
    if (n.predicate) out += "  where " + n.predicate->ToString() + "\n";
    for (const ir::Projection& p : n.projections) {
      out += "  " + p.name + " = " + p.expr->ToString() + "\n";
    }
    if (!n.key_fields.empty()) {
      out += "  key";
      for (int k : n.key_fields) out += " " + std::to_string(k);
      out += "\n";
    }
    if (n.fn) {
      out += std::string("  fn ") + (n.fn->is_inline ? "inline" : "named") + " at " +
             std::to_string(n.fn->loc.line) + ":" + std::to_string(n.fn->loc.col) + "\n";
    }
  }
  return out;
}

const std::string kSource =
    R"({ "id": "bids", "op": "source", "connector": "file", "format": "csv", "path": "b.csv", "type": "Bid" },)";
const std::string kSink = R"(, { "id": "out", "op": "sink", "input": "x", "connector": "print" })";

TEST(InferTypesTest, BigBids) {
  EXPECT_EQ(Infer(kSource + R"(
    { "id": "big",  "op": "filter", "input": "bids", "where": "price >= 1000 AND channel <> 'Baidu'" },
    { "id": "x",  "op": "select", "input": "big",
      "columns": ["auction", "bidder", "CAST(price * 0.908 AS BIGINT) AS price_eur", "UPPER(channel) AS channel"] })" +
                  kSink),
            "bids: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "big: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "  where ((price >= 1000) AND (channel <> 'Baidu'))\n"
            "x: x(auction BIGINT, bidder BIGINT, price_eur BIGINT, channel STRING) derived\n"
            "  auction = auction\n"
            "  bidder = bidder\n"
            "  price_eur = CAST((price * 0.908) AS BIGINT)\n"
            "  channel = UPPER(channel)\n"
            "out: x(auction BIGINT, bidder BIGINT, price_eur BIGINT, channel STRING) derived\n");
}

TEST(InferTypesTest, SelectAddDropRenameAndDeclaredType) {
  EXPECT_EQ(Infer(kSource + R"(
    { "id": "x", "op": "select", "input": "bids", "columns": ["*", "price + 1"],
      "add": ["price * 2 AS price", "bidder % 10 AS b10"], "drop": ["channel"],
      "rename": { "b10": "bucket" } },
    { "id": "y", "op": "select", "input": "bids", "type": "Eur",
      "columns": ["auction", "CAST(price * 0.908 AS BIGINT) AS price_eur"] })" +
                  kSink),
            "bids: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "x: x(auction BIGINT, bidder BIGINT, price BIGINT, EXPR$4 BIGINT, bucket BIGINT) derived\n"
            "  auction = auction\n"
            "  bidder = bidder\n"
            "  price = (price * 2)\n"
            "  EXPR$4 = (price + 1)\n"
            "  bucket = (bidder % 10)\n"
            "y: Eur(auction BIGINT, price_eur BIGINT)\n"
            "  auction = auction\n"
            "  price_eur = CAST((price * 0.908) AS BIGINT)\n"
            "out: x(auction BIGINT, bidder BIGINT, price BIGINT, EXPR$4 BIGINT, bucket BIGINT) "
            "derived\n");
}

TEST(InferTypesTest, KeyByReduceMapUnion) {
  // Nodes written out of data-flow order: processing is topological.
  EXPECT_EQ(Infer(R"(
    { "id": "r", "op": "reduce", "input": "k", "fn": "[](const Bid& a, const Bid& b) { return b; }" },
    { "id": "k", "op": "key_by", "input": "u", "key": ["channel", "auction"] },
    { "id": "u", "op": "union", "inputs": ["bids", "m"] },
    { "id": "m", "op": "map", "input": "bids", "fn": "my_ns::Enrich" },
    )" + kSource + R"(
    { "id": "x", "op": "flat_map", "input": "r", "type": "Person", "fn": "[](const Bid& b, dfc::Collector<Person>& out) {}" })" +
                  kSink),
            "r: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "  key 3 0\n"
            "  fn inline at 8:54\n"
            "k: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "  key 3 0\n"
            "u: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "m: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "  fn named at 11:54\n"
            "bids: Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING)\n"
            "x: Person(id BIGINT, name STRING)\n"
            "  fn inline at 13:74\n"
            "out: Person(id BIGINT, name STRING)\n");
}

TEST(InferTypesTest, Errors) {
  EXPECT_EQ(Infer(kSource + R"(
    { "id": "f", "op": "filter", "input": "bids", "where": "prise > 1 OR UPPER(auction) = 'x'" },
    { "id": "g", "op": "filter", "input": "bids", "where": "price + 1" },
    { "id": "k", "op": "key_by", "input": "bids", "key": "chanel" },
    { "id": "r", "op": "reduce", "input": "bids", "fn": "f" },
    { "id": "p", "op": "source", "connector": "file", "format": "csv", "path": "p.csv", "type": "Person" },
    { "id": "u", "op": "union", "inputs": ["bids", "p"] },
    { "id": "y", "op": "select", "input": "bids", "type": "Eur", "columns": ["auction", "price AS price_eur", "bidder"] },
    { "id": "z", "op": "select", "input": "bids", "type": "Eur", "columns": ["auction", "price * 1.5 AS price_eur"] },
    { "id": "w", "op": "select", "input": "bids", "add": ["price + 1"] })"),
            "job.json:8:61: error: unknown column 'prise' (did you mean 'price'?) [/nodes/1/where]\n"
            "job.json:8:74: error: cannot apply UPPER to (BIGINT): expected UPPER(STRING) "
            "[/nodes/1/where]\n"
            "job.json:9:61: error: filter condition must be BOOLEAN, got BIGINT [/nodes/2/where]\n"
            "job.json:10:58: error: unknown key field 'chanel' (did you mean 'channel'?) in "
            "Bid(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING) [/nodes/3/key]\n"
            "job.json:11:5: error: reduce needs a keyed stream: put a key_by before it [/nodes/4]\n"
            "job.json:13:52: error: union inputs must have the same type: 'bids' is Bid(auction "
            "BIGINT, bidder BIGINT, price BIGINT, channel STRING) but 'p' is Person(id BIGINT, "
            "name STRING) [/nodes/6/inputs/1]\n"
            "job.json:14:59: error: select produces 3 columns (auction BIGINT, price_eur BIGINT, "
            "bidder BIGINT) but type Eur(auction BIGINT, price_eur BIGINT) has 2 [/nodes/7/type]\n"
            "job.json:15:59: error: select column 'price_eur' is DOUBLE but type 'Eur' declares "
            "BIGINT [/nodes/8/type]\n"
            "job.json:16:59: error: an 'add' entry needs a name: `expr AS name` "
            "[/nodes/9/add/0]\n");
}

TEST(InferTypesTest, SelectNameErrors) {
  EXPECT_EQ(Infer(kSource + R"(
    { "id": "w", "op": "select", "input": "bids", "drop": ["bider"], "rename": { "nope": "x" } },
    { "id": "x", "op": "select", "input": "bids", "columns": ["auction", "bidder AS auction"] })" +
                  kSink),
            "job.json:8:60: error: cannot drop unknown column 'bider' (did you mean 'bidder'?) "
            "[/nodes/1/drop/0]\n"
            "job.json:8:82: error: cannot rename unknown column 'nope' [/nodes/1/rename/nope]\n"
            "job.json:9:74: error: duplicate output column 'auction' in select "
            "[/nodes/2/columns/1]\n");
}

}  // namespace
}  // namespace dfc::compiler
