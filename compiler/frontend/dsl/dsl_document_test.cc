#include "compiler/frontend/dsl/dsl_document.h"

#include <gtest/gtest.h>

namespace dfc::compiler::dsl {
namespace {

SourceLoc At(int line, int col) { return SourceLoc{"job.cpp", line, col, ""}; }

TEST(DocumentBuilderTest, NodeMembersComeInCanonicalOrder) {
  DocumentBuilder b(At(1, 1));
  b.SetName("j", At(2, 3));
  int n = b.AddNode("out", At(5, 10), "sink", At(5, 4));
  // Written as .format(...).file(...).name(...): the document does not depend on call order.
  ASSERT_TRUE(b.SetParam(n, "format", At(5, 20), MakeString("csv", At(5, 27))));
  ASSERT_TRUE(b.SetParam(n, "path", At(5, 30), MakeString("x.csv", At(5, 35))));
  ASSERT_TRUE(b.SetParam(n, "connector", At(5, 30), MakeString("file", At(5, 30))));
  ASSERT_TRUE(b.SetParam(n, "input", At(5, 4), MakeString("src", At(5, 4))));
  ASSERT_TRUE(b.SetParam(n, "name", At(5, 40), MakeString("Out", At(5, 45))));
  EXPECT_FALSE(b.SetParam(n, "format", At(6, 1), MakeString("jsonl", At(6, 1))));
  auto doc = b.Finish();
  EXPECT_EQ(doc->ToJson(),
            R"({"name":"j","nodes":[{"id":"out","op":"sink","input":"src","name":"Out",)"
            R"("connector":"file","format":"csv","path":"x.csv"}]})");
  const json::Value* node = doc->Get("nodes")->items[0].get();
  EXPECT_EQ(node->Get("format")->loc.line, 5);
  EXPECT_EQ(node->Get("format")->loc.col, 27);
  EXPECT_EQ(node->Get("id")->loc.col, 10);
}

TEST(DocumentBuilderTest, TypesUseTheLocatedArrayFormAndConfigRejectsDuplicates) {
  DocumentBuilder b(At(1, 1));
  EXPECT_TRUE(b.AddType("WordCount", At(3, 8),
                        {{"word", "STRING", At(4, 15)}, {"n", "BIGINT", At(5, 11)}}));
  EXPECT_FALSE(b.AddType("WordCount", At(3, 8), {}));
  EXPECT_TRUE(b.AddConfig("parallelism.default", At(9, 14), MakeInt(2, At(9, 37))));
  EXPECT_FALSE(b.AddConfig("parallelism.default", At(10, 14), MakeInt(3, At(10, 37))));
  EXPECT_TRUE(b.AddConfig("pipeline.ratio", At(11, 14), MakeDouble(0.5, At(11, 37))));
  b.SetPrelude("struct WordCount {};\n", At(1, 1), {"WordCount"});
  auto doc = b.Finish();
  EXPECT_EQ(doc->ToJson(),
            R"({"config":{"parallelism.default":2,"pipeline.ratio":0.5},)"
            R"("types":{"WordCount":[{"name":"word","type":"STRING"},{"name":"n","type":"BIGINT"}]},)"
            R"("nodes":[],"cpp_prelude":{"file":"job.cpp","line":1,)"
            R"("code":"struct WordCount {};\n","row_types":["WordCount"]}})");
  EXPECT_EQ(doc->Get("types")->Get("WordCount")->items[1]->Get("type")->loc.line, 5);
}

TEST(DocumentBuilderTest, IntegralDoublesStayFractions) {
  EXPECT_EQ(MakeDouble(2.0, At(1, 1))->raw, "2.0");
  EXPECT_EQ(MakeDouble(0.908, At(1, 1))->raw, "0.908");
  EXPECT_TRUE(MakeInt(7, At(1, 1))->is_integer);
}

}  // namespace
}  // namespace dfc::compiler::dsl
