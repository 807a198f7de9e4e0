#include "compiler/support/cpp_escape.h"

#include <string>

#include "gtest/gtest.h"

namespace dfc::compiler {
namespace {

TEST(CppHeaderName, CopiesPathsByteForByte) {
  EXPECT_EQ(CppHeaderName("/jobs/q1/udf.h"), "\"/jobs/q1/udf.h\"");
  // No escape processing happens in header names: backslashes, '*/', '//' and '?' stay literal.
  EXPECT_EQ(CppHeaderName("/a b/c\\d*/e//f?.h"), "\"/a b/c\\d*/e//f?.h\"");
  EXPECT_EQ(CppHeaderName("/j\xc3\xa9/x.h"), "\"/j\xc3\xa9/x.h\"");
}

TEST(CppHeaderName, RefusesWhatCouldEndTheDirective) {
  EXPECT_FALSE(CppHeaderName(""));
  EXPECT_FALSE(CppHeaderName("/a\"b.h"));
  EXPECT_FALSE(CppHeaderName("/a.h\"\nint evil() { return 1; }\n#include \"/b.h"));
  EXPECT_FALSE(CppHeaderName("/a\nb.h"));
  EXPECT_FALSE(CppHeaderName("/a\rb.h"));
  EXPECT_FALSE(CppHeaderName(std::string("/a\0b.h", 6)));
  EXPECT_FALSE(CppHeaderName("/a\x7f.h"));
  EXPECT_FALSE(CppHeaderName("/a\tb.h"));
}

TEST(CppStringLiteral, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(CppStringLiteral("a\"b\\c\n"), "\"a\\\"b\\\\c\\012\"");
  EXPECT_EQ(CppStringLiteral("*/"), "\"*/\"");
}

}  // namespace
}  // namespace dfc::compiler
