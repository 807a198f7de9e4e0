#include "runtime/api/dfc/builtins.h"

#include <gtest/gtest.h>

#include <limits>

namespace dfc::fn {
namespace {

constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();

TEST(BuiltinsTest, ArithmeticWrapsLikeJava) {
  EXPECT_EQ(Add<int64_t>(kMax64, 1), kMin64);
  EXPECT_EQ(Add<int32_t>(2147483647, 1), kMin32);
  EXPECT_EQ(Mul<int32_t>(65536, 65536), 0);
  EXPECT_EQ(Neg<int64_t>(kMin64), kMin64);
  EXPECT_EQ(Sub<int32_t>(kMin32, 1), 2147483647);
  EXPECT_EQ(Abs<int32_t>(kMin32), kMin32);
  EXPECT_EQ(Abs(-2.5), 2.5);
}

TEST(BuiltinsTest, DivisionByZeroThrows) {
  EXPECT_THROW(Div<int64_t>(1, 0), std::runtime_error);
  EXPECT_THROW(Mod<int32_t>(1, 0), std::runtime_error);
  try {
    Div<int32_t>(7, 0);
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "division by zero");
  }
  EXPECT_EQ(Div<int64_t>(kMin64, -1), kMin64);
  EXPECT_EQ(Mod<int64_t>(kMin64, -1), 0);
  EXPECT_EQ(Div<int32_t>(-7, 2), -3);  // truncation toward zero, as Java
  EXPECT_EQ(Mod<int32_t>(-7, 2), -1);
}

TEST(BuiltinsTest, CastDoubleToIntegerTruncatesAndSaturates) {
  EXPECT_EQ(DoubleToInt64(2.9), 2);
  EXPECT_EQ(DoubleToInt64(-2.9), -2);
  EXPECT_EQ(DoubleToInt64(1e30), kMax64);
  EXPECT_EQ(DoubleToInt64(-1e30), kMin64);
  EXPECT_EQ(DoubleToInt64(9223372036854775807.0), kMax64);
  EXPECT_EQ(DoubleToInt64(std::nan("")), 0);
  EXPECT_EQ(DoubleToInt32(3e9), 2147483647);
  EXPECT_EQ(DoubleToInt32(-3e9), kMin32);
  EXPECT_EQ(DoubleToInt32(-0.5), 0);
}

TEST(BuiltinsTest, CastFromString) {
  EXPECT_EQ(ParseInt32(" 42 "), 42);
  EXPECT_EQ(ParseInt64("+7"), 7);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), kMin64);
  EXPECT_THROW(ParseInt32("2147483648"), std::runtime_error);
  EXPECT_THROW(ParseInt32("12a"), std::runtime_error);
  EXPECT_THROW(ParseInt32(""), std::runtime_error);
  EXPECT_THROW(ParseInt32("+-1"), std::runtime_error);
  try {
    ParseInt64("abc");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "cannot cast 'abc' to BIGINT");
  }
  EXPECT_EQ(ParseDouble("1.5e3"), 1500.0);
  EXPECT_EQ(ParseDouble(" -0.25"), -0.25);
  EXPECT_THROW(ParseDouble("1.5x"), std::runtime_error);
  EXPECT_TRUE(ParseBool("TRUE"));
  EXPECT_TRUE(ParseBool("y"));
  EXPECT_FALSE(ParseBool(" 0 "));
  EXPECT_THROW(ParseBool("maybe"), std::runtime_error);
}

