// State TTL (Flink's StateTtlConfig) over the keyed states of dfc/state.h, and the adapters the
// job format's REDUCING / AGGREGATING state declarations compile to.
//
//   dfc::rt::StateTtlConfig ttl{.ttl_ms = 60000};                         // OnCreateAndWrite
//   dfc::rt::TtlValueState<int64_t, int64_t> last(*backend, "last", ttl);
//   last.update(5);            // stamped with the processing time (TaskContext::clock())
//   last.get();                // nullptr once 60 s of processing time have passed
//
// Semantics (Flink's, processing time only):
// - Each value carries the processing time of its last write (OnCreateAndWrite, the default) or
//   of its last read or write (OnReadAndWrite). It expires when now >= that time + ttl.
//   LIST elements and MAP entries carry a time each (an element / entry expires on its own);
//   VALUE, REDUCING and AGGREGATING one per key.
// - Visibility NeverReturnExpired: an expired value is never returned; reading it removes it
//   (cleanup on access). REDUCING / AGGREGATING add() to an expired value starts afresh.
// - Incremental cleanup (Flink's cleanupIncrementally for the heap backend): every access to a
//   state also checks the entries of the next kCleanupBuckets buckets of that state's table (a
//   cursor that wraps around) and removes the expired ones, so keys that are never accessed again
//   still go away while the state is used. With `rocksdb` this covers the write-back cache, and
//   every kTtlStoreSweepEvery accesses of a state also sweep one key group of what the cache wrote
//   back to RocksDB (a cursor over the range; in place of Flink's RocksDB compaction filter).
// - Snapshots: a TTL state is a state of the same kind whose type signature is TTL<T> and whose
//   values are Serde(TtlValue<T>) = the timestamp (8 bytes, as BIGINT) then the value: the key-group
//   format of dfc/state.h is unchanged and older snapshots restore as before. Restoring a state
//   without TTL into one with TTL (or back) is an error naming the state, as in Flink
//   (StateMigrationException). Expired entries are not filtered out of snapshots; they keep their
//   timestamps and expire after a restore like before it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/state.h"

namespace dfc::rt {

struct StateTtlConfig {
  enum class UpdateType : uint8_t { kOnCreateAndWrite, kOnReadAndWrite };
  int64_t ttl_ms = 0;  // <= 0: never expires
  UpdateType update = UpdateType::kOnCreateAndWrite;

  bool update_on_read() const { return update == UpdateType::kOnReadAndWrite; }
  // Flink's TtlUtils.expired: ts + ttl <= now (saturating).
  bool Expired(int64_t ts, int64_t now) const {
    if (ttl_ms <= 0) return false;
    if (ts > std::numeric_limits<int64_t>::max() - ttl_ms) return false;
    return ts + ttl_ms <= now;
  }
};

// Entries checked by each access's incremental cleanup (buckets of the state's hash table).
inline constexpr size_t kTtlCleanupBuckets = 4;
// With rocksdb, every this many accesses of a state also sweep one key group of what the cache
// wrote back to RocksDB (StateTable::CleanupStoredKeyGroup).
inline constexpr uint32_t kTtlStoreSweepEvery = 1024;

// A value with the processing time it was last written (or read, OnReadAndWrite).
template <class V>
struct TtlValue {
  V value{};
  int64_t ts = 0;
};
template <class V>
struct Serde<TtlValue<V>> {
  static void Write(StateWriter& w, const TtlValue<V>& v) {
    Serde<int64_t>::Write(w, v.ts);
    Serde<V>::Write(w, v.value);
  }
  static void Read(StateReader& r, TtlValue<V>& v) {
    Serde<int64_t>::Read(r, v.ts);
    Serde<V>::Read(r, v.value);
  }
  static std::string Type() { return "TTL<" + Serde<V>::Type() + ">"; }
};

// CleanupStoredKeyGroup's verdict on a stored value that starts with its timestamp (Serde of a
// TtlValue: VALUE, REDUCING, AGGREGATING values and MAP entries): 1 (delete) when expired.
inline int TtlStoredVerdict(const StateTtlConfig& cfg, int64_t now, std::string_view bytes) {
  StateReader r(bytes);
  int64_t ts = 0;
  Serde<int64_t>::Read(r, ts);
  return cfg.Expired(ts, now) ? 1 : 0;
}

// The processing time TTL uses (Flink's TtlTimeProvider).
template <class K>
inline int64_t TtlNow(const KeyedBackend<K>& b) {
  return b.ctx().clock()->NowMillis();
}

// A duration of the executable's configuration (e.g. table.exec.state.ttl: "1 h", "90s",
// "500 ms"; a plain number is milliseconds), in milliseconds; `def` when the key is not set.
// Throws std::invalid_argument for an unreadable or negative value.
int64_t ConfigDurationMillis(const TaskContext& ctx, std::string_view key, int64_t def);

// ---- the states ----

// What the TTL states holding one TtlValue per key (value, reducing, aggregating) share: the
// cleanup run on every access (a few buckets of the cache; every kTtlStoreSweepEvery accesses one
// key group of the store) and the lookup that drops an expired value.
template <class K, class S, class Table>
class TtlSingleValueBase {
 public:
  void clear() { t_->Erase(); }
  Table& table() { return *t_; }

