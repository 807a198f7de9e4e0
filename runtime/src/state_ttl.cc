// The non-template part of dfc/state_ttl.h: durations of the configuration (table.exec.state.ttl).
#include "dfc/state_ttl.h"

#include <stdexcept>
#include <string>

#include "runtime/src/job_runtime.h"

namespace dfc::rt {

int64_t ConfigDurationMillis(const TaskContext& ctx, std::string_view key, int64_t def) {
  const std::string text = ctx.Config(key, "");
  if (text.empty()) return def;
  // Flink's durations: ParseDuration's units plus hours and days.
  std::string_view t = text;
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  int64_t mult_ms = 0;
  for (const auto& [unit, ms] : {std::pair<std::string_view, int64_t>{"hours", 3600000}, {"hour", 3600000},
                                 {"h", 3600000}, {"days", 86400000}, {"day", 86400000}, {"d", 86400000}}) {
    if (t.size() > unit.size() && t.substr(t.size() - unit.size()) == unit &&
        (t[t.size() - unit.size() - 1] == ' ' ||
         (t[t.size() - unit.size() - 1] >= '0' && t[t.size() - unit.size() - 1] <= '9'))) {
      mult_ms = ms;
      t.remove_suffix(unit.size());
      break;
    }
  }
  int64_t nanos = 0;
  if (mult_ms > 0) {
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    bool digits = !t.empty();
    for (char c : t) digits = digits && c >= '0' && c <= '9';
    int64_t n = 0;
    if (digits && t.size() <= 12) {
      for (char c : t) n = n * 10 + (c - '0');
      return n * mult_ms;
    }
  } else if (ParseDuration(text, &nanos)) {
    return nanos / 1'000'000;
  }
  throw std::invalid_argument(std::string(key) + " must be a duration such as '1 h', '90 s' or '500 ms', got '" +
                              text + "'");
}

}  // namespace dfc::rt
