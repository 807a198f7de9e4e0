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
// Single-threaded: owned by one subtask of the generated chain. Checkpoints: a window join's
// state is its window engine's (dfc/window.h; WindowJoinAcc has a Serde); IntervalJoin registers
// its buffers with a KeyedStateBackend (Attach) like the window engines: entries key Serde(key)
// u8 side (0 left, 1 right) Serde(ts), value Serde(rows at ts); FinishRestore(watermark) takes the
// join's watermark at the snapshot back and re-plans the cleanup of every restored row.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/hash.h"
#include "dfc/metrics.h"
#include "dfc/operators.h"
#include "dfc/state.h"
#include "dfc/window.h"

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

template <class L, class R>
struct Serde<WindowJoinAcc<L, R>> {
  static constexpr bool kAvailable = kSerdeAvailable<L> && kSerdeAvailable<R>;
  static void Write(StateWriter& w, const WindowJoinAcc<L, R>& a) {
    Serde<std::vector<L>>::Write(w, a.left);
    Serde<std::vector<R>>::Write(w, a.right);
  }
  static void Read(StateReader& r, WindowJoinAcc<L, R>& a) {
    Serde<std::vector<L>>::Read(r, a.left);
    Serde<std::vector<R>>::Read(r, a.right);
  }
  static std::string Type() { return "JOIN<" + Serde<L>::Type() + "," + Serde<R>::Type() + ">"; }
};

template <class Key, class L, class R, class Hash = KeyHasher>
class IntervalJoin {
 public:
  // Requires lower <= upper (milliseconds; either may be negative).
  IntervalJoin(int64_t lower, int64_t upper, OperatorMetrics* metrics = nullptr)
      : lower_(lower), upper_(upper), metrics_(metrics), bucket_(BucketWidth(lower, upper)) {}

  int64_t watermark() const { return wm_; }
  uint64_t late_dropped() const { return late_; }
  // Rows buffered on each side (still able to match), over all keys.
  size_t buffered_left() const { return Count(left_, LeftLiveFrom()); }
  size_t buffered_right() const { return Count(right_, RightLiveFrom()); }

  // A left row at `ts`: joined with the buffered right rows of `key` with ts + lower <= r.ts <=
  // ts + upper (in r.ts order, then arrival order) through emit(const L&, const R&, int64_t
  // out_ts), then buffered. Returns false (and counts it) when late.
  template <class EmitFn>
  bool AddLeft(const Key& key, int64_t ts, const L& row, EmitFn&& emit) {
    if (ts < wm_) return Late();
    if (auto k = right_.find(key); k != right_.end()) {
      const Buf<R>& b = k->second;
      const int64_t hi = Sat(ts, upper_);
      for (auto it = b.LowerBound(std::max(Sat(ts, lower_), RightLiveFrom())); it != b.rows.end() && it->first <= hi; ++it)
        emit(row, it->second, std::max(ts, it->first));
    }
    Buffer(left_, key, ts, row, LeftCleanup(ts), true);
    return true;
  }

  // A right row at `ts`: joined with the buffered left rows with ts - upper <= l.ts <= ts - lower.
  template <class EmitFn>
  bool AddRight(const Key& key, int64_t ts, const R& row, EmitFn&& emit) {
    if (ts < wm_) return Late();
    if (auto k = left_.find(key); k != left_.end()) {
      const Buf<L>& b = k->second;
      const int64_t hi = Sat(ts, -lower_);
      for (auto it = b.LowerBound(std::max(Sat(ts, -upper_), LeftLiveFrom())); it != b.rows.end() && it->first <= hi; ++it)
        emit(it->second, row, std::max(ts, it->first));
    }
    Buffer(right_, key, ts, row, RightCleanup(ts), false);
    return true;
  }

  // Advances the watermark and drops the rows no future row can match: rows whose cleanup time
  // (see the top of this file) is <= the watermark are never joined again; their memory goes
  // when the watermark passes the end of their cleanup bucket.
  void OnWatermark(int64_t wm) {
    if (wm <= wm_) return;
    wm_ = wm;
    ++version_;
    while (!cleanup_.empty() && BucketEnd(cleanup_.begin()->first) <= wm) {
      auto node = cleanup_.extract(cleanup_.begin());
      for (const auto& [key, left] : node.mapped()) {
        if (left) Trim(left_, key, LeftLiveFrom());
        else Trim(right_, key, RightLiveFrom());
      }
    }
  }