 protected:
  TtlSingleValueBase(KeyedBackend<K>& b, Table& t, StateTtlConfig cfg) : b_(&b), t_(&t), cfg_(cfg) {}
  int64_t Cleanup() {
    const int64_t now = TtlNow(*b_);
    t_->CleanupSome(kTtlCleanupBuckets, [&](TtlValue<S>& s) { return cfg_.Expired(s.ts, now); });
    if (b_->store() && ++sweep_ % kTtlStoreSweepEvery == 0)
      t_->CleanupStoredKeyGroup([&](std::string_view v, std::string*) { return TtlStoredVerdict(cfg_, now, v); });
    return now;
  }
  // The key's live value (its timestamp refreshed on read if so configured), or nullptr.
  TtlValue<S>* Live(int64_t now) {
    TtlValue<S>* s = t_->Find();
    if (!s) return nullptr;
    if (cfg_.Expired(s->ts, now)) {
      t_->Erase();
      return nullptr;
    }
    if (cfg_.update_on_read()) s->ts = now;
    return s;
  }

  KeyedBackend<K>* b_;
  Table* t_;
  StateTtlConfig cfg_;
  uint32_t sweep_ = 0;
};

template <class K, class V, class N = VoidNamespace>
class TtlValueState : public TtlSingleValueBase<K, V, ValueState<K, TtlValue<V>, N>> {
  using Base = TtlSingleValueBase<K, V, ValueState<K, TtlValue<V>, N>>;
  using Base::Cleanup;
  using Base::t_;

 public:
  using Table = ValueState<K, TtlValue<V>, N>;
  TtlValueState(KeyedBackend<K>& b, std::string_view name, StateTtlConfig cfg)
      : Base(b, b.template GetValueState<TtlValue<V>, N>(name), cfg) {}

  const V* get() {
    TtlValue<V>* s = this->Live(Cleanup());
    return s ? &s->value : nullptr;
  }
  std::optional<V> value() {
    const V* v = get();
    return v ? std::optional<V>(*v) : std::nullopt;
  }
  V value_or(V def) {
    const V* v = get();
    return v ? *v : std::move(def);
  }
  bool has() { return get() != nullptr; }
  void update(V v) {
    const int64_t now = Cleanup();
    bool created = false;
    TtlValue<V>& s = t_->FindOrCreate(&created);
    s.value = std::move(v);
    s.ts = now;
  }
};

// The live elements of a TTL list, as const V& (valid until the next access of the state).
template <class V>
class TtlListView {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = V;
    using difference_type = std::ptrdiff_t;
    using pointer = const V*;
    using reference = const V&;
    iterator() = default;
    explicit iterator(typename std::vector<TtlValue<V>>::const_iterator it) : it_(it) {}
    const V& operator*() const { return it_->value; }
    const V* operator->() const { return &it_->value; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator r = *this;
      ++it_;
      return r;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    typename std::vector<TtlValue<V>>::const_iterator it_;
  };
  TtlListView() : v_(&Empty()) {}
  explicit TtlListView(const std::vector<TtlValue<V>>* v) : v_(v) {}
  iterator begin() const { return iterator(v_->begin()); }
  iterator end() const { return iterator(v_->end()); }
  size_t size() const { return v_->size(); }
  bool empty() const { return v_->empty(); }
  const V& operator[](size_t i) const { return (*v_)[i].value; }

