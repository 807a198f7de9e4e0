// The context a `process` / `co_process` UDF receives (Flink's KeyedProcessFunction.Context and
// OnTimerContext): the record's timestamp, the current key, the operator's declared states and
// its timer service.
//
//   "fn": "[](const Event& e, auto& ctx, dfc::Collector<Out>& out) {
//            auto& n = ctx.state.count;                 // the node's \"state\" declarations
//            n.update(n.value_or(0) + 1);
//            ctx.register_event_time_timer(ctx.timestamp() + 60000);
//          }",
//   "on_timer": "[](int64_t time, auto& ctx, dfc::Collector<Out>& out) { ... }"
//
// Outputs of fn carry the input record's timestamp; outputs of an event-time timer carry the
// timer's time, outputs of a processing-time timer carry none (Flink's rules).
#pragma once

#include <cstdint>

#include "dfc/state.h"
#include "dfc/stream.h"

namespace dfc::rt {

enum class TimeDomain : uint8_t { kEventTime, kProcessingTime };

template <class K, class States>
class KeyedProcessContext {
 public:
  KeyedProcessContext(KeyedBackend<K>& backend, TimerService<K>& timers, States& states)
      : state(states), backend_(backend), timers_(timers) {}

  // The states declared in the node's "state", one member per name.
  States& state;

  // The event timestamp of the record (or the time of the firing timer); kNoTimestamp if none.
  int64_t timestamp() const { return ts_; }
  bool has_timestamp() const { return ts_ != kNoTimestamp; }
  const K& current_key() const { return backend_.current_key(); }
  int64_t current_watermark() const { return timers_.current_watermark(); }
  int64_t current_processing_time() const { return timers_.current_processing_time(); }

  // Timers of the current key, de-duplicated per time.
  void register_event_time_timer(int64_t time) { timers_.RegisterEventTimeTimer(time); }
  void delete_event_time_timer(int64_t time) { timers_.DeleteEventTimeTimer(time); }
  void register_processing_time_timer(int64_t time) { timers_.RegisterProcessingTimeTimer(time); }
  void delete_processing_time_timer(int64_t time) { timers_.DeleteProcessingTimeTimer(time); }

  // In on_timer: which clock fired it.
  TimeDomain time_domain() const { return domain_; }

  // ---- set by the generated operator ----
  void SetRecord(int64_t ts) {
    ts_ = ts;
    domain_ = TimeDomain::kEventTime;
  }
  void SetTimer(int64_t time, TimeDomain d) {
    ts_ = time;
    domain_ = d;
  }

 private:
  KeyedBackend<K>& backend_;
  TimerService<K>& timers_;
  int64_t ts_ = kNoTimestamp;
  TimeDomain domain_ = TimeDomain::kEventTime;
};

}  // namespace dfc::rt
