// Small inline helpers that generated chains use: the source loop's bookkeeping, the rate
// limiter, the blackhole sink and the hasher of keyed state maps.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <tuple>

#include "dfc/hash.h"
#include "dfc/task.h"

namespace dfc::rt {

// Hashes keyed-state keys (single values or tuples of them) with dfc's stable hash.
struct KeyHasher {
  size_t operator()(const std::string& v) const { return HashValue(v); }
  size_t operator()(int64_t v) const { return HashValue(v); }
  size_t operator()(int32_t v) const { return HashValue(v); }
  size_t operator()(bool v) const { return HashValue(v); }
  size_t operator()(double v) const { return HashValue(v); }
  template <class... Ts>
  size_t operator()(const std::tuple<Ts...>& t) const {
    uint64_t h = 0;
    std::apply([&](const auto&... x) { ((h = HashCombine(h, HashValue(x))), ...); }, t);
    return h;
  }
};

// Consumes a value without letting the optimizer drop the work that produced it.
template <class T>
inline void Blackhole(const T& v) {
  asm volatile("" : : "r"(&v) : "memory");
}

// Bookkeeping of a source's loop: Continue() is false once the job is cancelled (checked every
// kCheckEvery records, the flag is an atomic load); Step() is true every kCheckEvery records, when
// the source publishes metrics and flushes on timeout.
class SourceLoop {
 public:
  static constexpr uint32_t kCheckEvery = 256;
  explicit SourceLoop(TaskContext& ctx) : ctx_(ctx) {}
  // Also the point where a source takes checkpoint triggers: its state must then describe
  // exactly the records emitted so far.
  bool Continue() {
    if ((n_ & (kCheckEvery - 1)) == 0) {
      if (ctx_.cancelled()) return false;
      if (ctx_.control_pending()) ctx_.HandleControl();
      if (ctx_.draining()) {  // stop-with-savepoint --drain: nothing after the final barrier
        ctx_.WaitWhileDraining();
        return false;
      }
    }
    return true;
  }
  bool Step() { return (++n_ & (kCheckEvery - 1)) == 0; }

 private:
  TaskContext& ctx_;
  uint32_t n_ = 0;
};

// Paces a source to `rate` records per second for the whole job (each subtask takes its share).
// Acquire() sleeps when the source is ahead; `before_sleep` runs first (publish, flush), so
// records never wait in a buffer while the source sleeps. rate <= 0 = unlimited; fractional
// rates (0.5 = one record every 2 s) are paced too.
class RateLimiter {
 public:
  RateLimiter(TaskContext& ctx, double rate)
      : ctx_(ctx), per_subtask_(rate > 0 ? rate / ctx.parallelism() : 0) {}

  template <class F>
  bool Acquire(F&& before_sleep) {
    return Acquire(before_sleep, [] {});
  }
  // Also calls `while_waiting` after each slice of sleep (so a source can notice it is idle).
  template <class F, class W>
  bool Acquire(F&& before_sleep, W&& while_waiting) {
    if (per_subtask_ <= 0) return false;
    const int64_t now = ctx_.clock()->NowNanos();
    if (start_ns_ < 0) start_ns_ = now;
    ++emitted_;
    const double wait_ns = static_cast<double>(emitted_) * 1e9 / per_subtask_;
    const int64_t due = wait_ns >= static_cast<double>(INT64_MAX - start_ns_) - 1e6
                            ? INT64_MAX
                            : start_ns_ + static_cast<int64_t>(wait_ns);
    if (due <= now) return false;
    before_sleep();
    // Between two records: a slow source takes checkpoint triggers here too.
    if (ctx_.control_pending()) ctx_.HandleControl();
    // Sleep in slices so a cancelled job stops promptly.
    int64_t t = now;
    while (t < due && !ctx_.cancelled()) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<int64_t>(due - t, 50'000'000)));
      t = ctx_.clock()->NowNanos();
      // Still between the same two records: checkpoint triggers, and consumers served on this
      // thread whose processing-time timers are due (runtime chaining).
      if (ctx_.control_pending()) ctx_.HandleControl();
      while_waiting();
    }
    return true;
  }

 private:
  TaskContext& ctx_;
  double per_subtask_;
  int64_t start_ns_ = -1;
  int64_t emitted_ = 0;
};

}  // namespace dfc::rt