 private:
  static const std::vector<TtlValue<V>>& Empty() {
    static const std::vector<TtlValue<V>> e;
    return e;
  }
  const std::vector<TtlValue<V>>* v_;
};

template <class K, class V, class N = VoidNamespace>
class TtlListState {
 public:
  using Table = ListState<K, TtlValue<V>, N>;
  TtlListState(KeyedBackend<K>& b, std::string_view name, StateTtlConfig cfg)
      : b_(&b), t_(&b.template GetListState<TtlValue<V>, N>(name)), cfg_(cfg) {}

  // The live elements in insertion order (expired ones are removed first).
  TtlListView<V> get() {
    const int64_t now = Cleanup();
    std::vector<TtlValue<V>>* s = t_->Find();
    if (!s) return {};
    std::erase_if(*s, [&](const TtlValue<V>& e) { return cfg_.Expired(e.ts, now); });
    if (s->empty()) {
      t_->Erase();
      return {};
    }
    if (cfg_.update_on_read())
      for (auto& e : *s) e.ts = now;
    return TtlListView<V>(s);
  }
  void add(V v) {
    const int64_t now = Cleanup();
    bool created = false;
    t_->FindOrCreate(&created).push_back(TtlValue<V>{std::move(v), now});
  }
  void add_all(const std::vector<V>& vs) {
    if (vs.empty()) return;
    const int64_t now = Cleanup();
    bool created = false;
    auto& s = t_->FindOrCreate(&created);
    for (const V& v : vs) s.push_back(TtlValue<V>{v, now});
  }
  // Replaces the list (an empty list clears it, as in Flink).
  void update(const std::vector<V>& vs) {
    if (vs.empty()) {
      clear();
      return;
    }
    const int64_t now = Cleanup();
    bool created = false;
    auto& s = t_->FindOrCreate(&created);
    s.clear();
    for (const V& v : vs) s.push_back(TtlValue<V>{v, now});
  }
  void clear() { t_->Erase(); }
  Table& table() { return *t_; }

 private:
  int64_t Cleanup() {
    const int64_t now = TtlNow(*b_);
    t_->CleanupSome(kTtlCleanupBuckets, [&](std::vector<TtlValue<V>>& s) {
      std::erase_if(s, [&](const TtlValue<V>& e) { return cfg_.Expired(e.ts, now); });
      return s.empty();
    });
    if (b_->store() && ++sweep_ % kTtlStoreSweepEvery == 0) {
      t_->CleanupStoredKeyGroup([&](std::string_view v, std::string* rewritten) {
        std::vector<TtlValue<V>> list;
        StateReader r(v);
        Serde<std::vector<TtlValue<V>>>::Read(r, list);
        const size_t before = list.size();
        std::erase_if(list, [&](const TtlValue<V>& e) { return cfg_.Expired(e.ts, now); });
        if (list.empty()) return 1;
        if (list.size() == before) return 0;
        SerializeTo(rewritten, list);
        return 2;
      });
    }
    return now;
  }

  KeyedBackend<K>* b_;
  Table* t_;
  StateTtlConfig cfg_;
  uint32_t sweep_ = 0;
};

// The live entries of a TTL map, as (const UK&, const UV&) pairs (valid until the next access).
template <class UK, class UV>
class TtlMapView {
  using Map = std::unordered_map<UK, TtlValue<UV>, StateHasher>;

 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<const UK&, const UV&>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    iterator() = default;
    explicit iterator(typename Map::const_iterator it) : it_(it) {}
    std::pair<const UK&, const UV&> operator*() const { return {it_->first, it_->second.value}; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    typename Map::const_iterator it_;
  };
  TtlMapView() : m_(&Empty()) {}
  explicit TtlMapView(const Map* m) : m_(m) {}
  iterator begin() const { return iterator(m_->begin()); }
  iterator end() const { return iterator(m_->end()); }
  size_t size() const { return m_->size(); }
  bool empty() const { return m_->empty(); }

