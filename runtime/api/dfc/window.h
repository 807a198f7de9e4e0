// Window operators' state machines, Flink's window semantics (WindowOperator, TimeWindow,
// MergingWindowSet, EventTimeTrigger, CountTrigger; /work/shared/design/SEMANTICS.md):
//   - time windows are [start, end); start = floor((t - offset) / slide) * slide + offset (also
//     for negative t); a window fires when the watermark (or, for processing-time windows, the
//     clock) reaches end - 1, in ascending end order, one result per key with data; empty windows
//     emit nothing; results carry the timestamp end - 1 (the generated code stamps them);
//   - allowed lateness L is judged per window: a record is added to the windows whose
//     end - 1 + L > watermark; a window that already fired and takes a record fires again at once
//     with its whole updated contents (a late firing); a window's state is dropped once
//     end - 1 + L <= watermark. A record that no window took counts as late iff t + L <= watermark
//     (AddResult::kLate: the caller sends it to the side output, or it is counted in
//     numLateRecordsDropped when the window has none).
//
// Three engines, one accumulator concept:
//   PaneWindows     tumbling and sliding windows (event or processing time). State is incremental
//                   and shared between overlapping windows: one accumulator per (key, pane), panes
//                   of gcd(size, slide); a window's result merges its size/pane panes when it
//                   fires, so a record costs one accumulator update whatever size/slide is.
//   SessionWindows  merging windows (gap g): a record opens [t, t + g); windows of a key that
//                   overlap or touch merge, accumulators included; one timer per window.
//   CountWindows    the global window with a count trigger: fires a key's window when its count
//                   reaches n, then resets the count (and, purging, the contents).
//
//   Acc: default-constructible, with void Merge(const Acc&) that folds another accumulator of
//   the same key into this one (a later one: Merge is called in time order). The generated code
//   adds a record to the Acc& that Add() hands it: SQL aggregates keep one value per aggregate,
//   reduce keeps the reduced row, process keeps the rows.
//
// State lives in these objects (one per operator instance and subtask, owned by the generated
// chain; single-threaded), in layouts made for their access patterns (a hash map per key with the
// panes inline; one set of window ends shared by all keys). With the rocksdb backend PaneWindows
// holds its panes in RocksDB behind a bounded cache of partial accumulators (Attach;
// dfc/window_store.h); SessionWindows and CountWindows stay in memory. Checkpoints reach it through the
// keyed-state snapshot contract (dfc/state.h): Attach(backend, name) registers the engine as a
// part of a KeyedStateBackend, which then snapshots it by key group (one entry per key and
// pane / session window / count window, in the canonical entry encoding: Serde(key) first) and
// restores it at any parallelism; FinishRestore(watermark) then rebuilds what is derived from
// the entries — the window ends (timers) still to fire, judged against the operator's
// watermark at the snapshot, which the caller keeps as operator state: windows that fired
// before the snapshot do not fire again, pending ones do.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/dense_map.h"
#include "dfc/hash.h"
#include "dfc/metrics.h"
#include "dfc/operators.h"
#include "dfc/state.h"
#include "dfc/window_bounds.h"
#include "dfc/window_store.h"


namespace dfc::rt {

// Flink's TimeWindow.getWindowStartWithOffset (floor semantics, FLINK-26334).
inline int64_t WindowStart(int64_t t, int64_t offset, int64_t size) {
  const int64_t r = (t - offset) % size;
  return r < 0 ? t - (r + size) : t - r;
}

// What Add() did with a record.
enum class AddResult {
  kAdded,    // at least one window took it
  kLate,     // no window took it and t + lateness <= watermark: side output or numLateRecordsDropped
  kSkipped,  // in no window but not late (a gap between sliding windows): dropped silently, as Flink
};

// end - 1 + lateness without overflow (lateness is never negative).
inline int64_t CleanupTime(int64_t end, int64_t lateness) {
  return end - 1 > INT64_MAX - lateness ? INT64_MAX : end - 1 + lateness;
}

// ---- snapshot support shared by the engines (window.h, join.h) ----

// A KeyedStatePart forwarding to an engine's CollectKeyGroup / RestoreEntry.
template <class Engine>
class EngineStatePart final : public KeyedStatePart {
 public:
  EngineStatePart(Engine* e, std::string name, StateKind kind, std::string type)
      : KeyedStatePart(std::move(name), kind, std::move(type)), e_(e) {}
  void Collect(int kg, int kgi, Entries* out) override { e_->CollectKeyGroup(kg, kgi, out); }
  void RestoreEntry(int kg, int, std::string_view key, std::string_view value) override {
    if constexpr (requires { e_->RestoreEntry(kg, key, value); }) {
      e_->RestoreEntry(kg, key, value);
    } else {
      e_->RestoreEntry(key, value);
    }
  }