  // ---- checkpoints (see the top of this file) ----
  void Attach(KeyedStateBackend& b, const std::string& name) {
    backend_ = &b;
    b.RegisterPart(std::make_unique<EngineStatePart<IntervalJoin>>(
        this, name, StateKind::kIntervalJoin,
        "INTERVAL<" + Serde<Key>::Type() + "," + Serde<L>::Type() + "," + Serde<R>::Type() + "," +
            std::to_string(lower_) + "/" + std::to_string(upper_) + ">"));
  }
  void FinishRestore(int64_t wm) {
    if (wm > wm_) wm_ = wm;
    cleanup_.clear();
    Replan(left_, true);
    Replan(right_, false);
  }
  void CollectKeyGroup(int, int kgi, KeyedStatePart::Entries* out) {
    CollectSide(left_, left_buckets_, 0, LeftLiveFrom(), kgi, out);
    CollectSide(right_, right_buckets_, 1, RightLiveFrom(), kgi, out);
  }
  void RestoreEntry(std::string_view key, std::string_view value) {
    ++version_;
    StateReader r(key);
    Key k{};
    int64_t ts = 0;
    Serde<Key>::Read(r, k);
    const uint8_t side = r.Byte();
    Serde<int64_t>::Read(r, ts);
    if (!r.done() || side > 1) StateReader::Corrupt();
    StateReader vr(value);
    if (side == 0) {
      RestoreRows(left_[k], ts, vr);
    } else {
      RestoreRows(right_[k], ts, vr);
    }
  }

 private:
  // One key's rows of one side: (ts, row) ascending by ts (arrival order within a ts), the first
  // `head` already dropped. Rows mostly arrive in time order: an append.
  template <class T>
  struct Buf {
    std::vector<std::pair<int64_t, T>> rows;
    size_t head = 0;
    int64_t last_bucket = INT64_MIN;  // the newest cleanup bucket this key is registered in
    auto LowerBound(int64_t ts) const {
      return std::lower_bound(rows.begin() + static_cast<std::ptrdiff_t>(head), rows.end(), ts,
                              [](const std::pair<int64_t, T>& e, int64_t t) { return e.first < t; });
    }
  };
  template <class T>
  using Side = std::unordered_map<Key, Buf<T>, Hash>;

