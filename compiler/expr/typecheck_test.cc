#include "compiler/expr/typecheck.h"

#include <gtest/gtest.h>

#include "compiler/expr/functions.h"
#include "compiler/expr/parser.h"
#include "compiler/expr/test_schema.h"

namespace dfc::compiler {
namespace {

// The result type, or the diagnostics.
std::string T(std::string_view text) {
  Diagnostics d;
  ir::ExprPtr e = ParseExpr(text, testing::WhereLoc(), d);
  if (!e) return d.ToString();
  if (!TypeCheck(*e, testing::BidSchema(), d)) return d.ToString();
  EXPECT_FALSE(d.HasErrors());
  return e->type.ToString();
}

TEST(TypeCheckTest, Literals) {
  EXPECT_EQ(T("1"), "INT");
  EXPECT_EQ(T("2147483647"), "INT");
  EXPECT_EQ(T("2147483648"), "BIGINT");
  EXPECT_EQ(T("-2147483648"), "INT");
  EXPECT_EQ(T("-9223372036854775808"), "BIGINT");
  EXPECT_EQ(T("1.5"), "DOUBLE");
  EXPECT_EQ(T("'x'"), "STRING");
  EXPECT_EQ(T("TRUE"), "BOOLEAN");
  EXPECT_EQ(T("TIMESTAMP '2020-01-01 10:00:00.5'"), "TIMESTAMP(3)");
  EXPECT_EQ(T("9223372036854775808"),
            "job.json:9:21: error: integer literal 9223372036854775808 is out of range for "
            "BIGINT [/nodes/1/where]\n");
  EXPECT_EQ(T("1e999"),
            "job.json:9:21: error: numeric literal 1e999 is out of range for DOUBLE "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("TIMESTAMP '2020-02-30'"),
            "job.json:9:31: error: invalid TIMESTAMP literal '2020-02-30': expected "
            "'yyyy-MM-dd HH:mm:ss[.SSS]' [/nodes/1/where]\n");
}

TEST(TypeCheckTest, Columns) {
  EXPECT_EQ(T("price"), "BIGINT");
  EXPECT_EQ(T("`my col`"), "STRING");
  EXPECT_EQ(T("price >= 1000 AND prise < 5"),
            "job.json:9:39: error: unknown column 'prise' (did you mean 'price'?) "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("Price"),
            "job.json:9:21: error: unknown column 'Price' (did you mean 'price'?) "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("zzz + 1"), "job.json:9:21: error: unknown column 'zzz' [/nodes/1/where]\n");
  // Every error is reported, with no follow-up errors from the enclosing expressions.
  EXPECT_EQ(T("(a + 1) * 2 = 'x' OR b"),
            "job.json:9:22: error: unknown column 'a' [/nodes/1/where]\n"
            "job.json:9:42: error: unknown column 'b' [/nodes/1/where]\n");
}

TEST(TypeCheckTest, Arithmetic) {
  EXPECT_EQ(T("qty + 1"), "INT");
  EXPECT_EQ(T("qty + price"), "BIGINT");
  EXPECT_EQ(T("price * 0.908"), "DOUBLE");
  EXPECT_EQ(T("price / qty"), "BIGINT");
  EXPECT_EQ(T("price % 123"), "BIGINT");  // the wider operand's type
  EXPECT_EQ(T("123 % price"), "BIGINT");
  EXPECT_EQ(T("qty % 7"), "INT");
  EXPECT_EQ(T("-rate"), "DOUBLE");
  EXPECT_EQ(T("channel + 1"),
            "job.json:9:29: error: operator '+' needs numeric operands, got STRING and INT "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("rate % 2"),
            "job.json:9:26: error: operator '%' needs INT or BIGINT operands, got DOUBLE and INT "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("-channel"),
            "job.json:9:21: error: operator '-' needs a numeric operand, got STRING "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("channel || 'x'"), "STRING");
  EXPECT_EQ(T("channel || 1"),
            "job.json:9:29: error: operator '||' needs STRING operands, got STRING and INT "
            "[/nodes/1/where]\n");
}

TEST(TypeCheckTest, Predicates) {
  EXPECT_EQ(T("price >= 1000 AND channel <> 'Baidu'"), "BOOLEAN");
  EXPECT_EQ(T("qty < rate"), "BOOLEAN");
  EXPECT_EQ(T("ts > TIMESTAMP '2020-01-01 00:00:00'"), "BOOLEAN");
  EXPECT_EQ(T("channel = 1"),
            "job.json:9:29: error: operator '=' cannot compare STRING with INT [/nodes/1/where]\n");
  EXPECT_EQ(T("ts > 5"), "job.json:9:24: error: operator '>' cannot compare TIMESTAMP(3) with INT "
                         "[/nodes/1/where]\n");
  EXPECT_EQ(T("price AND flag"),
            "job.json:9:27: error: operator 'AND' needs BOOLEAN operands, got BIGINT and BOOLEAN "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("NOT price"), "job.json:9:21: error: operator 'NOT' needs a BOOLEAN operand, got "
                            "BIGINT [/nodes/1/where]\n");
  EXPECT_EQ(T("channel LIKE 'a%'"), "BOOLEAN");
  EXPECT_EQ(T("price LIKE 'a%'"), "job.json:9:27: error: operator 'LIKE' needs STRING operands, "
                                  "got BIGINT and STRING [/nodes/1/where]\n");
  EXPECT_EQ(T("price IN (1, 2.5, 3)"), "BOOLEAN");
  EXPECT_EQ(T("price IN (1, 'x')"), "job.json:9:34: error: IN list item 2 has type STRING, not "
                                    "comparable with BIGINT [/nodes/1/where]\n");
  EXPECT_EQ(T("price BETWEEN 1 AND 2.5"), "BOOLEAN");
  EXPECT_EQ(T("price BETWEEN 'a' AND 2"), "job.json:9:35: error: BETWEEN bound has type STRING, "
                                          "not comparable with BIGINT [/nodes/1/where]\n");
}

TEST(TypeCheckTest, CaseAndCast) {
  EXPECT_EQ(T("CASE WHEN flag THEN qty WHEN price > 1 THEN price ELSE 1.5 END"), "DOUBLE");
  EXPECT_EQ(T("CASE WHEN flag THEN 1 END"), "job.json:9:21: error: CASE without ELSE is not "
                                            "supported: values are NOT NULL in v1 "
                                            "[/nodes/1/where]\n");
  EXPECT_EQ(T("CASE WHEN price THEN 1 ELSE 2 END"),
            "job.json:9:31: error: CASE condition must be BOOLEAN, got BIGINT [/nodes/1/where]\n");
  EXPECT_EQ(T("CASE WHEN flag THEN 1 ELSE 'x' END"),
            "job.json:9:48: error: CASE branches have incompatible types INT and STRING "
            "[/nodes/1/where]\n");
  EXPECT_EQ(T("CAST(price * 0.908 AS BIGINT)"), "BIGINT");
  EXPECT_EQ(T("CAST(channel AS DOUBLE)"), "DOUBLE");
  EXPECT_EQ(T("CAST(ts AS STRING)"), "STRING");
  EXPECT_EQ(T("CAST('2020-01-01' AS TIMESTAMP(3))"), "TIMESTAMP(3)");
  EXPECT_EQ(T("CAST(flag AS INT)"), "INT");
  EXPECT_EQ(T("CAST(price AS TIMESTAMP)"),
            "job.json:9:21: error: cannot cast BIGINT to TIMESTAMP(3) (TO_TIMESTAMP parses a "
            "STRING) [/nodes/1/where]\n");
  EXPECT_EQ(T("CAST(ts AS DOUBLE)"),
            "job.json:9:21: error: cannot cast TIMESTAMP(3) to DOUBLE [/nodes/1/where]\n");
}

TEST(TypeCheckTest, Functions) {
  EXPECT_EQ(T("UPPER(channel)"), "STRING");
  EXPECT_EQ(T("CHAR_LENGTH(channel)"), "INT");
  EXPECT_EQ(T("SUBSTRING(channel, 1, price)"), "STRING");
  EXPECT_EQ(T("CONCAT(channel, 'a', 'b')"), "STRING");
  EXPECT_EQ(T("MOD(price, qty)"), "BIGINT");
  EXPECT_EQ(T("MOD(qty, qty)"), "INT");
  EXPECT_EQ(T("ROUND(rate, 2)"), "DOUBLE");
  EXPECT_EQ(T("ROUND(price)"), "BIGINT");
  EXPECT_EQ(T("POWER(qty, 2)"), "DOUBLE");
  EXPECT_EQ(T("GREATEST(qty, price, 3)"), "BIGINT");
  EXPECT_EQ(T("LEAST(channel, 'm')"), "STRING");
  EXPECT_EQ(T("IF(flag, qty, rate)"), "DOUBLE");
  EXPECT_EQ(T("COALESCE(channel, 'none')"), "STRING");
  EXPECT_EQ(T("DATE_FORMAT(ts, 'yyyy-MM-dd')"), "STRING");
  EXPECT_EQ(T("TO_TIMESTAMP('2020-01-01 00:00:00')"), "TIMESTAMP(3)");
  EXPECT_EQ(T("EXTRACT(YEAR FROM ts)"), "BIGINT");
  EXPECT_EQ(T("UPPPER(channel)"), "job.json:9:21: error: unknown function 'UPPPER' (did you mean "
                                  "'UPPER'?) [/nodes/1/where]\n");
  EXPECT_EQ(T("frobnicate(1)"), "job.json:9:21: error: unknown function 'FROBNICATE' "
                                "[/nodes/1/where]\n");
  EXPECT_EQ(T("SUBSTRING(channel)"),
            "job.json:9:21: error: wrong number of arguments to SUBSTRING: got 1, expected "
            "SUBSTRING(STRING, INT[, INT]) [/nodes/1/where]\n");
  EXPECT_EQ(T("UPPER(price)"), "job.json:9:21: error: cannot apply UPPER to (BIGINT): expected "
                               "UPPER(STRING) [/nodes/1/where]\n");
  EXPECT_EQ(T("IF(flag, 1, 'x')"), "job.json:9:21: error: cannot apply IF to (BOOLEAN, INT, "
                                   "STRING): expected IF(BOOLEAN, T, T) [/nodes/1/where]\n");
}

TEST(TypeCheckTest, CommonType) {
  auto t = [](const char* s) { return *ir::ParseType(s); };
  EXPECT_EQ(CommonType(t("INT"), t("BIGINT"))->ToString(), "BIGINT");
  EXPECT_EQ(CommonType(t("DOUBLE"), t("INT"))->ToString(), "DOUBLE");
  EXPECT_EQ(CommonType(t("STRING"), t("STRING"))->ToString(), "STRING");
  EXPECT_FALSE(CommonType(t("STRING"), t("INT")).has_value());
  EXPECT_FALSE(CommonType(t("BOOLEAN"), t("INT")).has_value());
}

}  // namespace
}  // namespace dfc::compiler
