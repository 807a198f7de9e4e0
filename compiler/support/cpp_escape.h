// The only two ways user text enters generated C++: as an escaped string literal or as a
// sanitized identifier. Names are otherwise carried only as data (string literals), never in
// comments or raw code.
#pragma once

#include <optional>
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

// The quoted header name `"path"` for an `#include` of `path`, or nullopt when `path` cannot be
// written there. Header names are not string literals: the preprocessor processes no escapes in
// them, so a path is either copied byte for byte or refused — refused when it holds a double quote
// or a control character (newline, CR, NUL, ...), the only bytes that could end the directive
// early and let the rest of the path be read as code.
std::optional<std::string> CppHeaderName(std::string_view path);

bool IsCppKeyword(std::string_view word);

}  // namespace dfc::compiler
