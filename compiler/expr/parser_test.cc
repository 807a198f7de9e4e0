#include "compiler/expr/parser.h"

#include <gtest/gtest.h>

namespace dfc::compiler {
namespace {

SourceLoc Loc() {
  SourceLoc l;
  l.file = "job.json";
  l.line = 9;
  l.col = 20;
  l.pointer = "/nodes/1/where";
  return l;
}

// Canonical text of the parse, or the diagnostics.
std::string P(std::string_view text) {
  Diagnostics d;
  ir::ExprPtr e = ParseExpr(text, Loc(), d);
  if (!e) return d.ToString();
  EXPECT_FALSE(d.HasErrors());
  return e->ToString();
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(P("price >= 1000 AND channel <> 'Baidu'"),
            "((price >= 1000) AND (channel <> 'Baidu'))");
  EXPECT_EQ(P("a + b * c - d / e % f"), "((a + (b * c)) - ((d / e) % f))");
  EXPECT_EQ(P("a OR b AND NOT c"), "(a OR (b AND (NOT c)))");
  EXPECT_EQ(P("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(P("x || 'a' || y"), "((x || 'a') || y)");
  EXPECT_EQ(P("-a * 2"), "((-a) * 2)");
  EXPECT_EQ(P("a - -5"), "(a - -5)");
  EXPECT_EQ(P("- -5"), "(- -5)");
  EXPECT_EQ(P("a != b"), "(a <> b)");
  EXPECT_EQ(P("auction % 123 = 0"), "((auction % 123) = 0)");
}

TEST(ParserTest, Predicates) {
  EXPECT_EQ(P("a BETWEEN 1 AND 2 + 3"), "(a BETWEEN 1 AND (2 + 3))");
  EXPECT_EQ(P("a NOT BETWEEN 1 AND 2 AND b"), "((a NOT BETWEEN 1 AND 2) AND b)");
  EXPECT_EQ(P("a in (1, 2,3)"), "(a IN (1, 2, 3))");
  EXPECT_EQ(P("a NOT IN ('x')"), "(a NOT IN ('x'))");
  EXPECT_EQ(P("name LIKE 'A%'"), "(name LIKE 'A%')");
  EXPECT_EQ(P("name not like '_b'"), "(name NOT LIKE '_b')");
}

TEST(ParserTest, Primaries) {
  EXPECT_EQ(P("CAST(price * 0.908 AS BIGINT)"), "CAST((price * 0.908) AS BIGINT)");
  EXPECT_EQ(P("cast(x as varchar(10))"), "CAST(x AS STRING)");
  EXPECT_EQ(P("upper(channel)"), "UPPER(channel)");
  EXPECT_EQ(P("substr(s, 1)"), "SUBSTRING(s, 1)");
  EXPECT_EQ(P("SUBSTRING(s FROM 2 FOR 3)"), "SUBSTRING(s, 2, 3)");
  EXPECT_EQ(P("POSITION('a' IN s)"), "POSITION('a' IN s)");
  EXPECT_EQ(P("EXTRACT(day FROM ts)"), "DAYOFMONTH(ts)");
  EXPECT_EQ(P("CASE WHEN a > 1 THEN 'x' WHEN a > 2 THEN 'y' ELSE 'z' END"),
            "CASE WHEN (a > 1) THEN 'x' WHEN (a > 2) THEN 'y' ELSE 'z' END");
  EXPECT_EQ(P("CASE a WHEN 1 THEN 'x' ELSE 'z' END"), "CASE WHEN (a = 1) THEN 'x' ELSE 'z' END");
  EXPECT_EQ(P("'it''s'"), "'it''s'");
  EXPECT_EQ(P("TRUE AND false"), "(TRUE AND FALSE)");
  EXPECT_EQ(P("TIMESTAMP '2020-01-01 00:00:00' < ts"), "(TIMESTAMP '2020-01-01 00:00:00' < ts)");
  EXPECT_EQ(P("timestamp + 1"), "(timestamp + 1)");
  EXPECT_EQ(P("`end` + `my col` + `a``b`"), "((`end` + `my col`) + `a``b`)");
  EXPECT_EQ(P("1.5e3 + .5 + 7"), "((1.5e3 + .5) + 7)");
  EXPECT_EQ(P("now()"), "NOW()");
}

TEST(ParserTest, RoundTrip) {
  for (const char* text :
       {"((a + (b * c)) - ((d / e) % f))", "CASE WHEN (a = 1) THEN 'x' ELSE 'z' END",
        "(`end` NOT IN (1, 2))", "(- -5)", "POSITION('a' IN s)"}) {
    EXPECT_EQ(P(text), text);
  }
}

TEST(ParserTest, Errors) {
  // Column of an error = 20 (quote) + 1 + offset.
  EXPECT_EQ(P("name = 'abc"),
            "job.json:9:28: error: unterminated string literal [/nodes/1/where]\n");
  EXPECT_EQ(P("a +"), "job.json:9:24: error: unexpected end of expression [/nodes/1/where]\n");
  EXPECT_EQ(P("a b"), "job.json:9:23: error: unexpected 'b' after expression [/nodes/1/where]\n");
  EXPECT_EQ(P("(a"), "job.json:9:23: error: expected ')' to close '(', found end of expression "
                     "[/nodes/1/where]\n");
  EXPECT_EQ(P("a # b"), "job.json:9:23: error: unexpected character '#' [/nodes/1/where]\n");
  EXPECT_EQ(P("a = \"x\""),
            "job.json:9:25: error: unexpected character '\"': string literals use single quotes, "
            "identifiers back-quotes [/nodes/1/where]\n");
  EXPECT_EQ(P("a = b = c"), "job.json:9:27: error: comparison operators do not chain: combine "
                            "comparisons with AND [/nodes/1/where]\n");
  EXPECT_EQ(P("CAST(a AS TEXT)"), "job.json:9:31: error: unknown type 'TEXT'; types: BOOLEAN, "
                                  "INT, BIGINT, DOUBLE, STRING, TIMESTAMP(3) [/nodes/1/where]\n");
  EXPECT_EQ(P("CAST(a AS BIGNIT)"),
            "job.json:9:31: error: unknown type 'BIGNIT' (did you mean 'BIGINT'?); types: BOOLEAN, "
            "INT, BIGINT, DOUBLE, STRING, TIMESTAMP(3) [/nodes/1/where]\n");
  EXPECT_EQ(P("a IS NULL"), "job.json:9:23: error: IS [NOT] NULL is not supported: values are NOT "
                            "NULL in v1 [/nodes/1/where]\n");
  EXPECT_EQ(P("CASE END"),
            "job.json:9:26: error: expected an expression, found keyword END [/nodes/1/where]\n");
  EXPECT_EQ(P("price >> 2"),
            "job.json:9:28: error: expected an expression, found '>' [/nodes/1/where]\n");
  EXPECT_EQ(P("1x"), "job.json:9:21: error: malformed number '1x' [/nodes/1/where]\n");
  EXPECT_EQ(P(std::string(300, '(')), "job.json:9:221: error: expression nested too deeply "
                                      "[/nodes/1/where]\n");
}

std::string Proj(std::string_view text, int ordinal = 3) {
  Diagnostics d;
  std::optional<ir::Projection> p = ParseProjection(text, Loc(), ordinal, d);
  if (!p) return d.ToString();
  return p->name + " = " + p->expr->ToString();
}

TEST(ParserTest, Projections) {
  EXPECT_EQ(Proj("auction"), "auction = auction");
  EXPECT_EQ(Proj("CAST(price * 0.908 AS BIGINT) AS price_eur"),
            "price_eur = CAST((price * 0.908) AS BIGINT)");
  EXPECT_EQ(Proj("UPPER(channel) as `Channel Name`"), "Channel Name = UPPER(channel)");
  EXPECT_EQ(Proj("a + 1"), "EXPR$3 = (a + 1)");
  EXPECT_EQ(Proj("a + 1 b"), "job.json:9:27: error: unexpected 'b' after expression (missing AS "
                             "before the name?) [/nodes/1/where]\n");
  EXPECT_EQ(Proj("a AS"), "job.json:9:25: error: expected a column name after AS, found end of "
                          "expression [/nodes/1/where]\n");
}

}  // namespace
}  // namespace dfc::compiler