 private:
  Engine* e_;
};

// An engine's keys bucketed by key group of its backend's range, rebuilt when the engine changed
// since (once per snapshot, not once per key group).
template <class Map>
class KeyGroupBuckets {
 public:
  using Item = const typename Map::value_type*;
  const std::vector<Item>& Get(const Map& m, const KeyedStateBackend& b, int kgi, uint64_t version) {
    const size_t n = static_cast<size_t>(b.range().size());
    if (version != version_ || buckets_.size() != n) {
      buckets_.assign(n, {});
      for (const auto& e : m)
        buckets_[static_cast<size_t>(KeyGroupFor(KeyGroupHash(e.first), b.max_parallelism()) - b.range().start)]
            .push_back(&e);
      version_ = version;
    }
    return buckets_[static_cast<size_t>(kgi)];
  }

 private:
  std::vector<std::vector<Item>> buckets_;
  uint64_t version_ = ~0ULL;
};

// Whether T has a working Serde (the engines hold in RocksDB only accumulators that have one; a
// test's may not): a specialization says so through kAvailable or by existing; the primary
// template needs the dfc_serde_* functions.
template <class T>
inline constexpr bool kSerdeAvailable = [] {
  if constexpr (requires { Serde<T>::kAvailable; }) {
    return Serde<T>::kAvailable;
  } else if constexpr (requires { typename Serde<T>::Adl; }) {
    return requires(StateWriter& w, StateReader& r, const T& a, T& b) {
      dfc_serde_write(w, a);
      dfc_serde_read(r, b);
    };
  } else {
    return true;
  }
}();

// Common options of the time-window engines.
struct WindowOptions {
  int64_t allowed_lateness = 0;    // ms, >= 0
  bool late_side_output = false;   // late records go to a side output (else they are counted)
  OperatorMetrics* metrics = nullptr;
};

template <class Key, class Acc, class Hash = KeyHasher>
class PaneWindows {
 public:
  // Tumbling: slide == size. Requires size > 0, slide > 0, |offset| < slide.
  PaneWindows(int64_t size, int64_t slide, int64_t offset, WindowOptions options = {})
      : size_(size), slide_(slide), offset_(offset), pane_(std::gcd(size, slide)), opt_(options) {}
  PaneWindows(int64_t size, int64_t slide, int64_t offset, OperatorMetrics* metrics)
      : PaneWindows(size, slide, offset, WindowOptions{0, false, metrics}) {}

  int64_t watermark() const { return wm_; }
  uint64_t late_dropped() const { return late_; }
  size_t pending_windows() const { return ends_.size(); }
  // Keys in memory (with rocksdb: in the write-back cache, at most cache-entries).
  size_t cached_keys() const { return keys_.size(); }
  // The RocksDB-held part (rocksdb backend, after Attach), else nullptr.
  const WindowStore* store() const { return store_.get(); }
  // (key, pane) accumulators held in memory.
  size_t num_panes() const {
    size_t n = 0;
    for (const auto& [k, panes] : keys_) panes.ForEach([&](int64_t, const Acc&) { ++n; });
    return n;
  }