  // Cleanup buckets: a key is registered once per bucket of cleanup times it has rows in (not once
  // per row or timestamp); when the watermark passes a bucket's end its keys drop their dead rows.
  static int64_t BucketWidth(int64_t lower, int64_t upper) {
    const int64_t span = upper - lower;
    return std::clamp<int64_t>(span / 8, 1, 1024);
  }
  int64_t BucketOf(int64_t t) const {
    const int64_t q = t / bucket_;
    return (t % bucket_ != 0 && t < 0) ? q - 1 : q;
  }
  int64_t BucketEnd(int64_t b) const {  // the last time of bucket b
    int64_t r = 0;
    if (__builtin_mul_overflow(b, bucket_, &r) || __builtin_add_overflow(r, bucket_ - 1, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
  }

  static int64_t Sat(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
  }
  // Cleanup times (Flink's): a left row can match until the watermark passes ts + upper (upper >
  // 0) or ts; a right row until ts - lower (lower < 0) or ts.
  int64_t LeftCleanup(int64_t ts) const { return upper_ > 0 ? Sat(ts, upper_) : ts; }
  int64_t RightCleanup(int64_t ts) const { return lower_ < 0 ? Sat(ts, -lower_) : ts; }
  // The smallest timestamp of a row whose cleanup time is still ahead of the watermark.
  int64_t LeftLiveFrom() const { return wm_ == INT64_MIN ? INT64_MIN : Sat(Sat(wm_, upper_ > 0 ? -upper_ : 0), 1); }
  int64_t RightLiveFrom() const { return wm_ == INT64_MIN ? INT64_MIN : Sat(Sat(wm_, lower_ < 0 ? lower_ : 0), 1); }

  bool Late() {
    ++late_;
    if (metrics_) metrics_->late_records_dropped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  template <class T>
  void Register(Buf<T>& b, const Key& key, int64_t cleanup_at, bool left) {
    const int64_t bucket = BucketOf(cleanup_at);
    if (bucket == b.last_bucket) return;
    cleanup_[bucket].emplace_back(key, left);
    if (bucket > b.last_bucket) b.last_bucket = bucket;
  }
  template <class T>
  void Buffer(Side<T>& side, const Key& key, int64_t ts, const T& row, int64_t cleanup_at, bool left) {
    ++version_;
    Buf<T>& b = side[key];
    if (b.rows.empty() || b.rows.back().first <= ts) {
      b.rows.emplace_back(ts, row);
    } else {  // out of order: after the rows of the same timestamp
      auto it = std::upper_bound(b.rows.begin() + static_cast<std::ptrdiff_t>(b.head), b.rows.end(), ts,
                                 [](int64_t t, const std::pair<int64_t, T>& e) { return t < e.first; });
      b.rows.emplace(it, ts, row);
    }
    Register(b, key, cleanup_at, left);
  }
  template <class T>
  void Trim(Side<T>& side, const Key& key, int64_t live_from) {
    auto k = side.find(key);
    if (k == side.end()) return;
    Buf<T>& b = k->second;
    while (b.head < b.rows.size() && b.rows[b.head].first < live_from) ++b.head;
    if (b.head == b.rows.size()) {
      side.erase(k);
    } else if (b.head >= 16 && b.head * 2 >= b.rows.size()) {
      b.rows.erase(b.rows.begin(), b.rows.begin() + static_cast<std::ptrdiff_t>(b.head));
      b.head = 0;
    }
  }
  template <class T>
  void Replan(Side<T>& side, bool left) {
    for (auto& [key, b] : side) {
      b.last_bucket = INT64_MIN;
      for (size_t i = b.head; i < b.rows.size(); ++i)
        Register(b, key, left ? LeftCleanup(b.rows[i].first) : RightCleanup(b.rows[i].first), left);
    }
  }
  template <class T>
  void RestoreRows(Buf<T>& b, int64_t ts, StateReader& vr) {
    std::vector<T> rows;
    Serde<std::vector<T>>::Read(vr, rows);
    auto it = std::upper_bound(b.rows.begin() + static_cast<std::ptrdiff_t>(b.head), b.rows.end(), ts,
                               [](int64_t t, const std::pair<int64_t, T>& e) { return t < e.first; });
    std::vector<std::pair<int64_t, T>> add;
    add.reserve(rows.size());
    for (T& r : rows) add.emplace_back(ts, std::move(r));
    b.rows.insert(it, std::make_move_iterator(add.begin()), std::make_move_iterator(add.end()));
  }
  // Entries: one per key, side and timestamp (the rows at that timestamp in arrival order).
  template <class T>
  void CollectSide(const Side<T>& side, KeyGroupBuckets<Side<T>>& buckets, uint8_t tag, int64_t live_from, int kgi,
                   KeyedStatePart::Entries* out) {
    for (const auto* e : buckets.Get(side, *backend_, kgi, version_)) {
      const Buf<T>& b = e->second;
      for (auto it = b.LowerBound(live_from); it != b.rows.end();) {
        const int64_t ts = it->first;
        std::string k, v;
        StateWriter w(&k);
        Serde<Key>::Write(w, e->first);
        w.Byte(tag);
        Serde<int64_t>::Write(w, ts);
        auto end = it;
        while (end != b.rows.end() && end->first == ts) ++end;
        StateWriter vw(&v);
        vw.Varint(static_cast<uint64_t>(end - it));
        for (; it != end; ++it) Serde<T>::Write(vw, it->second);
        out->emplace_back(std::move(k), std::move(v));
      }
    }
  }
  template <class T>
  static size_t Count(const Side<T>& side, int64_t live_from) {
    size_t n = 0;
    for (const auto& [k, b] : side) n += static_cast<size_t>(b.rows.end() - b.LowerBound(live_from));
    return n;
  }

  const int64_t lower_, upper_;
  OperatorMetrics* metrics_;
  const int64_t bucket_;
  int64_t wm_ = INT64_MIN;
  uint64_t late_ = 0;
  Side<L> left_;
  Side<R> right_;
  std::map<int64_t, std::vector<std::pair<Key, bool>>> cleanup_;  // bucket -> (key, left side)
  KeyedStateBackend* backend_ = nullptr;                          // Attach()
  uint64_t version_ = 0;                                          // bumped by every change
  KeyGroupBuckets<Side<L>> left_buckets_;
  KeyGroupBuckets<Side<R>> right_buckets_;
};

}  // namespace dfc::rt
