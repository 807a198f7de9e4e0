#include "compiler/support/json.h"

#include <string>

#include "gtest/gtest.h"

namespace dfc::compiler::json {
namespace {

struct Parsed {
  std::unique_ptr<Value> value;
  std::string diags;
};

Parsed P(std::string_view text) {
  Diagnostics d;
  Parsed p;
  p.value = Parse(text, "j.json", d);
  p.diags = d.ToString();
  return p;
}

// The diagnostics of a document that must fail to parse.
std::string Err(std::string_view text) {
  Parsed p = P(text);
  EXPECT_EQ(p.value, nullptr) << text;
  return p.diags;
}

TEST(JsonTest, ParsesScalarsWithLocationsAndPointers) {
  Parsed p = P("{\n  \"a\": 1,\n  \"b\": [true, null, \"x\"],\n  \"c/d~\": {\"e\": -2.5e3}\n}");
  ASSERT_NE(p.value, nullptr);
  EXPECT_EQ(p.diags, "");
  const Value& v = *p.value;
  EXPECT_EQ(v.loc.line, 1);
  EXPECT_EQ(v.loc.col, 1);
  EXPECT_EQ(v.loc.pointer, "");
  const Value* a = v.Get("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_integer);
  EXPECT_EQ(a->integer, 1);
  EXPECT_EQ(a->raw, "1");
  EXPECT_EQ(a->loc.line, 2);
  EXPECT_EQ(a->loc.col, 8);
  EXPECT_EQ(a->loc.pointer, "/a");
  EXPECT_EQ(v.GetMember("a")->key_loc.col, 3);
  EXPECT_EQ(v.GetMember("a")->key_loc.pointer, "/a");
  const Value* b = v.Get("b");
  ASSERT_EQ(b->items.size(), 3u);
  EXPECT_TRUE(b->items[0]->bool_value);
  EXPECT_TRUE(b->items[1]->is_null());
  EXPECT_EQ(b->items[2]->str, "x");
  EXPECT_EQ(b->items[2]->loc.pointer, "/b/2");
  EXPECT_EQ(b->items[2]->loc.col, 21);
  const Value* e = v.Get("c/d~")->Get("e");
  EXPECT_EQ(e->loc.pointer, "/c~1d~0/e");
  EXPECT_FALSE(e->is_integer);
  EXPECT_DOUBLE_EQ(e->number, -2500);
  EXPECT_EQ(e->raw, "-2.5e3");
  EXPECT_EQ(v.Get("zz"), nullptr);
}

TEST(JsonTest, CommentsAndTrailingCommas) {
  Parsed p = P("// top\n{ /* a\n b */ \"a\": [1, 2,], // x\n \"b\": 3, }\n// end");
  ASSERT_NE(p.value, nullptr) << p.diags;
  EXPECT_EQ(p.value->ToJson(), "{\"a\":[1,2],\"b\":3}");
  EXPECT_EQ(p.value->Get("a")->loc.line, 3);
  EXPECT_EQ(p.value->Get("a")->loc.col, 12);
}

TEST(JsonTest, ColumnsCountBytes) {
  // "é" is two bytes, so the value of "b" starts at byte column 16 (character column 15).
  Parsed p = P("{\"\xC3\xA9\": 1, \"b\": 2}");
  ASSERT_NE(p.value, nullptr);
  EXPECT_EQ(p.value->Get("b")->loc.col, 16);
}

TEST(JsonTest, DecodesEscapesAndSurrogatePairs) {
  Parsed p = P(R"(["a\"b\\c\/\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00"])");
  ASSERT_NE(p.value, nullptr) << p.diags;
  EXPECT_EQ(p.value->items[0]->str, "a\"b\\c/\b\f\n\r\t");
  EXPECT_EQ(p.value->items[1]->str, "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(p.value->items[2]->str, "\xF0\x9F\x98\x80");
}

TEST(JsonTest, Numbers) {
  Parsed p = P("[0, -0, 9223372036854775807, 9223372036854775808, 1.0, 1e2, -12]");
  ASSERT_NE(p.value, nullptr);
  const auto& it = p.value->items;
  EXPECT_TRUE(it[0]->is_integer);
  EXPECT_TRUE(it[1]->is_integer);
  EXPECT_TRUE(it[2]->is_integer);
  EXPECT_EQ(it[2]->integer, INT64_MAX);
  EXPECT_FALSE(it[3]->is_integer);  // does not fit
  EXPECT_EQ(it[3]->raw, "9223372036854775808");
  EXPECT_FALSE(it[4]->is_integer);
  EXPECT_FALSE(it[5]->is_integer);
  EXPECT_DOUBLE_EQ(it[5]->number, 100);
  EXPECT_EQ(it[6]->integer, -12);
}

TEST(JsonTest, SyntaxErrors) {
  EXPECT_EQ(Err("{\"a\": 1 \"b\": 2}"),
            "j.json:1:9: error: expected ',' or '}' after object member, found '\"'\n");
  EXPECT_EQ(Err("{\"a\": {\"b\": [1 2]}}"),
            "j.json:1:16: error: expected ',' or ']' after array element, found '2' [/a/b]\n");
  EXPECT_EQ(Err("{\n  \"a\": \"abc\n}"), "j.json:2:8: error: unterminated string [/a]\n");
  EXPECT_EQ(Err("{\"a\" 1}"), "j.json:1:6: error: expected ':' after object key, found '1' [/a]\n");
  EXPECT_EQ(Err("{a: 1}"), "j.json:1:2: error: expected a \"key\" or '}', found 'a'\n");
  EXPECT_EQ(Err("{'a': 1}"), "j.json:1:2: error: strings must use double quotes\n");
  EXPECT_EQ(Err("[tru]"),
            "j.json:1:2: error: invalid literal 'tru' (expected true, false, null, a number or a "
            "\"string\") [/0]\n");
  EXPECT_EQ(Err("[01]"), "j.json:1:2: error: invalid number '01': leading zeros are not allowed [/0]\n");
  EXPECT_EQ(Err("[1.]"), "j.json:1:2: error: invalid number '1.': expected a digit after '.' [/0]\n");
  EXPECT_EQ(Err("[-]"), "j.json:1:2: error: invalid number '-': expected a digit [/0]\n");
  EXPECT_EQ(Err(""), "j.json:1:1: error: expected a JSON value, found end of input\n");
  EXPECT_EQ(Err("[1,"), "j.json:1:4: error: expected a JSON value, found end of input [/1]\n");
  EXPECT_EQ(Err("[,]"), "j.json:1:2: error: expected a JSON value, found ',' [/0]\n");
  EXPECT_EQ(Err("{} x"), "j.json:1:4: error: unexpected 'x' after the JSON value\n");
  EXPECT_EQ(Err("/* open"), "j.json:1:1: error: unterminated comment\n");
  EXPECT_EQ(Err("[\"\\q\"]"), "j.json:1:3: error: invalid escape sequence '\\q' in string [/0]\n");
  EXPECT_EQ(Err("[\"\\u12g4\"]"),
            "j.json:1:3: error: invalid \\u escape: expected 4 hex digits [/0]\n");
  EXPECT_EQ(Err("[\"\\ud83d\"]"),
            "j.json:1:3: error: invalid \\u escape: high surrogate not followed by a low "
            "surrogate [/0]\n");
  EXPECT_EQ(Err("[\"\\ude00\"]"), "j.json:1:3: error: invalid \\u escape: unpaired low surrogate [/0]\n");
  EXPECT_EQ(Err("[\"a\tb\"]"),
            "j.json:1:4: error: control character in string (use an escape such as \\t) [/0]\n");
  EXPECT_EQ(Err("[\x01]"), "j.json:1:2: error: expected a JSON value, found byte 0x01 [/0]\n");
}

TEST(JsonTest, DuplicateKeyIsAnErrorButParsingContinues) {
  Parsed p = P("{\"a\": 1,\n \"a\": 2, \"b\": 3}");
  ASSERT_NE(p.value, nullptr);
  EXPECT_EQ(p.diags,
            "j.json:2:2: error: duplicate key 'a' [/a]\n"
            "j.json:1:2: note: previous definition of 'a' is here [/a]\n");
  EXPECT_EQ(p.value->ToJson(), "{\"a\":1,\"b\":3}");
}

TEST(JsonTest, DepthLimit) {
  std::string deep(300, '[');
  deep += std::string(300, ']');
  std::string d = Err(deep);
  EXPECT_NE(d.find("j.json:1:257: error: nesting deeper than 256 levels"), std::string::npos) << d;
  std::string ok(256, '[');
  ok += std::string(256, ']');
  EXPECT_NE(P(ok).value, nullptr);
}

TEST(JsonTest, ByteOrderMarkIsSkipped) {
  Parsed p = P("\xEF\xBB\xBF{\"a\": 1}");
  ASSERT_NE(p.value, nullptr);
  EXPECT_EQ(p.value->Get("a")->integer, 1);
}

TEST(JsonTest, ToJsonQuoteAndPointerTokens) {
  Parsed p = P(R"({"s": "a\"\n\u0001é", "n": 1.50, "o": {}, "l": []})");
  ASSERT_NE(p.value, nullptr);
  EXPECT_EQ(p.value->ToJson(), "{\"s\":\"a\\\"\\n\\u0001\xC3\xA9\",\"n\":1.50,\"o\":{},\"l\":[]}");
  EXPECT_EQ(Quote("tab\there\\"), "\"tab\\there\\\\\"");
  EXPECT_EQ(EscapePointerToken("a/b~c"), "a~1b~0c");
  EXPECT_STREQ(KindName(Kind::kBool), "boolean");
  EXPECT_STREQ(KindName(Kind::kObject), "object");
}

}  // namespace
}  // namespace dfc::compiler::json