  // Adds a record of time `t` for `key`: add(Acc&) updates the key's pane accumulator. A window
  // that already fired and is still within its allowed lateness fires again at once through
  // emit(key, start, end, acc) (latest window first, Flink's assigner order).
  template <class AddFn, class EmitFn>
  AddResult Add(const Key& key, int64_t t, AddFn&& add, EmitFn&& emit) {
    const int64_t last_start = WindowStart(t, offset_, slide_);
    if (last_start + size_ <= t) return Reject(t);  // t falls between windows (size < slide)
    if (CleanupTime(last_start + size_, opt_.allowed_lateness) <= wm_) return Reject(t);
    const int64_t ps = WindowStart(t, offset_, pane_);
    if (ps != last_pane_ && registered_.insert(ps).second) {
      // Register the windows of this pane that have not fired yet (once per pane).
      for (int64_t ws = WindowStart(ps, offset_, slide_); ws > ps - size_; ws -= slide_) {
        if (ws + size_ - 1 > wm_) ends_.insert(ws + size_);
      }
    }
    last_pane_ = ps;
    ++version_;
    if constexpr (kStorable) {
      if (store_ && keys_.size() >= store_->cache_capacity()) Spill();
    }
    Panes& panes = keys_[key];
    add(panes.Get(ps));
    if (opt_.allowed_lateness > 0) {
      for (int64_t ws = last_start; ws > t - size_; ws -= slide_) {
        const int64_t end = ws + size_;
        if (end - 1 <= wm_ && CleanupTime(end, opt_.allowed_lateness) > wm_) {
          if constexpr (kStorable) {
            if (store_ && AnySpilled(ws, end)) {
              FireKeyStored(key, panes, ws, end, emit);
              continue;
            }
          }
          FireKey(key, panes, ws, end, emit);
        }
      }
    }
    return AddResult::kAdded;
  }
  // Without allowed lateness no window can fire from Add().
  template <class AddFn>
  AddResult Add(const Key& key, int64_t t, AddFn&& add) {
    return Add(key, t, add, [](const Key&, int64_t, int64_t, const Acc&) {});
  }

  // ---- checkpoints (see the top of this file) ----
  // Registers the panes as part `name` of b (b outlives nothing of this engine's: the caller
  // destroys b first or keeps both). Entries: key Serde(key) Serde(pane start), value Serde(acc).
  // With the rocksdb backend the panes live in its RocksDB behind a cache (dfc/window_store.h):
  // the in-memory map holds partial accumulators of at most cache-entries keys and is spilled
  // (merged into the stored accumulators) when full, before a snapshot, and before a window with
  // spilled panes fires; such a window is read back from RocksDB, key group by key group.
  void Attach(KeyedStateBackend& b, const std::string& name) {
    backend_ = &b;
    store_ = WindowStore::Open(b, name, opt_.metrics);
    b.RegisterPart(std::make_unique<EngineStatePart<PaneWindows>>(
        this, name, StateKind::kWindowPanes,
        "PANES<" + Serde<Key>::Type() + "," + Serde<Acc>::Type() + "," + std::to_string(size_) + "/" +
            std::to_string(slide_) + "/" + std::to_string(offset_) + ">"));
  }
  // After every key group was restored: the watermark at the snapshot; the windows of the
  // restored panes that had not fired then are registered to fire.
  void FinishRestore(int64_t wm) {
    if (wm > wm_) wm_ = wm;
    last_pane_ = INT64_MIN;
    for (const int64_t ps : registered_)
      for (int64_t ws = WindowStart(ps, offset_, slide_); ws > ps - size_; ws -= slide_)
        if (ws + size_ - 1 > wm_) ends_.insert(ws + size_);
  }
  void CollectKeyGroup(int kg, int kgi, KeyedStatePart::Entries* out) {
    if (store_ && !spilled_.empty()) {
      Spill();
      for (const int64_t ps : spilled_) {
        std::string psb;
        SerializeTo(&psb, ps);
        store_->ForEachInGroup(ps, kg, [&](std::string_view k, std::string_view v) {
          std::string key(k);
          key += psb;
          out->emplace_back(std::move(key), std::string(v));
        });
      }
      return;
    }
    for (const auto* e : buckets_.Get(keys_, *backend_, kgi, version_)) {
      e->second.ForEach([&](int64_t ps, const Acc& acc) {
        std::string k, v;
        StateWriter w(&k);
        Serde<Key>::Write(w, e->first);
        Serde<int64_t>::Write(w, ps);
        SerializeTo(&v, acc);
        out->emplace_back(std::move(k), std::move(v));
      });
    }
  }
  void RestoreEntry(int kg, std::string_view key, std::string_view value) {
    ++version_;
    StateReader r(key);
    Key k{};
    int64_t ps = 0;
    Serde<Key>::Read(r, k);
    const size_t key_len = key.size() - r.rest().size();
    Serde<int64_t>::Read(r, ps);
    if (!r.done()) StateReader::Corrupt();
    registered_.insert(ps);
    if (store_) {  // straight into RocksDB (the backend writes the batch after the key group)
      store_->Put(WindowStore::Key(ps, kg, key.substr(0, key_len)), value);
      spilled_.insert(ps);
      return;
    }
    StateReader vr(value);
    Serde<Acc>::Read(vr, keys_[k].Get(ps));
  }

