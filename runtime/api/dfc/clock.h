// Processing time. Everything in the runtime that reads the wall clock does so through a Clock,
// so tests substitute a FakeClock and drive timers and buffer timeouts deterministically.
#pragma once

#include <atomic>
#include <cstdint>

namespace dfc::rt {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNanos() const = 0;  // monotonic, for durations and timeouts
  virtual int64_t NowMillis() const = 0; // epoch milliseconds, for processing-time semantics
};

// The real clock (steady_clock for NowNanos, system_clock for NowMillis).
Clock* SystemClock();

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis = 0) : millis_(start_millis) {}
  int64_t NowNanos() const override { return millis_.load() * 1'000'000; }
  int64_t NowMillis() const override { return millis_.load(); }
  void Advance(int64_t millis) { millis_.fetch_add(millis); }
  void Set(int64_t millis) { millis_.store(millis); }

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace dfc::rt
