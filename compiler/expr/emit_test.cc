#include "compiler/expr/emit.h"

#include <gtest/gtest.h>

#include "compiler/expr/functions.h"
#include "compiler/expr/parser.h"
#include "compiler/expr/test_schema.h"
#include "compiler/expr/typecheck.h"

namespace dfc::compiler {
namespace {

std::string E(std::string_view text) {
  Diagnostics d;
  ir::ExprPtr e = ParseExpr(text, testing::WhereLoc(), d);
  if (!e || !TypeCheck(*e, testing::BidSchema(), d)) return d.ToString();
  return EmitExpr(*e, testing::BidSchema(), "v");
}

TEST(EmitTest, Operators) {
  EXPECT_EQ(E("price >= 1000 AND channel <> 'Baidu'"),
            "((v.price >= static_cast<int64_t>(int32_t{1000})) && "
            "(v.channel != std::string_view(\"Baidu\")))");
  EXPECT_EQ(E("auction % 123 = 0"),
            "(dfc::fn::Mod(v.auction, static_cast<int64_t>(int32_t{123})) == "
            "static_cast<int64_t>(int32_t{0}))");
  EXPECT_EQ(E("qty + 1"), "dfc::fn::Add(v.qty, int32_t{1})");
  EXPECT_EQ(E("price / qty"), "dfc::fn::Div(v.price, static_cast<int64_t>(v.qty))");
  EXPECT_EQ(E("rate / qty"), "(v.rate / static_cast<double>(v.qty))");
  EXPECT_EQ(E("-qty"), "dfc::fn::Neg(v.qty)");
  EXPECT_EQ(E("-rate"), "(-v.rate)");
  EXPECT_EQ(E("NOT flag OR flag"), "((!v.flag) || v.flag)");
  EXPECT_EQ(E("channel || 'x'"), "dfc::fn::Concat({v.channel, std::string_view(\"x\")})");
  EXPECT_EQ(E("channel NOT LIKE 'a%'"), "(!dfc::fn::Like(v.channel, std::string_view(\"a%\")))");
  EXPECT_EQ(E("price IN (1, 5000000000)"),
            "dfc::fn::In<int64_t>(v.price, {static_cast<int64_t>(int32_t{1}), "
            "int64_t{5000000000LL}})");
  EXPECT_EQ(E("channel NOT IN ('a')"),
            "(!dfc::fn::In<std::string_view>(v.channel, {std::string_view(\"a\")}))");
  EXPECT_EQ(E("qty BETWEEN 1 AND 2.5"),
            "dfc::fn::Between<double>(static_cast<double>(v.qty), "
            "static_cast<double>(int32_t{1}), double{2.5})");
  EXPECT_EQ(E("ts < TIMESTAMP '1970-01-01 00:00:01'"), "(v.ts < int64_t{1000LL})");
  EXPECT_EQ(E("-2147483648 < -9223372036854775808"),
            "(static_cast<int64_t>(int32_t{-2147483647 - 1}) < "
            "int64_t{-9223372036854775807LL - 1})");
}

TEST(EmitTest, StringsAreOwnedAtTopLevel) {
  EXPECT_EQ(E("'a\"b'"), "std::string(std::string_view(\"a\\\"b\"))");
  EXPECT_EQ(E("channel"), "v.channel");
  EXPECT_EQ(E("`my col`"), "v.f_my_20col");
  EXPECT_EQ(E("GREATEST(channel, 'm')"),
            "std::string(std::max<std::string_view>({v.channel, std::string_view(\"m\")}))");
  EXPECT_EQ(E("CASE WHEN flag THEN 'a' ELSE channel END"),
            "(v.flag ? std::string(std::string_view(\"a\")) : v.channel)");
  EXPECT_EQ(E("IF(flag, qty, price)"), "(v.flag ? static_cast<int64_t>(v.qty) : v.price)");
}

TEST(EmitTest, Casts) {
  EXPECT_EQ(E("CAST(price * 0.908 AS BIGINT)"),
            "dfc::fn::DoubleToInt64((static_cast<double>(v.price) * double{0.908}))");
  EXPECT_EQ(E("CAST(price AS INT)"), "static_cast<int32_t>(v.price)");
  EXPECT_EQ(E("CAST(channel AS INT)"), "dfc::fn::ParseInt32(v.channel)");
  EXPECT_EQ(E("CAST(rate AS STRING)"), "dfc::fn::DoubleToString(v.rate)");
  EXPECT_EQ(E("CAST(ts AS STRING)"), "dfc::fn::TimestampToString(v.ts)");
  EXPECT_EQ(E("CAST(qty AS BOOLEAN)"), "(v.qty != 0)");
  EXPECT_EQ(E("CAST(channel AS TIMESTAMP(3))"), "dfc::fn::ParseTimestamp(v.channel)");
  EXPECT_EQ(E("CAST(qty AS INT)"), "v.qty");
}

TEST(EmitTest, Functions) {
  EXPECT_EQ(E("UPPER(channel)"), "dfc::fn::Upper(v.channel)");
  EXPECT_EQ(E("SUBSTRING(channel, 2, qty)"),
            "dfc::fn::Substring(v.channel, static_cast<int64_t>(int32_t{2}), "
            "static_cast<int64_t>(v.qty))");
  EXPECT_EQ(E("ROUND(rate, 2)"), "dfc::fn::Round(v.rate, int32_t{2})");
  EXPECT_EQ(E("ROUND(price)"), "dfc::fn::Round(v.price, int32_t{0})");
  EXPECT_EQ(E("FLOOR(price) + CEIL(rate)"),
            "(static_cast<double>(v.price) + std::ceil(v.rate))");
  EXPECT_EQ(E("POWER(qty, 2)"),
            "std::pow(static_cast<double>(v.qty), static_cast<double>(int32_t{2}))");
  EXPECT_EQ(E("MOD(qty, price)"), "dfc::fn::Mod(static_cast<int64_t>(v.qty), v.price)");
  EXPECT_EQ(E("COALESCE(qty, price)"), "static_cast<int64_t>(v.qty)");
  EXPECT_EQ(E("DATE_FORMAT(channel, 'yyyy')"),
            "dfc::fn::DateFormat(dfc::fn::ParseTimestamp(v.channel), std::string_view(\"yyyy\"))");
  EXPECT_EQ(E("EXTRACT(HOUR FROM ts)"), "dfc::fn::ExtractHour(v.ts)");
  EXPECT_EQ(E("POSITION('a' IN channel)"),
            "dfc::fn::Position(std::string_view(\"a\"), v.channel)");
}

// Every catalogued function has an emitter (the catalogue and emit.cc cannot drift apart).
TEST(EmitTest, EveryBuiltinEmits) {
  for (const BuiltinFunction& f : BuiltinFunctions()) {
    std::string call;
    const std::string sig(f.signature);
    if (sig.find("TIMESTAMP(3)") == sig.find('(') + 1) {
      call = std::string(f.name) + "(ts" + (f.min_args > 1 ? ", 'x'" : "") + ")";
    } else if (f.name == "IF") {
      call = "IF(flag, 1, 2)";
    } else if (f.name == "POSITION") {
      call = "POSITION('x' IN channel)";
    } else if (sig.find("(STRING") != std::string::npos) {
      call = std::string(f.name) + "(channel";
      for (int i = 1; i < f.min_args; ++i) call += f.name == "SUBSTRING" ? ", 1" : ", 'x'";
      call += ")";
    } else {
      call = std::string(f.name) + "(qty";
      for (int i = 1; i < f.min_args; ++i) call += ", 2";
      call += ")";
    }
    std::string code = E(call);
    EXPECT_EQ(code.find("error"), std::string::npos) << call << ": " << code;
  }
}

}  // namespace
}  // namespace dfc::compiler