  // Advances the watermark (or processing time); fires every window with end - 1 <= wm in
  // ascending end order: emit(const Key&, int64_t start, int64_t end, const Acc&) once per key
  // with data. Then drops the panes whose windows are all past their allowed lateness.
  template <class EmitFn>
  void OnWatermark(int64_t wm, EmitFn&& emit) {
    if (wm <= wm_) return;
    wm_ = wm;
    ++version_;
    while (!ends_.empty() && *ends_.begin() - 1 <= wm) {
      const int64_t end = *ends_.begin();
      ends_.erase(ends_.begin());
      if constexpr (kStorable) {
        if (store_ && AnySpilled(end - size_, end)) {
          FireStored(end - size_, end, emit);
          continue;
        }
      }
      for (const auto& [key, panes] : keys_) FireKey(key, panes, end - size_, end, emit);
    }
    // A pane is dropped once the last window holding it is past its allowed lateness.
    auto dead = [&](int64_t ps) {
      return CleanupTime(WindowStart(ps, offset_, slide_) + size_, opt_.allowed_lateness) <= wm_;
    };
    if (registered_.empty() || !dead(*registered_.begin())) return;
    last_pane_ = INT64_MIN;
    while (!registered_.empty() && dead(*registered_.begin())) {
      if (store_ && spilled_.erase(*registered_.begin())) store_->DropNamespace(*registered_.begin());
      registered_.erase(registered_.begin());
    }
    // A key left without panes keeps its entry (and vector) for one more round, so keys active in
    // every window are not freed and re-allocated each time; one idle for a whole round goes.
    keys_.EraseIf([&](std::pair<Key, Panes>& k) {
      if (k.second.empty()) return true;
      k.second.DropDead(dead);
      return false;
    });
  }

 private:
  // One key's accumulators by pane start: the newest pane inline (records of in-order input
  // touch only the hash-map node), older ones (a handful: size / pane, plus out-of-order data)
  // in a vector, ascending. Per key rather than per pane, so firing a window walks the keys once
  // instead of building a merged map from size/pane per-pane maps.
  struct Panes {
    int64_t last = INT64_MIN;  // start of the newest pane; INT64_MIN: none
    Acc last_acc{};
    std::vector<std::pair<int64_t, Acc>> older;  // ascending, all < last

    bool empty() const { return last == INT64_MIN; }
    Acc& Get(int64_t ps) {
      if (ps == last) return last_acc;
      if (ps > last) {
        if (last != INT64_MIN) older.emplace_back(last, std::move(last_acc));
        last = ps;
        last_acc = Acc();
        return last_acc;
      }
      auto it = older.begin();
      while (it != older.end() && it->first < ps) ++it;
      if (it == older.end() || it->first != ps) it = older.emplace(it, ps, Acc());
      return it->second;
    }
    // f(pane start, acc) in ascending order.
    template <class F>
    void ForEach(F&& f) const {
      for (const auto& [ps, acc] : older) f(ps, acc);
      if (last != INT64_MIN) f(last, last_acc);
    }
    template <class Dead>
    void DropDead(Dead& dead) {
      size_t n = 0;
      while (n < older.size() && dead(older[n].first)) ++n;
      older.erase(older.begin(), older.begin() + static_cast<std::ptrdiff_t>(n));
      if (older.empty() && last != INT64_MIN && dead(last)) {
        last = INT64_MIN;
        last_acc = Acc();
      }
    }
  };

  AddResult Reject(int64_t t) {
    int64_t limit = 0;  // t + lateness, saturated
    if (__builtin_add_overflow(t, opt_.allowed_lateness, &limit)) limit = INT64_MAX;
    if (limit > wm_) return AddResult::kSkipped;
    if (!opt_.late_side_output) {
      ++late_;
      if (opt_.metrics) opt_.metrics->late_records_dropped.fetch_add(1, std::memory_order_relaxed);
    }
    return AddResult::kLate;
  }