TEST(BuiltinsTest, CastToString) {
  EXPECT_EQ(IntToString(-12), "-12");
  EXPECT_EQ(BoolToString(true), "TRUE");
  EXPECT_EQ(DoubleToString(1.0), "1.0");
  EXPECT_EQ(DoubleToString(100.5), "100.5");
  EXPECT_EQ(DoubleToString(0.1), "0.1");
  EXPECT_EQ(DoubleToString(0.001), "0.001");
  EXPECT_EQ(DoubleToString(0.0001), "1.0E-4");
  EXPECT_EQ(DoubleToString(1234567.0), "1234567.0");
  EXPECT_EQ(DoubleToString(1e7), "1.0E7");
  EXPECT_EQ(DoubleToString(-1.5e10), "-1.5E10");
  EXPECT_EQ(DoubleToString(0.0), "0.0");
  EXPECT_EQ(DoubleToString(-0.0), "-0.0");
  EXPECT_EQ(DoubleToString(std::nan("")), "NaN");
  EXPECT_EQ(DoubleToString(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(BuiltinsTest, Timestamps) {
  EXPECT_EQ(ParseTimestamp("1970-01-01 00:00:00"), 0);
  EXPECT_EQ(ParseTimestamp("2020-02-29 12:34:56.789"), 1582979696789);
  EXPECT_EQ(ParseTimestamp("2020-02-29T12:34:56.7"), 1582979696700);
  EXPECT_EQ(ParseTimestamp("2020-02-29"), 1582934400000);
  EXPECT_EQ(ParseTimestamp("1969-12-31 23:59:59.999"), -1);
  int64_t v;
  EXPECT_FALSE(TryParseTimestamp("2021-02-29 00:00:00", &v));
  EXPECT_FALSE(TryParseTimestamp("2021-13-01", &v));
  EXPECT_FALSE(TryParseTimestamp("2021-01-01 24:00", &v));
  EXPECT_FALSE(TryParseTimestamp("2021-01-01x", &v));
  EXPECT_EQ(TimestampToString(1582979696789), "2020-02-29 12:34:56.789");
  EXPECT_EQ(TimestampToString(-1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(DateFormat(1582979696789, "yyyy/MM/dd HH:mm:ss.SSS 'at' yy"),
            "2020/02/29 12:34:56.789 at 20");
  EXPECT_EQ(DateFormat(0, "d.M.yyyy H 'o''clock'"), "1.1.1970 0 o'clock");
  EXPECT_THROW(DateFormat(0, "EEE"), std::runtime_error);
  EXPECT_EQ(ToTimestamp("29/02/2020 12:34", "dd/MM/yyyy HH:mm"), 1582979640000);
  EXPECT_THROW(ToTimestamp("29/02/2020", "dd-MM-yyyy"), std::runtime_error);
  EXPECT_EQ(ExtractYear(1582979696789), 2020);
  EXPECT_EQ(ExtractMonth(1582979696789), 2);
  EXPECT_EQ(ExtractDay(1582979696789), 29);
  EXPECT_EQ(ExtractHour(1582979696789), 12);
  EXPECT_EQ(ExtractMinute(1582979696789), 34);
  EXPECT_EQ(ExtractSecond(1582979696789), 56);
}

TEST(BuiltinsTest, SubstringFollowsFlink) {
  EXPECT_EQ(Substring("hello", 2, 3), "ell");
  EXPECT_EQ(Substring("hello", 2), "ello");
  EXPECT_EQ(Substring("hello", 0, 2), "he");
  EXPECT_EQ(Substring("hello", -3, 2), "ll");
  EXPECT_EQ(Substring("hello", -10, 2), "he");
  EXPECT_EQ(Substring("hello", 6, 2), "");
  EXPECT_EQ(Substring("hello", 4, 100), "lo");
  EXPECT_EQ(Substring("hello", 2, -1), "");
  EXPECT_EQ(Substring("hello", 1, kMax64), "hello");
  EXPECT_EQ(Substring("", 1, 1), "");
  EXPECT_EQ(Substring("h\xC3\xA9llo", 2, 2), "\xC3\xA9l");  // code points, not bytes
}

TEST(BuiltinsTest, Strings) {
  EXPECT_EQ(Upper("abc-Z\xC3\xA9"), "ABC-Z\xC3\xA9");
  EXPECT_EQ(Lower("ABC"), "abc");
  EXPECT_EQ(CharLength("h\xC3\xA9"), 2);
  EXPECT_EQ(Trim("  a b  "), "a b");
  EXPECT_EQ(LTrim("  a "), "a ");
  EXPECT_EQ(RTrim("  a "), "  a");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Concat({"a", std::string("b"), ""}), "ab");
  EXPECT_EQ(Replace("aXbXc", "X", "--"), "a--b--c");
  EXPECT_EQ(Replace("aaa", "aa", "b"), "ba");
  EXPECT_EQ(Replace("abc", "", "x"), "abc");
  EXPECT_EQ(Position("l", "hello"), 3);
  EXPECT_EQ(Position("z", "hello"), 0);
  EXPECT_EQ(Position("", "hello"), 1);
  EXPECT_EQ(Position("l", "h\xC3\xA9l"), 3);
}

TEST(BuiltinsTest, Like) {
  EXPECT_TRUE(Like("hello", "h%"));
  EXPECT_TRUE(Like("hello", "%llo"));
  EXPECT_TRUE(Like("hello", "h_l%o"));
  EXPECT_TRUE(Like("hello", "%"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_FALSE(Like("", "_"));
  EXPECT_FALSE(Like("hello", "h_"));
  EXPECT_TRUE(Like("abcabc", "%b%c"));
  EXPECT_FALSE(Like("abcabd", "%b%c"));
  EXPECT_TRUE(Like("\xC3\xA9", "_"));
  EXPECT_FALSE(Like("Hello", "hello"));
}

TEST(BuiltinsTest, Round) {
  EXPECT_EQ(Round(2.675, 2), 2.68);  // HALF_UP on the shortest decimal form, as Flink
  EXPECT_EQ(Round(2.5, 0), 3.0);
  EXPECT_EQ(Round(-2.5, 0), -3.0);
  EXPECT_EQ(Round(9.6, 0), 10.0);
  EXPECT_EQ(Round(0.5, 0), 1.0);
  EXPECT_EQ(Round(0.04, 1), 0.0);
  EXPECT_EQ(Round(1234.5678, -2), 1200.0);
  EXPECT_EQ(Round(1.25, 5), 1.25);
  EXPECT_EQ(Round<int64_t>(1250, -2), 1300);
  EXPECT_EQ(Round<int32_t>(-1250, -2), -1300);
  EXPECT_EQ(Round<int32_t>(1249, -2), 1200);
  EXPECT_EQ(Round<int32_t>(17, 1), 17);
}

TEST(BuiltinsTest, InBetween) {
  EXPECT_TRUE(In<int64_t>(3, {1, 2, 3}));
  EXPECT_FALSE(In<std::string_view>(std::string("x"), {"a", "b"}));
  EXPECT_TRUE(Between<double>(1.5, 1, 2));
  EXPECT_FALSE(Between<int32_t>(3, 2, 1));  // ASYMMETRIC
}

}  // namespace
}  // namespace dfc::fn
