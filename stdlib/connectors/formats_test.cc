#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "dfc/connectors.h"
#include "stdlib/connectors/test_rows.h"

namespace dfc::rt {
namespace {

using testing::AllTypes;
using testing::kAllTypesDesc;
using testing::kLineDesc;
using testing::kPairDesc;
using testing::Line;
using testing::Pair;

AllTypes Sample() {
  AllTypes r;
  r.b = true;
  r.i = -42;
  r.l = 9000000000;
  r.d = 1.0;
  r.s = "hello";
  r.ts = 1700000000123;
  return r;
}

std::string Csv(const AllTypes& r, char delim = ',') {
  std::string out;
  FormatCsv(kAllTypesDesc, &r, delim, &out);
  return out;
}
std::string Json(const AllTypes& r) {
  std::string out;
  FormatJson(kAllTypesDesc, &r, &out);
  return out;
}
std::string Print(const AllTypes& r) {
  std::string out;
  FormatPrint(kAllTypesDesc, &r, &out);
  return out;
}
std::string DoubleText(double d) {
  AllTypes r;
  r.d = d;
  std::string out;
  FormatPrint(kAllTypesDesc, &r, &out);
  // "+I[false, 0, 0, <d>, , 1970-...]"
  const size_t a = std::strlen("+I[false, 0, 0, ");
  return out.substr(a, out.find(',', a) - a);
}
std::string CsvError(std::string_view line, const RowDesc& desc = kAllTypesDesc) {
  AllTypes r;
  Pair p;
  void* row = &desc == &kPairDesc ? static_cast<void*>(&p) : static_cast<void*>(&r);
  std::string err;
  EXPECT_FALSE(ParseCsv(line, ',', desc, row, &err)) << line;
  return err;
}
std::string JsonError(std::string_view line) {
  AllTypes r;
  std::string err;
  EXPECT_FALSE(ParseJson(line, kAllTypesDesc, &r, &err)) << line;
  return err;
}
AllTypes ParseCsvOk(std::string_view line, char delim = ',') {
  AllTypes r;
  std::string err;
  EXPECT_TRUE(ParseCsv(line, delim, kAllTypesDesc, &r, &err)) << line << " -> " << err;
  return r;
}
AllTypes ParseJsonOk(std::string_view line) {
  AllTypes r;
  std::string err;
  EXPECT_TRUE(ParseJson(line, kAllTypesDesc, &r, &err)) << line << " -> " << err;
  return r;
}

TEST(FormatNames, ParseFormatAndOnError) {
  EXPECT_EQ(ParseFormat("csv"), Format::kCsv);
  EXPECT_EQ(ParseFormat("jsonl"), Format::kJsonLines);
  EXPECT_EQ(ParseFormat("json"), Format::kJsonLines);
  EXPECT_EQ(ParseFormat("text"), Format::kText);
  EXPECT_THROW(ParseFormat("xml"), std::invalid_argument);
  EXPECT_EQ(ParseOnError("fail"), OnError::kFail);
  EXPECT_EQ(ParseOnError("skip"), OnError::kSkip);
  EXPECT_EQ(ParseOnError("dead_letter"), OnError::kDeadLetter);
  EXPECT_THROW(ParseOnError("ignore"), std::invalid_argument);
  EXPECT_STREQ(FieldTypeName(FieldType::kTimestamp), "TIMESTAMP(3)");
}

TEST(Csv, FormatsEveryType) {
  EXPECT_EQ(Csv(Sample()), "true,-42,9000000000,1.0,hello,2023-11-14 22:13:20.123");
  EXPECT_EQ(Csv(AllTypes{}), "false,0,0,0.0,,1970-01-01 00:00:00.000");
}

TEST(Csv, QuotesOnlyWhenNeeded) {
  AllTypes r;
  r.s = "a,b";
  EXPECT_EQ(Csv(r), R"(false,0,0,0.0,"a,b",1970-01-01 00:00:00.000)");
  r.s = "say \"hi\"";
  EXPECT_EQ(Csv(r), R"(false,0,0,0.0,"say ""hi""",1970-01-01 00:00:00.000)");
  r.s = "two\nlines\r";
  EXPECT_EQ(Csv(r), "false,0,0,0.0,\"two\nlines\r\",1970-01-01 00:00:00.000");
  r.s = " spaces and 'single' ";
  EXPECT_EQ(Csv(r), "false,0,0,0.0, spaces and 'single' ,1970-01-01 00:00:00.000");
  r.s = "a;b";
  EXPECT_EQ(Csv(r, ';'), "false;0;0;0.0;\"a;b\";1970-01-01 00:00:00.000");
  // An unusual delimiter that occurs in numbers/timestamps quotes them too.
  r.s = "x";
  r.i = -1;
  EXPECT_EQ(Csv(r, '-'), "false-\"-1\"-0-0.0-x-\"1970-01-01 00:00:00.000\"");
  EXPECT_EQ(ParseCsvOk(Csv(r, '-'), '-'), r);
}

TEST(Csv, SingleEmptyStringColumnIsQuoted) {
  Line l;
  std::string out;
  FormatCsv(kLineDesc, &l, ',', &out);
  EXPECT_EQ(out, "\"\"");
  Line back{"junk"};
  std::string err;
  ASSERT_TRUE(ParseCsv(out, ',', kLineDesc, &back, &err)) << err;
  EXPECT_EQ(back.s, "");
}

TEST(Csv, ParsesEveryType) {
  AllTypes r = ParseCsvOk("TRUE,+7,-9223372036854775808,2.5e-3,x y,0");
  EXPECT_TRUE(r.b);
  EXPECT_EQ(r.i, 7);
  EXPECT_EQ(r.l, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r.d, 0.0025);
  EXPECT_EQ(r.s, "x y");
  EXPECT_EQ(r.ts, 0);
  r = ParseCsvOk("False,2147483647,1,NaN,,1969-12-31 23:59:59.999");
  EXPECT_FALSE(r.b);
  EXPECT_EQ(r.i, 2147483647);
  EXPECT_TRUE(std::isnan(r.d));
  EXPECT_EQ(r.s, "");
  EXPECT_EQ(r.ts, -1);
  r = ParseCsvOk("true,1,1,-Infinity,s,2023-11-14T22:13:20.1234567Z");
  EXPECT_EQ(r.d, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.ts, 1700000000123);
  EXPECT_EQ(ParseCsvOk("true,1,1,1,s,2023-11-14 22:13:20").ts, 1700000000000);
  EXPECT_EQ(ParseCsvOk("true,1,1,1,s,2023-11-14 22:13:20.5").ts, 1700000000500);
  EXPECT_EQ(ParseCsvOk("true,1,1,1,s,2023-11-14").ts, 1699920000000);
}

TEST(Csv, QuotedFields) {
  AllTypes r = ParseCsvOk(R"("true","1","2","3.5","a ""quoted"", comma","0")");
  EXPECT_EQ(r.s, "a \"quoted\", comma");
  EXPECT_EQ(r.d, 3.5);
  r = ParseCsvOk(R"(true,1,2,3,"",0)");
  EXPECT_EQ(r.s, "");
  r = ParseCsvOk(R"(true,1,2,3,5" screen,0)");  // lenient: a quote inside an unquoted field
  EXPECT_EQ(r.s, "5\" screen");
  r = ParseCsvOk("true,1,2,3,\"multi\nline\",0");
  EXPECT_EQ(r.s, "multi\nline");
}

TEST(Csv, ErrorsNameTheFieldAndText) {
  EXPECT_EQ(CsvError("true,1,abc,1.0,s,0"), "field 'l' (3): cannot parse 'abc' as BIGINT");
  EXPECT_EQ(CsvError("true,3000000000,1,1.0,s,0"),
            "field 'i' (2): '3000000000' is out of range for INT");
  EXPECT_EQ(CsvError("true,1,99999999999999999999,1.0,s,0"),
            "field 'l' (3): '99999999999999999999' is out of range for BIGINT");
  EXPECT_EQ(CsvError("true,12x,1,1.0,s,0"), "field 'i' (2): cannot parse '12x' as INT");
  EXPECT_EQ(CsvError("true, 12,1,1.0,s,0"), "field 'i' (2): cannot parse ' 12' as INT");
  EXPECT_EQ(CsvError("true,,1,1.0,s,0"), "field 'i' (2): cannot parse '' as INT");
  EXPECT_EQ(CsvError("yes,1,1,1.0,s,0"), "field 'b' (1): cannot parse 'yes' as BOOLEAN");
  EXPECT_EQ(CsvError("true,1,1,1.0x,s,0"), "field 'd' (4): cannot parse '1.0x' as DOUBLE");
  EXPECT_EQ(CsvError("true,1,1,1e999,s,0"), "field 'd' (4): '1e999' is out of range for DOUBLE");
  EXPECT_EQ(CsvError("true,1,1,1,s,2023-02-29 00:00:00"),
            "field 'ts' (6): cannot parse '2023-02-29 00:00:00' as TIMESTAMP(3)");
  EXPECT_EQ(CsvError("true,1,1,1,s,2023-01-01 24:00:00"),
            "field 'ts' (6): cannot parse '2023-01-01 24:00:00' as TIMESTAMP(3)");
  EXPECT_EQ(CsvError("true,1,1,1.0,s"), "expected 6 fields, got 5");
  EXPECT_EQ(CsvError("true,1,1,1.0,s,0,extra,\"x,y\""), "expected 6 fields, got 8");
  EXPECT_EQ(CsvError(""), "field 'b' (1): cannot parse '' as BOOLEAN");
  EXPECT_EQ(CsvError("true,1,1,1.0,\"open,0"), "field 's' (5): unterminated quoted value");
  EXPECT_EQ(CsvError("true,1,1,1.0,\"a\"b,0"), "field 's' (5): unexpected 'b' after closing quote");
  EXPECT_EQ(CsvError("x,y", kPairDesc), "field 'id' (1): cannot parse 'x' as BIGINT");
  const std::string long_text(200, '9');
  EXPECT_EQ(CsvError("a," + long_text, kPairDesc), "field 'id' (1): cannot parse 'a' as BIGINT");
  EXPECT_EQ(CsvError(long_text + "z,y", kPairDesc),
            "field 'id' (1): cannot parse '" + long_text.substr(0, 80) + "...' as BIGINT");
}

TEST(Doubles, JavaLayoutShortestDigits) {
  EXPECT_EQ(DoubleText(1.0), "1.0");
  EXPECT_EQ(DoubleText(-0.0), "-0.0");
  EXPECT_EQ(DoubleText(0.1), "0.1");
  EXPECT_EQ(DoubleText(0.001), "0.001");
  EXPECT_EQ(DoubleText(0.0001), "1.0E-4");
  EXPECT_EQ(DoubleText(1.5e-4), "1.5E-4");
  EXPECT_EQ(DoubleText(1234567.5), "1234567.5");
  EXPECT_EQ(DoubleText(9999999.0), "9999999.0");
  EXPECT_EQ(DoubleText(1e7), "1.0E7");
  EXPECT_EQ(DoubleText(1.25e21), "1.25E21");
  EXPECT_EQ(DoubleText(100.0), "100.0");
  EXPECT_EQ(DoubleText(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  // Java prints 4.9E-324 here (its spec wants two digits); the shortest round-trip is 5.0E-324.
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::denorm_min()), "5.0E-324");
  EXPECT_EQ(DoubleText(std::nan("")), "NaN");
  EXPECT_EQ(DoubleText(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(Timestamps, FormatEdges) {
  AllTypes r;
  r.ts = -1;
  EXPECT_EQ(Print(r), "+I[false, 0, 0, 0.0, , 1969-12-31 23:59:59.999]");
  r.ts = 951782400000;  // leap day
  EXPECT_EQ(Print(r), "+I[false, 0, 0, 0.0, , 2000-02-29 00:00:00.000]");
  r.ts = 253402300799999;
  EXPECT_EQ(Print(r), "+I[false, 0, 0, 0.0, , 9999-12-31 23:59:59.999]");
  for (int64_t ts : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                     int64_t{-62135596800001}, int64_t{253402300800000}}) {
    r.ts = ts;
    EXPECT_EQ(ParseCsvOk(Csv(r)).ts, ts) << Csv(r);
  }
}

TEST(Json, Formats) {
  EXPECT_EQ(Json(Sample()),
            R"({"b":true,"i":-42,"l":9000000000,"d":1.0,"s":"hello","ts":"2023-11-14 22:13:20.123"})");
  AllTypes r;
  r.s = std::string("q\"b\\n\nt\tc\x01\x1f\x7f") + "\xc3\xa9";
  r.d = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Json(r), "{\"b\":false,\"i\":0,\"l\":0,\"d\":\"Infinity\","
                     "\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f\x7f\xc3\xa9\","
                     "\"ts\":\"1970-01-01 00:00:00.000\"}");
  EXPECT_EQ(ParseJsonOk(Json(r)), r);
}

TEST(Json, ParsesAnyKeyOrderUnknownKeysAndEscapes) {
  AllTypes r = ParseJsonOk(
      R"( { "ts" : 5, "extra": {"a":[1,2,{"b":null}],"c":"}"}, "s":"\u00e9\ud83d\ude00\n\/",)"
      R"( "d": -1.5E+2, "l": 12, "i": -3, "b": false, "more": [] } )");
  EXPECT_EQ(r.ts, 5);
  EXPECT_EQ(r.s, "\xc3\xa9\xf0\x9f\x98\x80\n/");
  EXPECT_EQ(r.d, -150.0);
  EXPECT_EQ(r.l, 12);
  EXPECT_EQ(r.i, -3);
  EXPECT_FALSE(r.b);
  // Lenient scalars (as Flink): quoted numbers/booleans/timestamps; non-strings for STRING.
  r = ParseJsonOk(R"({"b":"TRUE","i":"7","l":"8","d":"NaN","s":12.50,"ts":"2023-11-14 22:13:20.123"})");
  EXPECT_TRUE(r.b);
  EXPECT_EQ(r.i, 7);
  EXPECT_EQ(r.l, 8);
  EXPECT_TRUE(std::isnan(r.d));
  EXPECT_EQ(r.s, "12.50");
  EXPECT_EQ(r.ts, 1700000000123);
  r = ParseJsonOk(R"({"b":true,"i":0,"l":0,"d":0,"s":{"x": [1]},"ts":0})");
  EXPECT_EQ(r.s, R"({"x": [1]})");
}

TEST(Json, Errors) {
  EXPECT_EQ(JsonError(R"({"b":true,"i":1,"l":1,"d":1,"s":"x"})"), "field 'ts' (6): missing");
  EXPECT_EQ(JsonError(R"({"b":true,"i":null,"l":1,"d":1,"s":"x","ts":0})"),
            "field 'i' (2): null is not allowed (NOT NULL)");
  EXPECT_EQ(JsonError(R"({"b":true,"i":1.5,"l":1,"d":1,"s":"x","ts":0})"),
            "field 'i' (2): cannot parse '1.5' as INT");
  EXPECT_EQ(JsonError(R"({"b":true,"i":3000000000,"l":1,"d":1,"s":"x","ts":0})"),
            "field 'i' (2): '3000000000' is out of range for INT");
  EXPECT_EQ(JsonError(R"({"b":1,"i":1,"l":1,"d":1,"s":"x","ts":0})"),
            "field 'b' (1): cannot parse '1' as BOOLEAN");
  EXPECT_EQ(JsonError(R"({"b":true,"i":true,"l":1,"d":1,"s":"x","ts":0})"),
            "field 'i' (2): cannot parse 'true' as INT");
  EXPECT_EQ(JsonError(R"({"b":true,"b":true})"), "field 'b' (1): duplicate key");
  EXPECT_EQ(JsonError(R"({"b":true,})"), "invalid JSON at column 11: expected a key string");
  EXPECT_EQ(JsonError(R"({"b" true})"), "invalid JSON at column 6: expected ':'");
  EXPECT_EQ(JsonError(R"({"b":tru})"), "invalid JSON at column 6: invalid literal");
  EXPECT_EQ(JsonError(R"({"x":01})"), "invalid JSON at column 7: expected ',' or '}'");
  EXPECT_EQ(JsonError(R"({"s":"\ud83d"})"),
            "invalid JSON at column 13: unpaired high surrogate in \\u escape");
  EXPECT_EQ(JsonError(R"({"s":"\ude00"})"),
            "invalid JSON at column 13: unpaired low surrogate in \\u escape");
  EXPECT_EQ(JsonError(R"({"s":"\q"})"), "invalid JSON at column 8: invalid escape in string");
  EXPECT_EQ(JsonError("{\"s\":\"a\tb\"}"),
            "invalid JSON at column 8: unescaped control character in string");
  EXPECT_EQ(JsonError(R"({"s":"abc)"), "invalid JSON at column 10: unterminated string");
  EXPECT_EQ(JsonError(R"({} x)"), "invalid JSON at column 4: unexpected text after the object");
  EXPECT_EQ(JsonError(R"([1])"), "invalid JSON at column 1: expected '{'");
  EXPECT_EQ(JsonError(""), "invalid JSON at column 1: expected '{'");
  EXPECT_EQ(JsonError(std::string(1000, '[')), "invalid JSON at column 1: expected '{'");
  EXPECT_EQ(JsonError("{\"x\":" + std::string(1000, '[')),
            "invalid JSON at column 263: nesting too deep");
}

TEST(Text, ParseAndFormat) {
  Line l;
  std::string err;
  ASSERT_TRUE(ParseText("a,b \"c\"", kLineDesc, &l, &err));
  EXPECT_EQ(l.s, "a,b \"c\"");
  std::string out;
  FormatText(kLineDesc, &l, &out);
  EXPECT_EQ(out, "a,b \"c\"");
  AllTypes r;
  EXPECT_FALSE(ParseText("x", kAllTypesDesc, &r, &err));
  EXPECT_EQ(err, "text format needs a row type with exactly one STRING column; 'AllTypes' has 6 "
                 "columns");
}

TEST(Print, FlinkRowForm) {
  EXPECT_EQ(Print(Sample()), "+I[true, -42, 9000000000, 1.0, hello, 2023-11-14 22:13:20.123]");
}

// Random rows (fixed seed) survive format -> parse in CSV and JSON, including strings made of
// delimiters, quotes, control characters and UTF-8, and doubles from random bit patterns.
TEST(RoundTrip, RandomRows) {
  std::mt19937_64 rng(20240601);
  const char kAlphabet[] = ",;\"'\\\n\r\t x\x01\x7f{}[]:\xc3\xa9";
  for (int iter = 0; iter < 20000; ++iter) {
    AllTypes r;
    r.b = rng() & 1;
    r.i = static_cast<int32_t>(rng());
    r.l = static_cast<int64_t>(rng()) >> (rng() % 64);
    const uint64_t bits = rng();
    std::memcpy(&r.d, &bits, sizeof(r.d));
    if (std::isnan(r.d)) r.d = 0.5;  // NaN != NaN; NaN is covered above
    if (iter % 3 == 0) r.d = static_cast<double>(static_cast<int64_t>(rng() % 2000000) - 1000000) / 8;
    const size_t len = rng() % 12;
    for (size_t k = 0; k < len; ++k) r.s.push_back(kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
    r.ts = static_cast<int64_t>(rng()) >> (rng() % 64);
    for (char delim : {',', ';', '\t', '|'}) {
      const std::string line = Csv(r, delim);
      AllTypes back;
      std::string err;
      ASSERT_TRUE(ParseCsv(line, delim, kAllTypesDesc, &back, &err)) << line << ": " << err;
      ASSERT_EQ(back, r) << line;
      ASSERT_EQ(std::signbit(back.d), std::signbit(r.d));
    }
    const std::string json = Json(r);
    AllTypes back;
    std::string err;
    ASSERT_TRUE(ParseJson(json, kAllTypesDesc, &back, &err)) << json << ": " << err;
    ASSERT_EQ(back, r) << json;
  }
}

// Random garbage never crashes the parsers and always yields a message (run under ASan/UBSan).
TEST(RoundTrip, GarbageDoesNotCrash) {
  std::mt19937_64 rng(7);
  const std::string valid = Json(Sample()) + Csv(Sample());
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = valid.substr(rng() % valid.size(), rng() % 40);
    for (int k = 0; k < 3; ++k) {
      if (!s.empty()) s[rng() % s.size()] = static_cast<char>(rng());
    }
    AllTypes r;
    std::string err;
    if (!ParseJson(s, kAllTypesDesc, &r, &err)) {
      EXPECT_FALSE(err.empty());
    }
    err.clear();
    if (!ParseCsv(s, ',', kAllTypesDesc, &r, &err)) {
      EXPECT_FALSE(err.empty());
    }
  }
}

}  // namespace
}  // namespace dfc::rt