  // The key's result of window [start, end), if it has data there.
  template <class EmitFn>
  void FireKey(const Key& key, const Panes& panes, int64_t start, int64_t end, EmitFn& emit) {
    const Acc* single = nullptr;
    int n = 0;
    panes.ForEach([&](int64_t ps, const Acc& acc) {
      if (ps < start || ps >= end) return;
      if (n == 0) {
        single = &acc;
      } else {
        if (n == 1) scratch_ = *single;
        scratch_.Merge(acc);
      }
      ++n;
    });
    if (n == 1) emit(key, start, end, *single);  // tumbling, or one pane with data: no merge
    else if (n > 1) emit(key, start, end, scratch_);
  }

  // ---- the rocksdb backend (store_ set): see Attach ----
  // Accumulators with a Serde (every generated one; Attach needs it) can be held in the store.
  static constexpr bool kStorable = kSerdeAvailable<Acc>;
  bool AnySpilled(int64_t start, int64_t end) const {
    auto it = spilled_.lower_bound(start);
    return it != spilled_.end() && *it < end;
  }
  int KeyGroupOf(const Key& key) const { return KeyGroupFor(KeyGroupHash(key), backend_->max_parallelism()); }
  static void ReadAcc(std::string_view bytes, Acc* acc) {
    *acc = Acc();
    StateReader r(bytes);
    Serde<Acc>::Read(r, *acc);
  }
  // Moves every cached (key, pane) accumulator into the store, merged after the stored one (the
  // cached part holds the later records), and empties the cache.
  void Spill() {
    if (keys_.empty()) return;
    std::string kb, v;
    std::vector<int64_t> fresh;  // panes spilled for the first time: nothing stored to merge
    for (auto& e : keys_) {
      if (e.second.empty()) continue;
      kb.clear();
      SerializeTo(&kb, e.first);
      const int kg = KeyGroupOf(e.first);
      e.second.ForEach([&](int64_t ps, const Acc& acc) {
        const std::string sk = WindowStore::Key(ps, kg, kb);
        v.clear();
        if (spilled_.count(ps) && store_->Get(sk, &v)) {
          ReadAcc(v, &scratch_);
          scratch_.Merge(acc);
          v.clear();
          SerializeTo(&v, scratch_);
        } else {
          SerializeTo(&v, acc);
          if (!spilled_.count(ps) && std::find(fresh.begin(), fresh.end(), ps) == fresh.end()) fresh.push_back(ps);
        }
        store_->Put(sk, v);
      });
    }
    store_->Write();
    spilled_.insert(fresh.begin(), fresh.end());
    keys_.clear();
    ++version_;
  }
  // Fires window [start, end) for every key from the store (after a spill), key group by key
  // group, keys in byte order within one; a key's panes are merged in ascending pane order.
  template <class EmitFn>
  void FireStored(int64_t start, int64_t end, EmitFn& emit) {
    Spill();
    std::vector<std::pair<std::string, std::string>> es;
    const KeyGroupRange r = backend_->range();
    int panes = 0;
    for (auto it = spilled_.lower_bound(start); it != spilled_.end() && *it < end; ++it) ++panes;
    if (panes == 1) {  // tumbling (or one pane with data): one scan, one entry per key, in order
      store_->ForEachInNamespace(*spilled_.lower_bound(start), [&](std::string_view k, std::string_view v) {
        Key key{};
        StateReader kr(k.substr(2));
        Serde<Key>::Read(kr, key);
        ReadAcc(v, &scratch_);
        emit(key, start, end, scratch_);
      });
      return;
    }
    Acc a{};
    for (int kg = r.start; kg <= r.end; ++kg) {
      es.clear();
      for (auto it = spilled_.lower_bound(start); it != spilled_.end() && *it < end; ++it)
        store_->ForEachInGroup(*it, kg, [&](std::string_view k, std::string_view v) { es.emplace_back(k, v); });
      if (es.empty()) continue;
      if (panes > 1)
        std::stable_sort(es.begin(), es.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      for (size_t i = 0; i < es.size();) {
        size_t j = i + 1;
        while (j < es.size() && es[j].first == es[i].first) ++j;
        Key k{};
        StateReader kr(es[i].first);
        Serde<Key>::Read(kr, k);
        ReadAcc(es[i].second, &scratch_);
        for (size_t x = i + 1; x < j; ++x) {
          ReadAcc(es[x].second, &a);
          scratch_.Merge(a);
        }
        emit(k, start, end, scratch_);
        i = j;
      }
    }
  }
  // One key's late firing of [start, end): its stored panes merged with its cached ones.
  template <class EmitFn>
  void FireKeyStored(const Key& key, const Panes& panes, int64_t start, int64_t end, EmitFn& emit) {
    std::string kb, v;
    SerializeTo(&kb, key);
    const int kg = KeyGroupOf(key);
    int n = 0;
    Acc a{};
    auto fold = [&](const Acc& x) {
      if (n++ == 0) {
        result_ = x;
      } else {
        result_.Merge(x);
      }
    };
    for (int64_t ps = start; ps < end; ps += pane_) {
      v.clear();
      if (spilled_.count(ps) && store_->Get(WindowStore::Key(ps, kg, kb), &v)) {
        ReadAcc(v, &a);
        fold(a);
      }
      panes.ForEach([&](int64_t p, const Acc& x) {
        if (p == ps) fold(x);
      });
    }
    if (n > 0) emit(key, start, end, result_);
  }

  const int64_t size_, slide_, offset_, pane_;
  const WindowOptions opt_;
  int64_t wm_ = INT64_MIN;
  uint64_t late_ = 0;
  DenseMap<Key, Panes, Hash> keys_;  // key -> its panes (walked whole at every firing)
  std::set<int64_t> registered_;                // panes seen whose windows are registered
  int64_t last_pane_ = INT64_MIN;               // the pane of the previous record (registered)
  std::set<int64_t> ends_;                      // ends of windows still to fire
  Acc scratch_;                                 // merge buffer for Fire
  Acc result_;                                  // FireKeyStored's result
  KeyedStateBackend* backend_ = nullptr;        // Attach()
  std::unique_ptr<WindowStore> store_;          // rocksdb: the panes' store (Attach), else null
  std::set<int64_t> spilled_;                   // rocksdb: panes with entries in store_
  uint64_t version_ = 0;                        // bumped by every change (snapshot bucketing)
  KeyGroupBuckets<DenseMap<Key, Panes, Hash>> buckets_;
};

// The name the first version of this header used.
template <class Key, class Acc, class Hash = KeyHasher>
using WindowAggregator = PaneWindows<Key, Acc, Hash>;

// Session windows (Flink's EventTimeSessionWindows / ProcessingTimeSessionWindows with
// MergingWindowSet): per key, disjoint windows that neither overlap nor touch. A record at t
// opens [t, t + gap) and merges it with every window of its key that overlaps or touches it
// (accumulators merged in start order, the record's own last). Each window has one timer at
// end - 1; a merged window replaces its parts' timers. A window whose end - 1 is already behind
// the watermark (a record within the allowed lateness) fires at once.
template <class Key, class Acc, class Hash = KeyHasher>
class SessionWindows {
 public:
  SessionWindows(int64_t gap, WindowOptions options = {}) : gap_(gap), opt_(options) {}

