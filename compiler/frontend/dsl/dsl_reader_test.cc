#include "compiler/frontend/dsl/dsl_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/frontend/dsl/dsl_document.h"
#include "compiler/frontend/job_reader.h"
#include "compiler/passes/pass.h"

namespace dfc::compiler {
namespace {

const std::string kSamples = std::string(DFC_SOURCE_DIR) + "/samples/";

std::unique_ptr<json::Value> Doc(const std::string& code, Diagnostics& diags) {
  return ReadDslDocument("t.cpp", code, DefaultDslReadOptions(), diags);
}

const json::Value* NodeById(const json::Value& doc, const std::string& id) {
  for (const auto& n : doc.Get("nodes")->items) {
    if (n->Get("id")->str == id) return n.get();
  }
  return nullptr;
}

TEST(DslReaderTest, WordcountLowersLikeItsJson) {
  Diagnostics diags;
  const std::string path = kSamples + "wordcount/job.cpp";
  auto g = ReadDslJob(path, diags);
  ASSERT_TRUE(g) << diags.ToString();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(g->name, "wordcount");
  EXPECT_EQ(g->ConfigValue("parallelism.default"), "2");
  ASSERT_EQ(g->schemas.size(), 2u);
  EXPECT_EQ(g->schemas[0].ToString(), "Line(text STRING)");
  EXPECT_EQ(g->schemas[1].ToString(), "WordCount(word STRING, n BIGINT)");
  EXPECT_EQ(g->schemas[1].fields[1].loc.line, 15);  // `int64_t n;` in job.cpp
  ASSERT_EQ(g->nodes.size(), 5u);
  const char* ids[] = {"lines", "words", "by_word", "counts", "out"};
  const char* ops[] = {"source", "flat_map", "key_by", "reduce", "sink"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(g->nodes[i].id, ids[i]);
    EXPECT_EQ(g->nodes[i].op, ops[i]);
    EXPECT_EQ(g->nodes[i].loc.file, path);
  }
  EXPECT_EQ(g->nodes[2].input_ids, std::vector<std::string>{"words"});
  EXPECT_EQ(g->nodes[0].StrParam("path"), "input.txt");
  EXPECT_EQ(g->nodes[2].StrParam("key"), "word");
  EXPECT_EQ(g->nodes[4].StrParam("connector"), "file");
  const json::Value* fn = g->nodes[1].Param("fn");
  ASSERT_TRUE(fn);
  EXPECT_EQ(fn->str.rfind("[](const Line& line, dfc::Collector<WordCount>& out) {", 0), 0u);
  EXPECT_EQ(fn->loc.line, 23);
  EXPECT_EQ(fn->loc.col, 50);  // one left of the lambda's '[' (JSON string convention)
  EXPECT_EQ(g->nodes[3].Param("fn")->str,
            "[](WordCount a, const WordCount& b) { a.n += b.n; return a; }");

  const json::Value* prelude = g->document->Get(dsl::kPreludeKey);
  ASSERT_TRUE(prelude);
  const std::string& code = prelude->Get("code")->str;
  EXPECT_NE(code.find("struct WordCount {"), std::string::npos);
  EXPECT_EQ(code.find("dfc::Job job"), std::string::npos);  // main is blanked
  std::ifstream in(path);
  std::stringstream original;
  original << in.rdbuf();
  EXPECT_EQ(code.size(), original.str().size());  // same lines and columns as job.cpp
  ASSERT_EQ(prelude->Get("row_types")->items.size(), 2u);
  EXPECT_EQ(prelude->Get("row_types")->items[1]->str, "WordCount");
}

TEST(DslReaderTest, FunctionAndFunctorFormsNameTheUserCode) {
  Diagnostics diags;
  auto fn = ReadDslJob(kSamples + "wordcount/job_function.cpp", diags);
  auto functor = ReadDslJob(kSamples + "wordcount/job_functor.cpp", diags);
  ASSERT_TRUE(fn && functor) << diags.ToString();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(fn->nodes[1].StrParam("fn"), "Tokenize");
  EXPECT_EQ(fn->nodes[1].StrParam("type"), "WordCount");  // deduced from the Collector parameter
  EXPECT_EQ(fn->nodes[3].StrParam("fn"), "Sum");
  EXPECT_EQ(functor->nodes[1].StrParam("fn"), "Tokenizer{}");
  EXPECT_EQ(functor->nodes[1].StrParam("type"), "WordCount");
  EXPECT_EQ(functor->nodes[3].StrParam("fn"), "Sum{}");
}

TEST(DslReaderTest, ConstantsUnionKeysAttributesAndTypes) {
  Diagnostics diags;
  auto doc = Doc(R"cpp(
#include <dfc/dsl.h>
struct Event { bool ok; int32_t a; int64_t b; double c; std::string d; dfc::Timestamp ts; };
struct Pair { int64_t b; std::string d; };
constexpr const char* kPath = "events.jsonl";
constexpr char kWhere[] = "ok";
constexpr int kPar = 3;
int main() {
  dfc::Job job("mix");
  job.parallelism(4);
  job.config("execution.buffer-timeout", "10 ms").config("x.ratio", 0.25).config("x.flag", true);
  auto a = job.source<Event>("a").file(kPath).format("jsonl").uid("src-a").parallelism(kPar);
  auto b = job.source<Event>("b").datagen().count(100).name("B");
  auto both = a.union_("both", b);
  both = both.filter("ok", kWhere);
  auto to_pair = [](const Event& e) { return Pair{e.b, e.d}; };
  auto pairs = both.map("pairs", to_pair);
  pairs.select<Pair>("same", {"b", "d"}).key_by("k", "b", &Pair::d).sink("out").blackhole();
  return job.execute();
}
)cpp", diags);
  ASSERT_TRUE(doc) << diags.ToString();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(doc->Get("config")->ToJson(),
            R"({"parallelism.default":4,"execution.buffer-timeout":"10 ms","x.ratio":0.25,"x.flag":true})");
  EXPECT_EQ(doc->Get("types")->ToJson(),
            R"({"Event":[{"name":"ok","type":"BOOLEAN"},{"name":"a","type":"INT"},)"
            R"({"name":"b","type":"BIGINT"},{"name":"c","type":"DOUBLE"},)"
            R"j({"name":"d","type":"STRING"},{"name":"ts","type":"TIMESTAMP(3)"}],)j"
            R"("Pair":[{"name":"b","type":"BIGINT"},{"name":"d","type":"STRING"}]})");
  EXPECT_EQ(NodeById(*doc, "a")->ToJson(),
            R"({"id":"a","op":"source","uid":"src-a","parallelism":3,"type":"Event",)"
            R"("connector":"file","format":"jsonl","path":"events.jsonl"})");
  EXPECT_EQ(NodeById(*doc, "b")->ToJson(),
            R"({"id":"b","op":"source","name":"B","type":"Event","connector":"datagen","count":100})");
  EXPECT_EQ(NodeById(*doc, "both")->ToJson(), R"({"id":"both","op":"union","inputs":["a","b"]})");
  EXPECT_EQ(NodeById(*doc, "ok")->ToJson(), R"({"id":"ok","op":"filter","input":"both","where":"ok"})");
  EXPECT_EQ(NodeById(*doc, "pairs")->Get("fn")->str,
            "[](const Event& e) { return Pair{e.b, e.d}; }");
  EXPECT_EQ(NodeById(*doc, "pairs")->Get("type")->str, "Pair");
  EXPECT_EQ(NodeById(*doc, "same")->ToJson(),
            R"({"id":"same","op":"select","input":"pairs","type":"Pair","columns":["b","d"]})");
  EXPECT_EQ(NodeById(*doc, "k")->Get("key")->ToJson(), R"(["b","d"])");
  EXPECT_EQ(NodeById(*doc, "out")->Get("connector")->str, "blackhole");
  // Locations: the filter's condition points at its constant's literal (line 6, the quote).
  const SourceLoc& where = NodeById(*doc, "ok")->Get("where")->loc;
  EXPECT_EQ(where.file, "t.cpp");
  EXPECT_EQ(where.line, 6);
  EXPECT_EQ(where.col, 27);
}

TEST(DslReaderTest, WindowsSelectParamsValuesChainingAndDependencies) {
  Diagnostics diags;
  auto doc = Doc(R"cpp(
#include <dfc/dsl.h>
struct Bid { int64_t auction; int64_t price; std::string channel; bool ok; double r; dfc::Timestamp ts; };
const auto kWindow = dfc::TumblingEventTimeWindows::of("1min", "-10s");
int main() {
  dfc::Job job("more");
  job.max_parallelism(64);
  job.add_source_file("udfs.cc").add_header("udfs.h").add_include_dir("include").add_library("m").add_pkg_config("zlib");
  job.add_library("z");
  auto bids = job.source<Bid>("bids").values({{1, 10, "web", true, 0.5, 100}, {2, 20, "app", false, 1, 200}})
                  .watermark(dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column("ts"));
  auto gen = job.source<Bid>("gen").datagen().rate(5).field("price", dfc::gen::random(0.5, 2.0))
                 .field(&Bid::ok, dfc::gen::random());
  auto nx = job.source<Bid>("nx").nexmark().events_per_second(1000).watermark_delay_ms(10);
  auto keyed = bids.key_by("by_auction", &Bid::auction);
  keyed.window(kWindow).aggregate("w1", {"SUM(price) AS total"}).start_new_chain().sink("o1").print();
  bids.key_by(&Bid::auction, &Bid::channel)
      .window(dfc::SlidingEventTimeWindows::of("10s", "5s", "1s"))
      .aggregate("w2", {"COUNT(*) AS n", "AVG(price) AS p"}).sink("o2").print().start_new_chain();
  bids.window_all(dfc::TumblingEventTimeWindows::of("1h")).aggregate("w3", {"MAX(price) AS top"}).sink("o8").print();
  auto s = bids.select("s", {"auction", "price"}).add_columns({"price * 2 AS price", "auction % 10 AS b"})
               .drop_columns({"auction"}).rename_columns({{"b", "bucket"}});
  auto a = gen.add_columns("a", {"price + 1 AS p1"});
  auto d = nx.drop_columns("d", {"ok", "r"});
  auto r = nx.rename_columns("r", {{"ts", "t"}});
  auto all = bids.select("all");
  s.sink("o3").blackhole();
  a.sink("o4").blackhole();
  d.sink("o5").blackhole();
  r.sink("o6").blackhole();
  all.sink("o7").blackhole();
  return job.execute();
}
)cpp", diags);
  ASSERT_TRUE(doc) << diags.ToString();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(doc->Get("config")->ToJson(), R"({"pipeline.max-parallelism":64})");
  EXPECT_EQ(doc->Get("dependencies")->ToJson(),
            R"({"sources":["udfs.cc"],"headers":["udfs.h"],"include_dirs":["include"],"libraries":["m","z"],"pkg_config":["zlib"]})");
  EXPECT_EQ(NodeById(*doc, "bids")->ToJson(),
            R"({"id":"bids","op":"source","type":"Bid","connector":"values",)"
            R"("rows":[[1,10,"web",true,0.5,100],[2,20,"app",false,1.0,200]],)"
            R"("watermark":{"column":"ts"}})");
  EXPECT_EQ(NodeById(*doc, "gen")->ToJson(),
            R"({"id":"gen","op":"source","type":"Bid","connector":"datagen","rate":5,)"
            R"("fields":{"price":{"kind":"random","min":0.5,"max":2.0},"ok":{"kind":"random"}}})");
  EXPECT_EQ(NodeById(*doc, "nx")->ToJson(),
            R"({"id":"nx","op":"source","type":"Bid","connector":"nexmark",)"
            R"("events_per_second":1000,"watermark_delay_ms":10})");
  EXPECT_EQ(NodeById(*doc, "w1")->ToJson(),
            R"({"id":"w1","op":"window_aggregate","input":"by_auction","chaining":false,"key":"auction",)"
            R"("window":{"type":"tumbling","size":"1min","offset":"-10s"},"aggregates":["SUM(price) AS total"]})");
  EXPECT_EQ(NodeById(*doc, "w2")->ToJson(),
            R"({"id":"w2","op":"window_aggregate","input":"bids","key":["auction","channel"],)"
            R"("window":{"type":"sliding","size":"10s","slide":"5s","offset":"1s"},)"
            R"("aggregates":["COUNT(*) AS n","AVG(price) AS p"]})");
  EXPECT_EQ(NodeById(*doc, "w3")->ToJson(),
            R"({"id":"w3","op":"window_aggregate","input":"bids",)"
            R"("window":{"type":"tumbling","size":"1h"},"aggregates":["MAX(price) AS top"]})");
  EXPECT_EQ(NodeById(*doc, "o2")->ToJson(),
            R"({"id":"o2","op":"sink","input":"w2","chaining":false,"connector":"print"})");
  EXPECT_EQ(NodeById(*doc, "s")->ToJson(),
            R"({"id":"s","op":"select","input":"bids","columns":["auction","price"],)"
            R"("add":["price * 2 AS price","auction % 10 AS b"],"drop":["auction"],"rename":{"b":"bucket"}})");
  EXPECT_EQ(NodeById(*doc, "a")->ToJson(), R"({"id":"a","op":"select","input":"gen","add":["price + 1 AS p1"]})");
  EXPECT_EQ(NodeById(*doc, "d")->ToJson(), R"({"id":"d","op":"select","input":"nx","drop":["ok","r"]})");
  EXPECT_EQ(NodeById(*doc, "r")->ToJson(), R"({"id":"r","op":"select","input":"nx","rename":{"ts":"t"}})");
  EXPECT_EQ(NodeById(*doc, "all")->ToJson(), R"({"id":"all","op":"select","input":"bids"})");

  // And the whole document lowers: the passes accept what the DSL wrote.
  auto& members = doc->members;
  members.erase(std::remove_if(members.begin(), members.end(),
                               [](const json::Member& m) { return m.key == dsl::kPreludeKey; }),
                members.end());
  Diagnostics lower;
  auto g = ReadJobDocument(std::move(doc), "t.cpp", lower);
  ASSERT_TRUE(g) << lower.ToString();
  EXPECT_FALSE(lower.HasErrors()) << lower.ToString();
}

TEST(DslReaderTest, WindowOpsJoinsAndAssigners) {
  Diagnostics diags;
  auto doc = Doc(R"cpp(
#include <dfc/dsl.h>
#include <cstdint>
#include <vector>
struct Person { int64_t id; std::string name; dfc::Timestamp ts; };
struct Auction { int64_t seller; int64_t price; dfc::Timestamp ts; };
struct Seller { std::string name; int64_t price; };
struct Count { int64_t n; };
int main() {
  dfc::Job job("joins");
  const auto wm = dfc::WatermarkStrategy::for_bounded_out_of_orderness("1s").with_timestamp_column("ts")
                      .with_idleness("30s");
  auto persons = job.source<Person>("persons").datagen().count(10).watermark(wm);
  auto auctions = job.source<Auction>("auctions").datagen().count(10).watermark(wm);
  auto by_seller = auctions.key_by("by_seller", &Auction::seller);
  persons.key_by(&Person::id).join(by_seller).window(dfc::TumblingEventTimeWindows::of("10s"))
      .apply("sellers", [](const Person& p, const Auction& a) { return Seller{p.name, a.price}; })
      .sink("o1").print();
  persons.key_by({"id"}).join(auctions.key_by({"seller"}))
      .window(dfc::ProcessingTimeSessionWindows::with_gap("5s")).apply("pairs").sink("o2").print();
  auctions.key_by(&Auction::seller).interval_join(auctions.key_by(&Auction::seller))
      .between("-1s", "2s").apply("self").sink("o3").print();
  auto top = auctions.key_by(&Auction::seller).window(dfc::GlobalWindows::of_count(3).purge(false).fire_at_end(true))
      .reduce("top", [](Auction a, const Auction& b) { return b.price > a.price ? b : a; });
  top.sink("o4").print();
  auto agg = auctions.key_by(&Auction::seller).window(dfc::EventTimeSessionWindows::with_gap("1s"))
                 .aggregate("agg", {"COUNT(*) AS n"});
  agg.late_output("late_agg").sink("o5").print();
  agg.sink("o7").print();
  auctions.window_all(dfc::SlidingEventTimeWindows::of("10s", "5s")).allowed_lateness("1s")
      .process<Count>("count", [](const std::tuple<>&, const dfc::Window& w, const std::vector<Auction>& rows,
                                  dfc::Collector<Count>& out) { out.emit(Count{static_cast<int64_t>(rows.size()) + w.start * 0}); })
      .sink("o6").print();
  return job.execute();
}
)cpp", diags);
  ASSERT_TRUE(doc) << diags.ToString();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(NodeById(*doc, "persons")->Get("watermark")->ToJson(),
            R"({"column":"ts","max_out_of_orderness":"1s","idleness":"30s"})");
  EXPECT_EQ(NodeById(*doc, "sellers")->ToJson(),
            R"({"id":"sellers","op":"window_join","inputs":["persons","by_seller"],"type":"Seller",)"
            R"("left_key":"id","right_key":"seller","window":{"type":"tumbling","size":"10s"},)"
            R"("fn":"[](const Person& p, const Auction& a) { return Seller{p.name, a.price}; }"})");
  EXPECT_EQ(NodeById(*doc, "pairs")->ToJson(),
            R"({"id":"pairs","op":"window_join","inputs":["persons","auctions"],)"
            R"("left_key":["id"],"right_key":["seller"],"window":{"type":"session","gap":"5s","time":"processing"}})");
  EXPECT_EQ(NodeById(*doc, "self")->ToJson(),
            R"({"id":"self","op":"interval_join","inputs":["auctions","auctions"],"key":"seller",)"
            R"("lower":"-1s","upper":"2s"})");
  EXPECT_EQ(NodeById(*doc, "top")->ToJson(),
            R"({"id":"top","op":"window_reduce","input":"auctions","key":"seller",)"
            R"("window":{"type":"global","trigger":{"count":3,"purge":false,"fire_at_end":true}},)"
            R"("fn":"[](Auction a, const Auction& b) { return b.price > a.price ? b : a; }"})");
  EXPECT_EQ(NodeById(*doc, "agg")->Get("late_output")->str, "late_agg");
  EXPECT_EQ(NodeById(*doc, "o5")->ToJson(), R"({"id":"o5","op":"sink","input":"late_agg","connector":"print"})");
  EXPECT_EQ(NodeById(*doc, "late_agg"), nullptr);  // a stream, not a node
  const json::Value* count = NodeById(*doc, "count");
  EXPECT_EQ(count->Get("type")->str, "Count");
  EXPECT_EQ(count->Get("window")->ToJson(), R"({"type":"sliding","size":"10s","slide":"5s"})");
  EXPECT_EQ(count->Get("allowed_lateness")->str, "1s");
  EXPECT_EQ(count->Get("key"), nullptr);

  // And the passes accept it all.
  auto& members = doc->members;
  members.erase(std::remove_if(members.begin(), members.end(),
                               [](const json::Member& m) { return m.key == dsl::kPreludeKey; }),
                members.end());
  Diagnostics lower;
  auto g = ReadJobDocument(std::move(doc), "t.cpp", lower);
  ASSERT_TRUE(g) << lower.ToString();
  for (const PassInfo& p : PassPipeline()) {
    PassContext ctx{&lower};
    ASSERT_TRUE(p.fn(*g, ctx).ok()) << p.name;
    ASSERT_FALSE(lower.HasErrors()) << p.name << ": " << lower.ToString();
  }
}

TEST(DslReaderTest, CompileErrorsStopBeforeLowering) {
  Diagnostics diags;
  auto doc = Doc("#include <dfc/dsl.h>\nint main() {\n  dfc::Job job(\"x\");\n  job.nope();\n}\n", diags);
  EXPECT_FALSE(doc);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags.all()[0].loc.file, "t.cpp");
  EXPECT_EQ(diags.all()[0].loc.line, 4);
  EXPECT_EQ(diags.all()[0].loc.col, 7);
  EXPECT_NE(diags.all()[0].message.find("nope"), std::string::npos);
}

TEST(DslReaderTest, MissingFile) {
  Diagnostics diags;
  EXPECT_FALSE(ReadDslJob("/nonexistent/job.cpp", diags));
  EXPECT_TRUE(diags.HasErrors());
}

}  // namespace
}  // namespace dfc::compiler
