#include "nexmark_udfs.h"

#include <regex>
#include <unordered_map>

namespace nexmark_udf {

int64_t CountChar(const std::string& s, char c) {
  int64_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

bool RegexpExtract(const std::string& s, const std::string& regex, int group, std::string* out) {
  // Java's Pattern and ECMAScript agree on the patterns the queries use; compiled once per pattern
  // (per thread: std::regex is not shared between subtasks).
  thread_local std::unordered_map<std::string, std::regex> cache;
  auto it = cache.find(regex);
  if (it == cache.end()) it = cache.emplace(regex, std::regex(regex, std::regex::ECMAScript)).first;
  std::smatch m;
  if (!std::regex_search(s, m, it->second) || group >= static_cast<int>(m.size()) || !m[group].matched) return false;
  *out = m[group].str();
  return true;
}

std::string SplitIndex(const std::string& s, char sep, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) {
    start = s.find(sep, start);
    if (start == std::string::npos) return "";
    ++start;
  }
  const size_t end = s.find(sep, start);
  return s.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace nexmark_udf