  int64_t watermark() const { return wm_; }
  uint64_t late_dropped() const { return late_; }
  // Windows currently held, over all keys.
  size_t num_windows() const {
    size_t n = 0;
    for (const auto& [k, m] : keys_) n += m.size();
    return n;
  }

  // ---- checkpoints (see the top of this file) ----
  // Entries: key Serde(key) Serde(window start), value Serde(window end) Serde(acc).
  void Attach(KeyedStateBackend& b, const std::string& name) {
    backend_ = &b;
    b.RegisterPart(std::make_unique<EngineStatePart<SessionWindows>>(
        this, name, StateKind::kWindowSessions,
        "SESSIONS<" + Serde<Key>::Type() + "," + Serde<Acc>::Type() + "," + std::to_string(gap_) + ">"));
  }
  // After every key group was restored: each restored window gets its timers back (the firing
  // one when it had not fired at watermark wm, the cleanup one with allowed lateness), in restore
  // order (key group, then key bytes).
  void FinishRestore(int64_t wm) {
    if (wm > wm_) wm_ = wm;
    for (const auto& [key, start] : restored_) {
      auto k = keys_.find(key);
      if (k == keys_.end()) continue;
      auto w = k->second.find(start);
      if (w == k->second.end()) continue;
      const int64_t end = w->second.end;
      if (end - 1 > wm_) timers_.emplace(end - 1, Timer{key, start, end, false});
      if (opt_.allowed_lateness > 0) timers_.emplace(CleanupTime(end, opt_.allowed_lateness), Timer{key, start, end, true});
    }
    restored_.clear();
    restored_.shrink_to_fit();
  }
  void CollectKeyGroup(int, int kgi, KeyedStatePart::Entries* out) {
    for (const auto* e : buckets_.Get(keys_, *backend_, kgi, version_)) {
      for (const auto& [start, sess] : e->second) {
        std::string k, v;
        StateWriter w(&k);
        Serde<Key>::Write(w, e->first);
        Serde<int64_t>::Write(w, start);
        StateWriter vw(&v);
        Serde<int64_t>::Write(vw, sess.end);
        Serde<Acc>::Write(vw, sess.acc);
        out->emplace_back(std::move(k), std::move(v));
      }
    }
  }
  void RestoreEntry(std::string_view key, std::string_view value) {
    ++version_;
    StateReader r(key);
    Key k{};
    int64_t start = 0;
    Serde<Key>::Read(r, k);
    Serde<int64_t>::Read(r, start);
    if (!r.done()) StateReader::Corrupt();
    StateReader vr(value);
    Session sess;
    Serde<int64_t>::Read(vr, sess.end);
    Serde<Acc>::Read(vr, sess.acc);
    keys_[k][start] = std::move(sess);
    restored_.emplace_back(std::move(k), start);
  }