 private:
  static const Map& Empty() {
    static const Map e;
    return e;
  }
  const Map* m_;
};

template <class K, class UK, class UV, class N = VoidNamespace>
class TtlMapState {
 public:
  using Table = MapState<K, UK, TtlValue<UV>, N>;
  TtlMapState(KeyedBackend<K>& b, std::string_view name, StateTtlConfig cfg)
      : b_(&b), t_(&b.template GetMapState<UK, TtlValue<UV>, N>(name)), cfg_(cfg) {}

  // nullptr when absent or expired.
  const UV* get(const UK& uk) {
    const int64_t now = Cleanup();
    auto* s = t_->Find();
    if (!s) return nullptr;
    auto it = s->map.find(uk);
    if (it == s->map.end()) return nullptr;
    if (cfg_.Expired(it->second.ts, now)) {
      t_->remove(uk);
      return nullptr;
    }
    if (cfg_.update_on_read()) it->second.ts = now;
    return &it->second.value;
  }
  bool contains(const UK& uk) { return get(uk) != nullptr; }
  void put(const UK& uk, UV uv) {
    const int64_t now = Cleanup();
    t_->put(uk, TtlValue<UV>{std::move(uv), now});
  }
  void remove(const UK& uk) {
    Cleanup();
    t_->remove(uk);
  }
  bool is_empty() { return Purge() == nullptr; }
  // The live entries (unordered).
  TtlMapView<UK, UV> entries() {
    auto* s = Purge();
    return s ? TtlMapView<UK, UV>(&s->map) : TtlMapView<UK, UV>();
  }
  // The live entries sorted by user key (deterministic iteration).
  std::vector<std::pair<UK, UV>> sorted_entries() {
    std::vector<std::pair<UK, UV>> v;
    for (const auto& [k, e] : entries()) v.emplace_back(k, e);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return v;
  }
  void clear() { t_->Erase(); }
  Table& table() { return *t_; }

 private:
  using Slot = MapSlot<K, UK, TtlValue<UV>>;
  // Drops the current key's expired entries; the slot, or nullptr when nothing is left.
  Slot* Purge() {
    const int64_t now = Cleanup();
    Slot* s = t_->Find();
    if (!s) return nullptr;
    if (DropExpired(*s, now)) {
      t_->Erase();
      return nullptr;
    }
    if (cfg_.update_on_read())
      for (auto& [k, e] : s->map) e.ts = now;
    return s;
  }
  // Removes expired entries of a slot; true when it is empty then.
  bool DropExpired(Slot& s, int64_t now) {
    for (auto it = s.map.begin(); it != s.map.end();) {
      if (cfg_.Expired(it->second.ts, now)) {
        if (b_->store()) s.removed.push_back(it->first);
        it = s.map.erase(it);
      } else {
        ++it;
      }
    }
    return s.map.empty();
  }
  int64_t Cleanup() {
    const int64_t now = TtlNow(*b_);
    t_->CleanupSome(kTtlCleanupBuckets, [&](Slot& s) { return DropExpired(s, now); });
    if (b_->store() && ++sweep_ % kTtlStoreSweepEvery == 0)  // one stored entry per user key
      t_->CleanupStoredKeyGroup([&](std::string_view v, std::string*) { return TtlStoredVerdict(cfg_, now, v); });
    return now;
  }

  KeyedBackend<K>* b_;
  Table* t_;
  StateTtlConfig cfg_;
  uint32_t sweep_ = 0;
};

// Never called: the TTL wrappers below fold values themselves (with the timestamps).
struct TtlNoReduce {
  template <class T>
  T operator()(T a, const T&) const {
    return a;
  }
};
template <class ACC>
struct TtlNoAggregate {
  TtlValue<ACC> create_accumulator() const { return {}; }
  template <class IN>
  void add(const IN&, TtlValue<ACC>&) const {}
  int get_result(const TtlValue<ACC>&) const { return 0; }
};

// ReduceFn: V(V acc, const V& next).
template <class K, class V, class ReduceFn, class N = VoidNamespace>
class TtlReducingState : public TtlSingleValueBase<K, V, ReducingState<K, TtlValue<V>, TtlNoReduce, N>> {
  using Base = TtlSingleValueBase<K, V, ReducingState<K, TtlValue<V>, TtlNoReduce, N>>;
  using Base::Cleanup;
  using Base::cfg_;
  using Base::t_;

