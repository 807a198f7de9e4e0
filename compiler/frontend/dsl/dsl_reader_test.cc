#include "compiler/frontend/dsl/dsl_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/frontend/dsl/dsl_document.h"

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