  template <class AddFn, class EmitFn>
  AddResult Add(const Key& key, int64_t t, AddFn&& add, EmitFn&& emit) {
    ++version_;
    const int64_t end = t > INT64_MAX - gap_ ? INT64_MAX : t + gap_;
    if (CleanupTime(end, opt_.allowed_lateness) <= wm_) {
      // Every window this record could merge into is past its lateness (its state is gone).
      if (!opt_.late_side_output) {
        ++late_;
        if (opt_.metrics) opt_.metrics->late_records_dropped.fetch_add(1, std::memory_order_relaxed);
      }
      return AddResult::kLate;
    }
    auto& wins = keys_[key];
    int64_t ms = t, me = end;
    // Windows of this key that overlap or touch [t, end): start <= end and their end >= t.
    auto hi = wins.upper_bound(end);
    auto lo = hi;
    while (lo != wins.begin() && std::prev(lo)->second.end >= t) --lo;
    if (lo != hi && std::next(lo) == hi && lo->first <= t && lo->second.end >= end) {
      // Inside one existing window: no merge, no new timer.
      Session& s = lo->second;
      add(s.acc);
      if (s.end - 1 <= wm_) emit(key, lo->first, s.end, s.acc);
      return AddResult::kAdded;
    }
    Session merged;
    for (auto it = lo; it != hi; ++it) {
      ms = std::min(ms, it->first);
      me = std::max(me, it->second.end);
      merged.acc.Merge(it->second.acc);
    }
    wins.erase(lo, hi);
    add(merged.acc);
    merged.end = me;
    auto [it, ok] = wins.emplace(ms, std::move(merged));
    (void)ok;
    if (me - 1 <= wm_) {
      emit(key, ms, me, it->second.acc);  // a late firing: the watermark passed this window already
    } else {
      timers_.emplace(me - 1, Timer{key, ms, me, false});
    }
    if (opt_.allowed_lateness > 0) timers_.emplace(CleanupTime(me, opt_.allowed_lateness), Timer{key, ms, me, true});
    return AddResult::kAdded;
  }

  // Fires the windows with end - 1 <= wm in ascending time order (ties: the order their timers
  // were set), then drops those past their allowed lateness.
  template <class EmitFn>
  void OnWatermark(int64_t wm, EmitFn&& emit) {
    if (wm <= wm_) return;
    wm_ = wm;
    ++version_;
    while (!timers_.empty() && timers_.begin()->first <= wm) {
      auto node = timers_.extract(timers_.begin());
      const Timer& tm = node.mapped();
      auto k = keys_.find(tm.key);
      if (k == keys_.end()) continue;
      auto w = k->second.find(tm.start);
      if (w == k->second.end() || w->second.end != tm.end) continue;  // merged away since
      if (!tm.cleanup) emit(tm.key, tm.start, tm.end, w->second.acc);
      if (CleanupTime(tm.end, opt_.allowed_lateness) <= wm) {
        k->second.erase(w);
        if (k->second.empty()) keys_.erase(k);
      }
    }
  }

