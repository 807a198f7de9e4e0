#include "runtime/src/restart_strategy.h"

#include <algorithm>
#include <cstdlib>

#include "runtime/src/job_runtime.h"

namespace dfc::rt {

std::string RestartStrategy::Configure(const JobConfig& config, bool checkpointing) {
  std::string type = config.Get("restart-strategy.type", config.Get("restart-strategy", ""));
  if (type.empty()) type = checkpointing ? "exponential-delay" : "none";
  auto duration = [&](const char* key, int64_t* ns) -> std::string {
    if (!config.Has(key)) return "";
    const std::string v = config.Get(key, "");
    if (!ParseDuration(v, ns)) return std::string(key) + " must be a duration such as '1 s', got '" + v + "'";
    return "";
  };
  auto integer = [&](const char* key, int64_t* out) -> std::string {
    if (!config.Has(key)) return "";
    const std::string v = config.Get(key, "");
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || x < 0) return std::string(key) + " must be a non-negative integer, got '" + v + "'";
    *out = x;
    return "";
  };
  auto number = [&](const char* key, double* out) -> std::string {
    if (!config.Has(key)) return "";
    const std::string v = config.Get(key, "");
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !(x >= 0)) return std::string(key) + " must be a non-negative number, got '" + v + "'";
    *out = x;
    return "";
  };
  if (type == "none" || type == "off" || type == "disable") {
    kind_ = kNone;
  } else if (type == "fixed-delay" || type == "fixeddelay") {
    kind_ = kFixed;
    if (auto e = integer("restart-strategy.fixed-delay.attempts", &attempts_); !e.empty()) return e;
    if (auto e = duration("restart-strategy.fixed-delay.delay", &delay_ns_); !e.empty()) return e;
  } else if (type == "exponential-delay" || type == "exponentialdelay") {
    kind_ = kExponential;
    attempts_ = -1;  // unlimited
    if (auto e = duration("restart-strategy.exponential-delay.initial-backoff", &initial_ns_); !e.empty()) return e;
    if (auto e = duration("restart-strategy.exponential-delay.max-backoff", &max_ns_); !e.empty()) return e;
    if (auto e = number("restart-strategy.exponential-delay.backoff-multiplier", &multiplier_); !e.empty()) return e;
    if (auto e = number("restart-strategy.exponential-delay.jitter-factor", &jitter_); !e.empty()) return e;
    if (auto e = duration("restart-strategy.exponential-delay.reset-backoff-threshold", &reset_threshold_ns_);
        !e.empty()) {
      return e;
    }
    if (auto e = integer("restart-strategy.exponential-delay.attempts-before-reset-backoff", &attempts_); !e.empty())
      return e;
  } else {
    return "restart-strategy.type '" + type + "' is not supported (none, fixed-delay, exponential-delay)";
  }
  return "";
}

bool RestartStrategy::NextRestart(int64_t attempt_start_ns, int64_t now_ns, int64_t* delay_ns) {
  switch (kind_) {
    case kNone:
      return false;
    case kFixed:
      if (restarts_ >= attempts_) return false;
      *delay_ns = delay_ns_;
      break;
    case kExponential: {
      if (now_ns - attempt_start_ns >= reset_threshold_ns_) {
        current_ns_ = 0;
        in_a_row_ = 0;
      }
      if (attempts_ >= 0 && in_a_row_ >= attempts_) return false;
      current_ns_ = current_ns_ == 0
                        ? initial_ns_
                        : std::min<int64_t>(max_ns_, static_cast<int64_t>(current_ns_ * multiplier_));
      rng_ = rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
      const double u = static_cast<double>(rng_ >> 11) / 9007199254740992.0;  // [0, 1)
      *delay_ns = static_cast<int64_t>(current_ns_ * (1.0 + jitter_ * (2 * u - 1)));
      ++in_a_row_;
      break;
    }
  }
  ++restarts_;
  return true;
}

std::string RestartStrategy::Describe() const {
  switch (kind_) {
    case kNone: return "none";
    case kFixed: return "fixed-delay, attempts " + std::to_string(attempts_);
    case kExponential:
      return attempts_ < 0 ? std::string("exponential-delay")
                           : "exponential-delay, attempts-before-reset-backoff " + std::to_string(attempts_);
  }
  return "";
}

}  // namespace dfc::rt
