// The user-defined functions of the Nexmark queries (nexmark-flink's CountChar; Flink SQL's
// REGEXP_EXTRACT and SPLIT_INDEX, which dfc's expression language does not have), compiled into
// the jobs that list them under `dependencies` (sources + headers). Declarations only: <regex>
// stays in nexmark_udfs.cc, out of the generated code.
#pragma once

#include <cstdint>
#include <string>

namespace nexmark_udf {

// nexmark-flink's count_char(s, c): how many times `c` occurs in `s`.
int64_t CountChar(const std::string& s, char c);

// Flink's REGEXP_EXTRACT(s, regex, group): the group of the first match of `regex` in `s`. Flink
// returns NULL when nothing matches; dfc v1 has no NULL, so this returns false then.
bool RegexpExtract(const std::string& s, const std::string& regex, int group, std::string* out);

// Flink's SPLIT_INDEX(s, sep, index): the index-th (0-based) piece of `s` split at `sep`. Flink
// returns NULL when there is no such piece; dfc v1 has no NULL, so this returns "" then (which a
// CSV sink writes as an empty field, as it would write NULL).
std::string SplitIndex(const std::string& s, char sep, int index);

}  // namespace nexmark_udf
