// The only two ways user text enters generated C++: as an escaped string literal or as a
// sanitized identifier. Names are otherwise carried only as data (string literals), never in
// comments or raw code.
#pragma once

#include <string>
#include <string_view>

namespace dfc::compiler {

// A C++ string literal expression holding exactly the bytes of `s` (any bytes: quotes,
// backslashes, newlines, NULs, `*/`, non-UTF-8). Emits "..." with octal escapes for anything that
// is not printable ASCII; wrapped in std::string_view construction when it contains NUL.
std::string CppStringLiteral(std::string_view s);

// A valid, non-reserved C++ identifier derived from `name`, injective over all inputs:
// [A-Za-z0-9] are kept, every other byte becomes `_XX` (hex), names that are keywords, start
// with a digit, `_`, `f_` or `dfc_` (reserved for generated names), or contain `__` are encoded, so two
// different names never map to the same identifier. Deterministic.
std::string CppIdentifier(std::string_view name);

bool IsCppKeyword(std::string_view word);

}  // namespace dfc::compiler