 private:
  struct Session {
    int64_t end = 0;
    Acc acc;
  };
  struct Timer {
    Key key;
    int64_t start, end;
    bool cleanup;  // the end-of-lateness timer (no firing)
  };

  const int64_t gap_;
  const WindowOptions opt_;
  int64_t wm_ = INT64_MIN;
  uint64_t late_ = 0;
  std::unordered_map<Key, std::map<int64_t, Session>, Hash> keys_;  // key -> start -> window
  std::multimap<int64_t, Timer> timers_;                            // time -> timer (FIFO per time)
  KeyedStateBackend* backend_ = nullptr;                            // Attach()
  uint64_t version_ = 0;                                            // bumped by every change
  KeyGroupBuckets<std::unordered_map<Key, std::map<int64_t, Session>, Hash>> buckets_;
  std::vector<std::pair<Key, int64_t>> restored_;                   // until FinishRestore
};

// The global window with a count trigger (Flink's GlobalWindows + CountTrigger, wrapped in a
// PurgingTrigger by countWindow(n)): per key, fires when the count of records reaches n, then
// resets the count; `purge` also clears the contents (else the next firing includes them).
// FireRemaining() emits, in key order, every key holding records that did not fire yet (the
// end-of-input firing, when configured).
template <class Key, class Acc>
class CountWindows {
 public:
  CountWindows(int64_t count, bool purge) : count_(count), purge_(purge) {}

  // ---- checkpoints (see the top of this file) ----
  // Entries: key Serde(key), value Serde(count) Serde(acc). Nothing to rebuild after a restore.
  void Attach(KeyedStateBackend& b, const std::string& name) {
    backend_ = &b;
    b.RegisterPart(std::make_unique<EngineStatePart<CountWindows>>(
        this, name, StateKind::kWindowCounts,
        "COUNTS<" + Serde<Key>::Type() + "," + Serde<Acc>::Type() + "," + std::to_string(count_) +
            (purge_ ? ",purge>" : ">")));
  }
  void FinishRestore(int64_t) {}
  void CollectKeyGroup(int, int kgi, KeyedStatePart::Entries* out) {
    for (const auto* e : buckets_.Get(keys_, *backend_, kgi, version_)) {
      std::string k, v;
      SerializeTo(&k, e->first);
      StateWriter vw(&v);
      Serde<int64_t>::Write(vw, e->second.count);
      Serde<Acc>::Write(vw, e->second.acc);
      out->emplace_back(std::move(k), std::move(v));
    }
  }
  void RestoreEntry(std::string_view key, std::string_view value) {
    ++version_;
    StateReader r(key);
    Key k{};
    Serde<Key>::Read(r, k);
    if (!r.done()) StateReader::Corrupt();
    StateReader vr(value);
    State& s = keys_[k];
    Serde<int64_t>::Read(vr, s.count);
    Serde<Acc>::Read(vr, s.acc);
  }

  template <class AddFn, class EmitFn>
  void Add(const Key& key, AddFn&& add, EmitFn&& emit) {
    ++version_;
    State& s = keys_[key];
    add(s.acc);
    if (++s.count < count_) return;
    s.count = 0;
    emit(key, s.acc);
    if (purge_) keys_.erase(key);
  }

  template <class EmitFn>
  void FireRemaining(EmitFn&& emit) {
    ++version_;
    for (auto& [key, s] : keys_) {
      if (s.count > 0) emit(key, s.acc);
      s.count = 0;
    }
    if (purge_) keys_.clear();
  }

  size_t num_keys() const { return keys_.size(); }

 private:
  struct State {
    int64_t count = 0;
    Acc acc;
  };
  const int64_t count_;
  const bool purge_;
  std::map<Key, State> keys_;  // ordered: FireRemaining's output is deterministic
  KeyedStateBackend* backend_ = nullptr;
  uint64_t version_ = 0;
  KeyGroupBuckets<std::map<Key, State>> buckets_;
};

}  // namespace dfc::rt
