// Joins of two keyed inputs, Flink's semantics (/work/shared/design/SEMANTICS.md, "Joins"):
//
//   WindowJoinAcc   the accumulator that turns a window engine of dfc/window.h (PaneWindows for
//                   tumbling/sliding, SessionWindows) into a window join (Flink's JoinedStreams):
//                   both sides' rows of a key and window; when the window fires, every (left,
//                   right) pair is joined, left-major in arrival order; nothing when a side is
//                   empty; results carry window end - 1. Sliding windows keep each row once (in
//                   its pane), not once per window.
//   IntervalJoin    the event-time interval join (Flink's IntervalJoinOperator): l joins r iff
//                   l.ts + lower <= r.ts <= l.ts + upper (both bounds inclusive); the result carries
//                   max(l.ts, r.ts). A record is late iff its timestamp < the current watermark
//                   (the minimum over both inputs): it is dropped and counted in
//                   numLateRecordsDropped. A buffered row is kept only while a future row of the
//                   other side could still match it, and dropped when the watermark passes that
//                   point (left rows at ts + upper when upper > 0, else ts; right rows at
//                   ts - lower when lower < 0, else ts — Flink's cleanup times).
//
// Single-threaded: owned by one subtask of the generated chain. The buffers are the join's state
// interface: moving them onto keyed state backends does not change the callers.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/hash.h"
#include "dfc/metrics.h"
#include "dfc/operators.h"

namespace dfc::rt {

template <class L, class R>
struct WindowJoinAcc {
  std::vector<L> left;
  std::vector<R> right;
  void Merge(const WindowJoinAcc& o) {
    left.insert(left.end(), o.left.begin(), o.left.end());
    right.insert(right.end(), o.right.begin(), o.right.end());
  }
  // join(const L&, const R&) for every pair, left-major.
  template <class JoinFn>
  void ForEachPair(JoinFn&& join) const {
    for (const L& l : left)
      for (const R& r : right) join(l, r);
  }
};

template <class Key, class L, class R, class Hash = KeyHasher>
class IntervalJoin {
 public:
  // Requires lower <= upper (milliseconds; either may be negative).
  IntervalJoin(int64_t lower, int64_t upper, OperatorMetrics* metrics = nullptr)
      : lower_(lower), upper_(upper), metrics_(metrics) {}

  int64_t watermark() const { return wm_; }
  uint64_t late_dropped() const { return late_; }
  // Rows buffered on each side, over all keys.
  size_t buffered_left() const { return Count(left_); }
  size_t buffered_right() const { return Count(right_); }

  // A left row at `ts`: joined with the buffered right rows of `key` with ts + lower <= r.ts <=
  // ts + upper (in r.ts order) through emit(const L&, const R&, int64_t out_ts), then buffered.
  // Returns false (and counts it) when late.
  template <class EmitFn>
  bool AddLeft(const Key& key, int64_t ts, const L& row, EmitFn&& emit) {
    if (ts < wm_) return Late();
    if (auto k = right_.find(key); k != right_.end()) {
      for (auto it = k->second.lower_bound(Sat(ts, lower_)); it != k->second.end() && it->first <= Sat(ts, upper_); ++it)
        for (const R& r : it->second) emit(row, r, std::max(ts, it->first));
    }
    Buffer(left_, key, ts, row, upper_ > 0 ? Sat(ts, upper_) : ts, /*left=*/true);
    return true;
  }

  // A right row at `ts`: joined with the buffered left rows with ts - upper <= l.ts <= ts - lower.
  template <class EmitFn>
  bool AddRight(const Key& key, int64_t ts, const R& row, EmitFn&& emit) {
    if (ts < wm_) return Late();
    if (auto k = left_.find(key); k != left_.end()) {
      for (auto it = k->second.lower_bound(Sat(ts, -upper_)); it != k->second.end() && it->first <= Sat(ts, -lower_); ++it)
        for (const L& l : it->second) emit(l, row, std::max(ts, it->first));
    }
    Buffer(right_, key, ts, row, lower_ < 0 ? Sat(ts, -lower_) : ts, /*left=*/false);
    return true;
  }

  // Advances the watermark and drops the rows no future row can match.
  void OnWatermark(int64_t wm) {
    if (wm <= wm_) return;
    wm_ = wm;
    while (!cleanup_.empty() && cleanup_.begin()->first <= wm) {
      auto node = cleanup_.extract(cleanup_.begin());
      const Cleanup& c = node.mapped();
      if (c.left) Erase(left_, c.key, c.ts);
      else Erase(right_, c.key, c.ts);
    }
  }

 private:
  template <class T>
  using Side = std::unordered_map<Key, std::map<int64_t, std::vector<T>>, Hash>;
  struct Cleanup {
    Key key;
    int64_t ts;
    bool left;
  };

  static int64_t Sat(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
  }
  bool Late() {
    ++late_;
    if (metrics_) metrics_->late_records_dropped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  template <class T>
  void Buffer(Side<T>& side, const Key& key, int64_t ts, const T& row, int64_t cleanup_at, bool left) {
    auto& bucket = side[key][ts];
    if (bucket.empty()) cleanup_.emplace(cleanup_at, Cleanup{key, ts, left});  // one timer per (key, ts)
    bucket.push_back(row);
  }
  template <class T>
  static void Erase(Side<T>& side, const Key& key, int64_t ts) {
    auto k = side.find(key);
    if (k == side.end()) return;
    k->second.erase(ts);
    if (k->second.empty()) side.erase(k);
  }
  template <class T>
  static size_t Count(const Side<T>& side) {
    size_t n = 0;
    for (const auto& [k, m] : side)
      for (const auto& [t, v] : m) n += v.size();
    return n;
  }

  const int64_t lower_, upper_;
  OperatorMetrics* metrics_;
  int64_t wm_ = INT64_MIN;
  uint64_t late_ = 0;
  Side<L> left_;
  Side<R> right_;
  std::multimap<int64_t, Cleanup> cleanup_;  // cleanup time -> bucket
};

}  // namespace dfc::rt
