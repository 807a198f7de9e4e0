// Restart strategies (Flink's restart-strategy.* keys): after a task failure the job executable
// restarts the whole job in-process from the latest completed checkpoint, if the strategy allows.
//   none               fail at once (the default without checkpointing);
//   fixed-delay        restart-strategy.fixed-delay.attempts (default 1) times, waiting
//                      restart-strategy.fixed-delay.delay (default 1 s);
//   exponential-delay  the default with checkpointing: initial-backoff (1 s), x backoff-multiplier
//                      (1.5) per restart up to max-backoff (1 min), jitter-factor (0.1);
//                      attempts-before-reset-backoff (default unlimited) restarts in a row; the
//                      backoff resets after reset-backoff-threshold (1 h) without failure.
// Threading: used by the job master thread only.
#pragma once

#include <cstdint>
#include <string>

namespace dfc::rt {

class JobConfig;

class RestartStrategy {
 public:
  // Reads the keys (`checkpointing`: whether the default is exponential-delay). Returns "" or
  // the error naming the key.
  std::string Configure(const JobConfig& config, bool checkpointing);
  // After a failure at `now_ns` (steady clock) of an attempt that started at `attempt_start_ns`:
  // true and the delay before the restart, or false when the strategy gives up.
  bool NextRestart(int64_t attempt_start_ns, int64_t now_ns, int64_t* delay_ns);
  // "fixed-delay (attempts 3, delay 10 ms)" etc., for messages.
  std::string Describe() const;
  int restarts() const { return restarts_; }

 private:
  enum Kind { kNone, kFixed, kExponential } kind_ = kNone;
  int64_t attempts_ = 1;
  int64_t delay_ns_ = 1'000'000'000;
  int64_t initial_ns_ = 1'000'000'000, max_ns_ = 60'000'000'000;
  double multiplier_ = 1.5, jitter_ = 0.1;
  int64_t reset_threshold_ns_ = 3'600'000'000'000;
  int64_t current_ns_ = 0;
  int64_t in_a_row_ = 0;
  int restarts_ = 0;
  uint64_t rng_ = 0x9e3779b97f4a7c15ULL;
};

}  // namespace dfc::rt
