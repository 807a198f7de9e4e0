// Event-time window aggregation (tumbling and sliding), Flink's window semantics
// (WindowOperator, TimeWindow.getWindowStartWithOffset; see /work/shared/design/SEMANTICS.md):
//   - windows are [start, end); start = floor((t - offset) / slide) * slide + offset (also for
//     negative t); a record of time t belongs to the windows starting at start(t) down to > t - size;
//   - a window fires when the watermark >= end - 1, in ascending end order, one result per key;
//     empty windows emit nothing; results carry the timestamp end - 1;
//   - lateness (allowed lateness 0) is judged per window: a record is added to the windows whose
//     end - 1 > watermark; it is dropped and counted (numLateRecordsDropped) only if none is left.
// State is incremental and shared between overlapping sliding windows: one accumulator per (key,
// pane), panes of gcd(size, slide); a window's result merges its size/pane panes at fire time, so
// a record costs one accumulator update whatever size/slide is.
//
//   Acc: default-constructible, with void Merge(const Acc&). The generated code adds a record to
//   the Acc& that Add() hands it.
#pragma once

#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/hash.h"
#include "dfc/metrics.h"
#include "dfc/operators.h"

namespace dfc::rt {

// Flink's TimeWindow.getWindowStartWithOffset (floor semantics, FLINK-26334).
inline int64_t WindowStart(int64_t t, int64_t offset, int64_t size) {
  const int64_t r = (t - offset) % size;
  return r < 0 ? t - (r + size) : t - r;
}

template <class Key, class Acc, class Hash = KeyHasher>
class WindowAggregator {
 public:
  // Tumbling: slide == size. Requires size > 0, slide > 0, |offset| < slide.
  WindowAggregator(int64_t size, int64_t slide, int64_t offset, OperatorMetrics* metrics = nullptr)
      : size_(size), slide_(slide), offset_(offset), pane_(std::gcd(size, slide)), metrics_(metrics) {}

  int64_t watermark() const { return wm_; }
  uint64_t late_dropped() const { return late_; }
  size_t pending_windows() const { return ends_.size(); }

  // Adds a record of event time `t` for `key`: add(Acc&) updates the key's pane accumulator.
  // Returns false (and counts it) when every window of t has already fired.
  template <class AddFn>
  bool Add(const Key& key, int64_t t, AddFn&& add) {
    const int64_t last_start = WindowStart(t, offset_, slide_);
    if (last_start + size_ - 1 <= wm_) {
      ++late_;
      if (metrics_) metrics_->late_records_dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    const int64_t ps = WindowStart(t, offset_, pane_);
    auto [it, fresh] = panes_.try_emplace(ps);
    if (fresh) {
      // Register the windows this pane belongs to that can still fire (once per pane).
      for (int64_t ws = WindowStart(ps, offset_, slide_); ws > ps - size_; ws -= slide_) {
        if (ws + size_ - 1 > wm_) ends_.insert(ws + size_);
      }
    }
    add(it->second[key]);
    return true;
  }

  // Advances the watermark; fires every window with end - 1 <= wm in ascending end order:
  // emit(const Key&, int64_t window_start, int64_t window_end, const Acc&) once per key with data.
  template <class EmitFn>
  void OnWatermark(int64_t wm, EmitFn&& emit) {
    if (wm <= wm_) return;
    wm_ = wm;
    while (!ends_.empty() && *ends_.begin() - 1 <= wm) {
      const int64_t end = *ends_.begin();
      ends_.erase(ends_.begin());
      Fire(end - size_, end, emit);
    }
    // Drop panes whose last window has fired.
    while (!panes_.empty()) {
      const int64_t ps = panes_.begin()->first;
      if (WindowStart(ps, offset_, slide_) + size_ - 1 > wm_) break;
      panes_.erase(panes_.begin());
    }
  }

 private:
  template <class EmitFn>
  void Fire(int64_t start, int64_t end, EmitFn& emit) {
    auto first = panes_.lower_bound(start);
    auto last = panes_.lower_bound(end);
    if (first == last) return;
    if (std::next(first) == last) {  // tumbling, or a single pane with data: no merge needed
      for (const auto& [key, acc] : first->second) emit(key, start, end, acc);
      return;
    }
    merged_.clear();
    order_.clear();
    for (auto p = first; p != last; ++p) {
      for (const auto& [key, acc] : p->second) {
        auto [m, fresh] = merged_.try_emplace(key);
        if (fresh) order_.push_back(&m->first);
        m->second.Merge(acc);
      }
    }
    for (const Key* k : order_) emit(*k, start, end, merged_.find(*k)->second);
  }

  const int64_t size_, slide_, offset_, pane_;
  OperatorMetrics* metrics_;
  int64_t wm_ = INT64_MIN;
  uint64_t late_ = 0;
  std::map<int64_t, std::unordered_map<Key, Acc, Hash>> panes_;  // pane start -> key -> acc
  std::set<int64_t> ends_;                                        // ends of windows still to fire
  std::unordered_map<Key, Acc, Hash> merged_;                     // scratch for Fire
  std::vector<const Key*> order_;
};

}  // namespace dfc::rt
