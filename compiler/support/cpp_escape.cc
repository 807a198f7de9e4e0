#include "compiler/support/cpp_escape.h"

#include <algorithm>
#include <iterator>
#include <cstdio>

namespace dfc::compiler {

std::string CppStringLiteral(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && c != '?') {  // '?' avoids trigraph-like sequences
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);  // always 3 digits: no ambiguity with next char
      out += buf;
    }
  }
  out += '"';
  if (s.find('\0') != std::string_view::npos) {
    return "std::string_view(" + out + ", " + std::to_string(s.size()) + ")";
  }
  return out;
}

std::optional<std::string> CppHeaderName(std::string_view path) {
  if (path.empty()) return std::nullopt;
  for (unsigned char c : path) {
    if (c == '"' || c < 0x20 || c == 0x7f) return std::nullopt;
  }
  return "\"" + std::string(path) + "\"";
}

bool IsCppKeyword(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "final", "override",
      "import", "module", "main", "std", "dfc",
      // Names generated code uses unqualified (typedefs and macros of <cstdint>, <cstddef>...):
      // a user type or column named like them would shadow or be macro-expanded.
      "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      "size_t", "ptrdiff_t", "INT32_MIN", "INT32_MAX", "INT64_MIN", "INT64_MAX", "UINT64_MAX",
      "NULL", "EOF", "errno", "assert"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

std::string CppIdentifier(std::string_view name) {
  bool plain = !name.empty() && name[0] != '_' && name.substr(0, 2) != "f_" && name.substr(0, 4) != "dfc_" &&
               name.find("__") == std::string_view::npos &&
               !(name[0] >= '0' && name[0] <= '9') && !IsCppKeyword(name);
  for (unsigned char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) plain = false;
  }
  if (plain) return std::string(name);
  // Encoded form: "f_" + escaped bytes. '_' itself is escaped so the mapping stays injective.
  std::string out = "f_";
  for (unsigned char c : name) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "_%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace dfc::compiler