 public:
  using Table = ReducingState<K, TtlValue<V>, TtlNoReduce, N>;
  TtlReducingState(KeyedBackend<K>& b, std::string_view name, StateTtlConfig cfg, ReduceFn fn)
      : Base(b, b.template GetReducingState<TtlValue<V>, N>(name, TtlNoReduce{}), cfg), fn_(std::move(fn)) {}

  // nullptr when nothing was added (or it expired).
  const V* get() {
    TtlValue<V>* s = this->Live(Cleanup());
    return s ? &s->value : nullptr;
  }
  // Stores v for a new (or expired) value, else fn(stored, v). Returns the stored value.
  const V& add(const V& v) {
    const int64_t now = Cleanup();
    bool created = false;
    TtlValue<V>& s = t_->FindOrCreate(&created);
    if (created || cfg_.Expired(s.ts, now)) {
      s.value = v;
    } else {
      s.value = fn_(std::move(s.value), v);
    }
    s.ts = now;
    return s.value;
  }
 private:
  ReduceFn fn_;
};

// AggregateFn as for AggregatingState: ACC create_accumulator(); void add(const IN&, ACC&);
// OUT get_result(const ACC&).
template <class K, class IN, class ACC, class OUT, class AggregateFn, class N = VoidNamespace>
class TtlAggregatingState
    : public TtlSingleValueBase<K, ACC, AggregatingState<K, IN, TtlValue<ACC>, int, TtlNoAggregate<ACC>, N>> {
  using Base = TtlSingleValueBase<K, ACC, AggregatingState<K, IN, TtlValue<ACC>, int, TtlNoAggregate<ACC>, N>>;
  using Base::Cleanup;
  using Base::cfg_;
  using Base::t_;

 public:
  using Table = AggregatingState<K, IN, TtlValue<ACC>, int, TtlNoAggregate<ACC>, N>;
  TtlAggregatingState(KeyedBackend<K>& b, std::string_view name, StateTtlConfig cfg, AggregateFn fn)
      : Base(b, b.template GetAggregatingState<IN, int, N>(name, TtlNoAggregate<ACC>{}), cfg), fn_(std::move(fn)) {}

  // nullopt when nothing was added (or it expired).
  std::optional<OUT> get() {
    TtlValue<ACC>* s = this->Live(Cleanup());
    return s ? std::optional<OUT>(fn_.get_result(s->value)) : std::nullopt;
  }
  void add(const IN& in) {
    const int64_t now = Cleanup();
    bool created = false;
    TtlValue<ACC>& s = t_->FindOrCreate(&created);
    if (created || cfg_.Expired(s.ts, now)) s.value = fn_.create_accumulator();
    fn_.add(in, s.value);
    s.ts = now;
  }
 private:
  AggregateFn fn_;
};

// ---- the job format's AGGREGATING functions as an AggregateFn ----

// create() -> ACC, add(const IN&, ACC) -> ACC (Flink's AggregateFunction.add(value, accumulator)),
// get_result(const ACC&) -> OUT.
template <class ACC, class Create, class Add, class GetResult>
struct LambdaAggregateFunction {
  Create create;
  Add add_fn;
  GetResult get;
  ACC create_accumulator() const { return create(); }
  template <class IN>
  void add(const IN& in, ACC& acc) const {
    acc = add_fn(in, std::move(acc));
  }
  auto get_result(const ACC& acc) const { return get(acc); }
};
// The default create_accumulator: a value-initialized ACC.
template <class ACC>
struct DefaultAccumulator {
  ACC operator()() const { return ACC{}; }
};

}  // namespace dfc::rt
