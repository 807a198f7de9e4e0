// Keyed state and timers (Flink's keyed state backend, KeyedProcessFunction's state and timers).
//
// One KeyedStateBackend per keyed operator per subtask. It owns this subtask's KeyGroupRange
// (Flink's scheme, dfc/hash.h) and every state and timer queue the operator declares. Before each
// record or timer the operator sets the current key (KeyedBackend<K>::SetCurrentKey); every state
// access is then scoped to that key (and to the state's current namespace, e.g. a window, so one
// state can hold a value per (key, window)).
//
//   auto backend = dfc::rt::MakeKeyedBackend<int64_t>(ctx, "operator-uid");
//   auto& count = backend->GetValueState<int64_t>("count");       // declared by name
//   auto& seen  = backend->GetMapState<std::string, int64_t>("seen");
//   auto& timers = backend->GetTimerService("timers");
//   backend->SetCurrentKey(v.auction);
//   count.update(count.value_or(0) + 1);
//
// State kinds (Flink's): ValueState<V>, ListState<V>, MapState<UK, UV>, ReducingState<V> (a
// reduce function folds each add into one value), AggregatingState<IN, ACC, OUT> (an aggregate
// function: create_accumulator / add / get_result). Absent until set; clear() clears the current
// key (and namespace) only. A pointer or reference handed out by a state is valid until the next
// SetCurrentKey / set_namespace.
//
// Backends (state.backend.type): `hashmap` keeps everything in hash maps, one per key group of
// the range (the fast path is one hash lookup). `rocksdb` keeps states in an embedded RocksDB per
// subtask (runtime library; no RocksDB header here) behind a write-back cache of the same hash
// maps, so repeated access to a hot key costs a hash lookup, not a RocksDB read-modify-write.
// Timers are kept on the heap with both backends (Flink's HEAP timer factory) and snapshotted with
// the key group.
//
// ---- The snapshot contract (called by the checkpoint code on the subtask's thread) ----
//   TaskContext::keyed_backends()  the subtask's backends with their operator uids
//   range()                        the key groups this backend owns
//   SnapshotKeyGroup(kg, &out)     appends every state entry and timer of key group kg, in the
//                                  canonical format below; "" when the key group holds nothing
//   CaptureSnapshot()              the whole state as of now, written later (possibly on another
//                                  thread: KeyedStateSnapshot::Write) in the same format while the
//                                  task goes on; hashmap states are copy-on-write until then
//   RestoreKeyGroup(kg, bytes)     adds those entries (kg must be in range()); before or after the
//                                  states are declared (entries wait until a state of that name is
//                                  declared; a different kind or type is an error naming the state)
// Canonical format of a key group (identical for both backends, so a hashmap checkpoint restores
// into rocksdb and back, at any parallelism with the same max parallelism):
//   u8 version (1), varint number of parts, then per part in order of name:
//     bytes name, u8 StateKind, bytes type signature, varint number of entries, then per entry in
//     byte order of its key: bytes key, bytes value
//   key = Serde(current key) Serde(namespace) [Serde(user key) for MAP] [timestamp for timers]
//   value = Serde(value) (VALUE, REDUCING, AGGREGATING: the accumulator; LIST: varint count and the
//   elements; MAP: the user value; timers: empty).
//   "bytes" = varint length + bytes. Integers in keys are big-endian with the sign bit flipped so
//   byte order is numeric order. Timer queues are parts named "<service>/event" and
//   "<service>/processing".
//
// Threading: a backend belongs to one subtask and is used only on its thread, except that a
// captured snapshot reads the hashmap states' entries from the snapshot thread (CowSlot).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dfc/hash.h"
#include "dfc/task.h"

namespace dfc::rt {

// ---------------------------------------------------------------------------------------------
// Key groups

// The key groups one subtask owns, inclusive bounds (empty when end < start).
struct KeyGroupRange {
  int start = 0;
  int end = -1;
  int size() const { return end >= start ? end - start + 1 : 0; }
  bool contains(int kg) const { return kg >= start && kg <= end; }
  bool operator==(const KeyGroupRange&) const = default;
};

// Flink's KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex: subtask i owns
// [ceil(i*M/p), floor(((i+1)*M - 1)/p)]; consistent with SubtaskForKeyGroup.
inline KeyGroupRange KeyGroupRangeForSubtask(int max_parallelism, int parallelism, int subtask) {
  const int64_t m = max_parallelism, p = parallelism, i = subtask;
  return {static_cast<int>((i * m + p - 1) / p), static_cast<int>(((i + 1) * m - 1) / p)};
}

// The hash that picks a key's key group: the same as the HASH partitioner's (codegen's
// KeyHashExpr): one field's HashValue, or the HashCombine fold of several in key order.
template <class T>
inline uint64_t KeyGroupHash(const T& k) {
  return HashValue(k);
}
// The key of an unkeyed operator (windowAll; parallelism 1): key group 0.
inline uint64_t KeyGroupHash(const std::tuple<>&) { return 0; }
template <class T0, class... Ts>
inline uint64_t KeyGroupHash(const std::tuple<T0, Ts...>& t) {
  uint64_t h = HashValue(std::get<0>(t));
  std::apply([&](const auto&, const auto&... rest) { ((h = HashCombine(h, HashValue(rest))), ...); }, t);
  return h;
}

// ---------------------------------------------------------------------------------------------
// Serialization of keys, namespaces and values (deterministic; see the canonical format above)

class StateWriter {
 public:
  explicit StateWriter(std::string* out) : out_(out) {}
  // Out of line (state.cc): serialization is off the per-record path of the hashmap backend, and
  // inlining these string appends into every job's Serde code cost compile time.
  void Byte(uint8_t b);
  void Varint(uint64_t v);
  void BigEndian(uint64_t v, int bytes);
  void Raw(const void* p, size_t n);
  void Bytes(std::string_view s);
  std::string* out() { return out_; }

 private:
  std::string* out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  uint8_t Byte() {
    if (p_ == end_) Corrupt();
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = Byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    Corrupt();
  }
  uint64_t BigEndian(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | Byte();
    return v;
  }
  std::string_view Raw(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) Corrupt();
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string_view Bytes() { return Raw(Varint()); }
  bool done() const { return p_ == end_; }
  std::string_view rest() const { return std::string_view(p_, static_cast<size_t>(end_ - p_)); }
  [[noreturn]] static void Corrupt();

 private:
  const char* p_;
  const char* end_;
};

// The namespace of states that are not scoped to anything but the key.
struct VoidNamespace {
  bool operator==(const VoidNamespace&) const { return true; }
  bool operator<(const VoidNamespace&) const { return false; }
};

// Serde<T>: Write / Read / Type (a type signature stored in snapshots, checked on restore).
// Row structs: generated code declares, next to each row type, the ADL functions
//   void dfc_serde_write(dfc::rt::StateWriter&, const Row&);
//   void dfc_serde_read(dfc::rt::StateReader&, Row&);
//   std::string dfc_serde_type(const Row*);
// Hand-written types may do the same.
template <class T, class Enable = void>
struct Serde {
  using Adl = void;  // marks the primary template (the dfc_serde_* functions found by ADL)
  static void Write(StateWriter& w, const T& v) { dfc_serde_write(w, v); }
  static void Read(StateReader& r, T& v) { dfc_serde_read(r, v); }
  static std::string Type() { return dfc_serde_type(static_cast<const T*>(nullptr)); }
};
template <>
struct Serde<int64_t> {
  static void Write(StateWriter& w, int64_t v) { w.BigEndian(static_cast<uint64_t>(v) ^ (1ULL << 63), 8); }
  static void Read(StateReader& r, int64_t& v) { v = static_cast<int64_t>(r.BigEndian(8) ^ (1ULL << 63)); }
  static std::string Type() { return "BIGINT"; }
};
template <>
struct Serde<int32_t> {
  static void Write(StateWriter& w, int32_t v) { w.BigEndian(static_cast<uint32_t>(v) ^ (1U << 31), 4); }
  static void Read(StateReader& r, int32_t& v) { v = static_cast<int32_t>(static_cast<uint32_t>(r.BigEndian(4)) ^ (1U << 31)); }
  static std::string Type() { return "INT"; }
};
template <>
struct Serde<bool> {
  static void Write(StateWriter& w, bool v) { w.Byte(v ? 1 : 0); }
  static void Read(StateReader& r, bool& v) { v = r.Byte() != 0; }
  static std::string Type() { return "BOOLEAN"; }
};
template <>
struct Serde<double> {
  static void Write(StateWriter& w, double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    w.BigEndian(b, 8);
  }
  static void Read(StateReader& r, double& v) {
    const uint64_t b = r.BigEndian(8);
    std::memcpy(&v, &b, 8);
  }
  static std::string Type() { return "DOUBLE"; }
};
template <>
struct Serde<std::string> {
  static void Write(StateWriter& w, const std::string& v) { w.Bytes(v); }
  static void Read(StateReader& r, std::string& v) { v.assign(r.Bytes()); }
  static std::string Type() { return "STRING"; }
};
template <>
struct Serde<VoidNamespace> {
  static void Write(StateWriter&, const VoidNamespace&) {}
  static void Read(StateReader&, VoidNamespace&) {}
  static std::string Type() { return "VOID"; }
};
template <class... Ts>
struct Serde<std::tuple<Ts...>> {
  static void Write(StateWriter& w, const std::tuple<Ts...>& t) {
    std::apply([&](const auto&... x) { (Serde<std::decay_t<decltype(x)>>::Write(w, x), ...); }, t);
  }
  static void Read(StateReader& r, std::tuple<Ts...>& t) {
    std::apply([&](auto&... x) { (Serde<std::decay_t<decltype(x)>>::Read(r, x), ...); }, t);
  }
  static std::string Type() {
    std::string s = "TUPLE<";
    bool first = true;
    ((s += (first ? "" : ","), s += Serde<Ts>::Type(), first = false), ...);
    return s + ">";
  }
};
template <class A, class B>
struct Serde<std::pair<A, B>> {
  static void Write(StateWriter& w, const std::pair<A, B>& v) {
    Serde<A>::Write(w, v.first);
    Serde<B>::Write(w, v.second);
  }
  static void Read(StateReader& r, std::pair<A, B>& v) {
    Serde<A>::Read(r, v.first);
    Serde<B>::Read(r, v.second);
  }
  static std::string Type() { return "PAIR<" + Serde<A>::Type() + "," + Serde<B>::Type() + ">"; }
};
template <class T>
struct Serde<std::vector<T>> {
  static void Write(StateWriter& w, const std::vector<T>& v) {
    w.Varint(v.size());
    for (const T& x : v) Serde<T>::Write(w, x);
  }
  static void Read(StateReader& r, std::vector<T>& v) {
    const uint64_t n = r.Varint();
    if (n > r.rest().size()) StateReader::Corrupt();  // every element takes >= 0 bytes; bound the reserve
    v.clear();
    v.resize(n);
    for (T& x : v) Serde<T>::Read(r, x);
  }
  static std::string Type() { return "LIST<" + Serde<T>::Type() + ">"; }
};

template <class T>
inline void SerializeTo(std::string* out, const T& v) {
  StateWriter w(out);
  Serde<T>::Write(w, v);
}

// Hashes keys and namespaces of state tables: dfc's stable hashes; a class type provides
// `uint64_t hash() const`.
struct StateHasher {
  using is_transparent = void;
  template <class T>
  size_t operator()(const T& v) const {
    return Of(v);
  }
  template <class T>
  static uint64_t Of(const T& v) {
    if constexpr (std::is_same_v<T, VoidNamespace>) {
      return 0;
    } else if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string>) {
      return v.hash();
    } else {
      return HashValue(v);
    }
  }
  template <class... Ts>
  static uint64_t Of(const std::tuple<Ts...>& t) {
    uint64_t h = 0;
    std::apply([&](const auto&... x) { ((h = HashCombine(h, Of(x))), ...); }, t);
    return h;
  }
  template <class A, class B>
  static uint64_t Of(const std::pair<A, B>& p) {
    return HashCombine(Of(p.first), Of(p.second));
  }
};

// ---------------------------------------------------------------------------------------------
// The byte store under the rocksdb backend (implemented in the runtime library)

class StateStore {
 public:
  virtual ~StateStore() = default;
  // The column (RocksDB column family) of a state, created on first use.
  virtual int Column(std::string_view state_name) = 0;
  // Reads a key (sees every Write() before it). False when absent.
  virtual bool Get(int column, std::string_view key, std::string* value) = 0;
  // Batched until Write().
  virtual void Put(int column, std::string_view key, std::string_view value) = 0;
  virtual void Delete(int column, std::string_view key) = 0;
  // Batched until Write(): deletes every key in [begin, end).
  virtual void DeleteRange(int column, std::string_view begin, std::string_view end) = 0;
  virtual void Write() = 0;
  // Every key starting with `prefix`, in byte order (sees every Write() before it).
  using ScanFn = void (*)(void* arg, std::string_view key, std::string_view value);
  virtual void Scan(int column, std::string_view prefix, ScanFn fn, void* arg) = 0;
  // Where the store keeps its files ("" when not on disk).
  virtual std::string path() const { return ""; }

  template <class F>
  void ScanAll(int column, std::string_view prefix, F&& f) {
    Scan(column, prefix, [](void* a, std::string_view k, std::string_view v) { (*static_cast<F*>(a))(k, v); },
         const_cast<void*>(static_cast<const void*>(&f)));
  }
};

// The store of `state.backend.type` for one keyed operator of this subtask: nullptr for
// `hashmap` (the default), an embedded RocksDB for `rocksdb`. Throws std::runtime_error for an
// unknown type or when RocksDB cannot open its directory.
std::unique_ptr<StateStore> OpenStateStore(const TaskContext& ctx, std::string_view operator_uid);

// ---------------------------------------------------------------------------------------------
// The backend

enum class StateKind : uint8_t {
  kValue = 1,
  kList = 2,
  kMap = 3,
  kReducing = 4,
  kAggregating = 5,
  kEventTimers = 16,
  kProcessingTimers = 17,
  // The window and join engines' own state (dfc/window.h, dfc/join.h), each in its own layout.
  kWindowPanes = 32,
  kWindowSessions = 33,
  kWindowCounts = 34,
  kIntervalJoin = 35,
};
const char* StateKindName(StateKind k);

// One registered state or timer queue (internal to the backend).
class KeyedStatePart {
 public:
  using Entries = std::vector<std::pair<std::string, std::string>>;
  KeyedStatePart(std::string name, StateKind kind, std::string type)
      : name_(std::move(name)), kind_(kind), type_(std::move(type)) {}
  virtual ~KeyedStatePart() = default;
  const std::string& name() const { return name_; }
  StateKind kind() const { return kind_; }
  const std::string& type() const { return type_; }
  // Appends the entries of key group kg (index kgi in the range): key bytes after the key group
  // prefix, value bytes. Any order.
  virtual void Collect(int kg, int kgi, Entries* out) = 0;
  // Adds one entry of key group kg.
  virtual void RestoreEntry(int kg, int kgi, std::string_view key, std::string_view value) = 0;
  // Snapshots (KeyedStateBackend::CaptureSnapshot, on the task thread): a view of the part's
  // entries as of now that the snapshot thread serializes later, while the task goes on
  // (copy-on-write, see StateTable); nullptr: the part is collected with Collect() at capture.
  virtual std::unique_ptr<class PartSnapshotView> CaptureView() { return nullptr; }
  // On the task thread once the snapshot of `CaptureView` is written: drop what it kept alive.
  virtual void ReleaseView() {}
  // rocksdb: writes dirty cached entries back; Evict() also empties the cache.
  virtual void WriteBack() {}
  virtual void Evict() {}
  virtual size_t cached() const { return 0; }

 private:
  std::string name_;
  StateKind kind_;
  std::string type_;
};

// The serialized entries of one part in one key group, collected by a snapshot (internal): key
// and value bytes back to back in one buffer, sorted by key when written.
struct SnapshotEntries {
  struct Entry {
    uint64_t prefix;  // the first 8 key bytes, big-endian, zero-padded (a fast first compare)
    size_t off;
    uint32_t klen, vlen;
  };
  std::string buf;
  std::vector<Entry> entries;
  // Call StartKey, write the key bytes to buf, StartValue, write the value bytes, EndValue.
  size_t StartKey() const { return buf.size(); }
  void EndEntry(size_t key_off, size_t value_off);
  void Add(std::string_view key, std::string_view value);
};

// A part's entries as captured at a barrier, serialized on the snapshot thread: every entry goes
// into (*by_kg)[key group - first key group]. Returns false when `cancel` was seen (the output is
// then incomplete, but every entry was released).
class PartSnapshotView {
 public:
  virtual ~PartSnapshotView() = default;
  virtual bool Serialize(int first_kg, std::vector<SnapshotEntries>* by_kg, const std::atomic<bool>& cancel) = 0;
};

// Shared by a backend and its snapshot in flight.
struct SnapshotControl {
  std::atomic<bool> cancel{false};  // set by the backend (task thread) when it goes away
  std::atomic<bool> done{false};    // set by the snapshot when it no longer reads the state
};

// One backend's state as of a barrier (KeyedStateBackend::CaptureSnapshot). Write() may run on
// another thread while the task goes on changing the state; MarkDone() ends the snapshot (after
// it, the snapshot must not read the state again).
class KeyedStateSnapshot {
 public:
  // Writes every non-empty key group into w (the canonical format). False when cancelled.
  bool Write(SnapshotWriter* w);
  // One key group (the whole state is serialized on the first call).
  void WriteKeyGroup(int kg, std::string* out);
  void MarkDone() { ctl_->done.store(true, std::memory_order_release); }
  // Makes Write() give up (it still releases what it holds); for a snapshot nobody will use.
  void Cancel() { ctl_->cancel.store(true, std::memory_order_release); }
  static constexpr uint8_t kFormatVersion = 1;
  bool cancelled() const { return ctl_->cancel.load(std::memory_order_acquire); }
  const std::string& uid() const { return uid_; }

 private:
  friend class KeyedStateBackend;
  struct Part {
    std::string name;
    StateKind kind;
    std::string type;
    std::unique_ptr<PartSnapshotView> view;  // null: by_kg was filled at capture
    std::vector<SnapshotEntries> by_kg;      // per key group of the range
  };
  bool Serialize();
  std::string uid_;
  KeyGroupRange range_;
  std::vector<Part> parts_;  // in order of name
  bool serialized_ = false;
  std::shared_ptr<SnapshotControl> ctl_ = std::make_shared<SnapshotControl>();
};

class KeyedStateBackend {
 public:
  // Registers itself with ctx under `uid` (TaskContext::keyed_backends()) and opens the store.
  KeyedStateBackend(TaskContext& ctx, std::string uid);
  virtual ~KeyedStateBackend();
  KeyedStateBackend(const KeyedStateBackend&) = delete;
  KeyedStateBackend& operator=(const KeyedStateBackend&) = delete;

  // ---- the snapshot contract (see the top of this file) ----
  KeyGroupRange range() const { return range_; }
  void SnapshotKeyGroup(int key_group, std::string* out) const;
  // The state as of now, for a checkpoint: on the task thread, between two records. The
  // snapshot is written later (KeyedStateSnapshot::Write, on any thread) while the task goes on:
  // hashmap states are copy-on-write until it is done; other parts are collected here. One
  // snapshot at a time: this waits for the previous one's MarkDone().
  std::unique_ptr<KeyedStateSnapshot> CaptureSnapshot();
  // Copy-on-write (for the typed states): a snapshot may still read entries of epoch < cow_epoch().
  bool cow_active() const { return cow_active_; }
  uint32_t cow_epoch() const { return cow_epoch_; }
  // True while the snapshot in flight is not done; ends it (releases its views) when it is.
  bool CowStillActive();
  void RestoreKeyGroup(int key_group, std::string_view bytes);

  const std::string& uid() const { return uid_; }
  int max_parallelism() const { return max_parallelism_; }
  const char* type_name() const { return store_ ? "rocksdb" : "hashmap"; }
  // Names of restored parts that no declared state or timer service has claimed (yet).
  std::vector<std::string> UnclaimedRestoredStates() const;
  // Writes every cached rocksdb entry back (a no-op for hashmap).
  void WriteBack();
  // Registers a part that keeps its own state (the window and join engines of dfc/window.h and
  // dfc/join.h): it takes part in SnapshotKeyGroup / RestoreKeyGroup like a declared state.
  // A second part of the same name is an error.
  KeyedStatePart* RegisterPart(std::unique_ptr<KeyedStatePart> part) {
    if (FindPart(part->name())) throw std::logic_error("keyed state: '" + part->name() + "' declared twice");
    return AddPart(std::move(part));
  }

  // ---- for the typed states (internal) ----
  int current_key_group() const { return kg_; }
  int current_kgi() const { return kgi_; }
  StateStore* store() const { return store_.get(); }
  TaskContext& ctx() const { return *ctx_; }
  // Keyed-state key prefix: the key group, 2 bytes big-endian.
  static void AppendKeyGroup(std::string* out, int kg) {
    out->push_back(static_cast<char>((kg >> 8) & 0xff));
    out->push_back(static_cast<char>(kg & 0xff));
  }
  // Max cached entries per state before the rocksdb cache is written back and emptied
  // (state.backend.rocksdb.cache-entries, default 65536).
  size_t cache_capacity() const { return cache_capacity_; }

 protected:
  // Takes ownership; the part claims any restored entries of its name. A second declaration of
  // a name returns the existing part (the caller checks its kind and type).
  KeyedStatePart* AddPart(std::unique_ptr<KeyedStatePart> part);
  KeyedStatePart* FindPart(std::string_view name) const;
  // Throws: `name` is already declared as another kind or type of state.
  [[noreturn]] static void AlreadyDeclared(std::string_view name, const KeyedStatePart& existing);
  // KeyGroupFor(hash, max_parallelism) without a division for the usual power-of-two M.
  int KeyGroupOfHash(uint64_t hash) const {
    return kg_mask_ ? static_cast<int>(hash & kg_mask_) : KeyGroupFor(hash, max_parallelism_);
  }
  void SetKeyGroup(int kg) {
    if (!range_.contains(kg)) KeyOutOfRange(kg);
    kg_ = kg;
    kgi_ = kg - range_.start;
    if (store_ && ++accesses_ >= 1024) {
      accesses_ = 0;
      MaybeEvict();
    }
  }

 private:
  [[noreturn]] void KeyOutOfRange(int kg) const;
  void MaybeEvict();
  void EndCow();
  // CaptureSnapshot, or (only_kg >= 0) that key group collected at once.
  std::unique_ptr<KeyedStateSnapshot> Capture(int only_kg);
  // Restored entries of a part nobody has declared yet.
  struct Pending {
    std::string name;
    StateKind kind;
    std::string type;
    std::vector<std::pair<int, KeyedStatePart::Entries>> groups;  // key group, entries
  };

  bool cow_active_ = false;
  uint32_t cow_epoch_ = 0;
  std::shared_ptr<SnapshotControl> cow_ctl_;  // of the snapshot in flight

  TaskContext* ctx_;
  std::string uid_;
  int max_parallelism_;
  KeyGroupRange range_;
  std::unique_ptr<StateStore> store_;
  size_t cache_capacity_ = 65536;
  std::vector<std::unique_ptr<KeyedStatePart>> parts_;  // declaration order
  std::vector<std::unique_ptr<Pending>> pending_;       // restored, not yet claimed
  int kg_ = 0, kgi_ = 0;
  uint64_t kg_mask_ = 0;  // max_parallelism - 1 when it is a power of two
  uint32_t accesses_ = 0;
};

template <class K>
class KeyedBackend;

// Copy-on-write bookkeeping of one hashmap state entry (StateTable's slots). A snapshot captures
// pointers to every entry at the barrier (epoch E) and serializes them on its own thread; the task
// thread, before it changes or erases an entry whose mark is of an epoch < E, preserves the old
// value for the snapshot (`copy`, mark E|kCopied) unless the snapshot thread has claimed the entry
// first (E|kReading while it reads the value, then E|kDone; the task waits for kDone). Erased
// entries stay allocated until the snapshot is done. New entries are born E|kDone.
struct CowSlot {
  static constexpr uint32_t kDone = 0, kReading = 1, kCopied = 2;
  CowSlot() = default;
  CowSlot(const CowSlot&) = delete;
  CowSlot& operator=(const CowSlot&) = delete;
  std::atomic<uint32_t> mark{0};  // epoch << 2 | state
  uint32_t index = 0;             // StateTable: the entry's position in its list of all entries
  void* copy = nullptr;           // the preserved value (kCopied), freed by the snapshot thread
  // Waits until the snapshot thread has read the entry (mark no longer kReading).
  static void WaitRead(const CowSlot& s);
};

// The type-independent half of a state's entries, compiled once into the runtime library
// (state.cc): snapshot (Collect), restore, and the rocksdb write-back cache (write-back, eviction,
// reading, writing and deleting store entries). It works through a few small typed primitives
// that StateTable implements, so a job instantiates per state type only its hot per-record paths
// and those primitives — not the snapshot, restore and spill loops (issue 2: `dfc build` time).
class StateTableBase : public KeyedStatePart {
 public:
  StateTableBase(KeyedStateBackend* b, std::string name, StateKind kind, std::string type);

  // ---- KeyedStatePart ----
  void Collect(int kg, int kgi, Entries* out) override;
  void RestoreEntry(int kg, int kgi, std::string_view key, std::string_view value) override;
  void WriteBack() override;
  void Evict() override;
  std::unique_ptr<PartSnapshotView> CaptureView() override;

 protected:
  friend class TableSnapshotView;
  // ---- typed primitives (StateTable) ----
  // Calls fn(arg, &map_key, &value) for every cached entry.
  using EntryFn = void (*)(void* arg, const void* map_key, void* value);
  virtual void ForEachEntry(EntryFn fn, void* arg) = 0;
  // Serde(key) Serde(namespace) of a map key.
  virtual void WriteMapKey(const void* map_key, StateWriter& w) const = 0;
  virtual int KeyGroupOfMapKey(const void* map_key) const = 0;
  // Reads Serde(key) Serde(namespace) and returns that entry's value (default-constructed when new).
  virtual void* RestoreSlot(StateReader& key) = 0;
  virtual void WriteValue(const void* value, StateWriter& w) const = 0;
  virtual void ReadValue(StateReader& r, void* value) const = 0;
  virtual void ClearCache() = 0;
  // ---- snapshots (hashmap) ----
  // Every entry (opaque pointers for EntryKey / EntrySlot), from a dense list (no walk of the map).
  virtual void CaptureEntries(std::vector<void*>* out) = 0;
  virtual const void* EntryKey(const void* entry) const = 0;
  virtual CowSlot* EntrySlot(void* entry) const = 0;
  virtual const void* ValueOfSlot(const CowSlot* slot) const = 0;
  virtual void DeleteCopy(void* copy) const = 0;
  // Appends the snapshot entries of one map entry whose Serde(key) Serde(namespace) is `key` (on
  // the snapshot thread: reads only the value).
  virtual void AppendEntries(SnapshotEntries* out, std::string_view key, const void* value) const;

  // ---- encoding hooks over the value (MapState overrides them: one entry per user key) ----
  virtual void CollectValue(const std::string& key, const void* value, Entries* out);
  virtual void RestoreValue(StateReader& key_rest, std::string_view bytes, void* value);
  // rocksdb: reads the value stored under store_key; false when absent.
  virtual bool LoadValue(const std::string& store_key, void* value);
  virtual void StoreValue(const std::string& store_key, void* value);
  virtual void DeleteStored(const std::string& store_key);

  KeyedStateBackend* base_backend() const { return kb_; }
  int column() const { return col_; }

  uint64_t version_ = 0;  // bumped by every access that may change the map

 private:
  KeyedStateBackend* kb_;
  int col_ = -1;
  uint64_t bucketed_ = ~0ULL;  // version by_kg_ was built at
  uint64_t written_back_ = ~0ULL;
  std::vector<std::vector<std::pair<const void*, const void*>>> by_kg_;  // (map key, value)
};

// The entries of one state: one hash map (key, namespace) -> S; a snapshot buckets the entries by
// key group (once per snapshot, not per key group). With rocksdb the map is a write-back cache over
// the store: every cached entry counts as dirty (keyed state is read-modify-write), absent entries
// are not cached, and clear() deletes from the store at once.
template <class K, class N, class S>
class StateTable : public StateTableBase {
  struct Slot : CowSlot {
    Slot() = default;
    explicit Slot(S v) : value(std::move(v)) {}
    S value{};
  };

 public:
  StateTable(KeyedBackend<K>* b, std::string name, StateKind kind, std::string type)
      : StateTableBase(b, std::move(name), kind, std::move(type)), b_(b) {}

  void set_namespace(const N& ns) { ns_ = ns; }
  const N& current_namespace() const { return ns_; }

  // The current key's value, or nullptr when absent.
  S* Find() {
    ++version_;
    auto it = map_.find(View{&b_->current_key(), &ns_, b_->current_key_hash()});
    if (it != map_.end()) {
      if (b_->cow_active()) [[unlikely]] Protect(it->second);
      return &it->second.value;
    }
    if (!b_->store()) return nullptr;
    S v{};
    if (!LoadValue(StoreKeyOfCurrent(), &v)) return nullptr;
    return &Emplace(MakeKey(), std::move(v));
  }
  // The current key's value, created (default-initialized) when absent; *created tells.
  S& FindOrCreate(bool* created) {
    ++version_;
    auto it = map_.find(View{&b_->current_key(), &ns_, b_->current_key_hash()});
    if (it != map_.end()) {
      *created = false;
      if (b_->cow_active()) [[unlikely]] Protect(it->second);
      return it->second.value;
    }
    S v{};
    *created = !(b_->store() && LoadValue(StoreKeyOfCurrent(), &v));
    return Emplace(MakeKey(), std::move(v));
  }
  void Erase() {
    ++version_;
    auto it = map_.find(View{&b_->current_key(), &ns_, b_->current_key_hash()});
    if (it != map_.end()) EraseEntry(it);
    if (b_->store()) {
      DeleteStored(StoreKeyOfCurrent());
      b_->store()->Write();
    }
  }

  // Every cached (key, namespace, value); with hashmap that is every entry. For tests and tools.
  template <class F>
  void ForEachCached(F&& f) const {
    for (const auto& [k, v] : map_) f(KeyOf(k), NsOf(k), v.value);
  }

  // State TTL's incremental cleanup (dfc/state_ttl.h): visits the next `buckets` buckets of the
  // cached map (a cursor that wraps around, so repeated calls cover every entry), calls drop(S&)
  // on each entry but the current key's, and erases those for which it returns true (from the
  // rocksdb store too). drop may also shrink an entry it keeps (expired list elements).
  template <class Drop>
  void CleanupSome(size_t buckets, Drop&& drop) {
    if (map_.empty()) return;
    const size_t n = map_.bucket_count();
    cleanup_victims_.clear();
    for (size_t i = 0; i < buckets; ++i) {
      if (cleanup_cursor_ >= n) cleanup_cursor_ = 0;
      for (auto it = map_.begin(cleanup_cursor_); it != map_.end(cleanup_cursor_); ++it) {
        if (KeyOf(it->first) == b_->current_key() && NsOf(it->first) == ns_) continue;
        if (b_->cow_active()) Protect(it->second);
        if (drop(it->second.value)) cleanup_victims_.push_back(it->first);
      }
      ++cleanup_cursor_;
    }
    if (cleanup_victims_.empty()) return;
    ++version_;
    for (const Key& k : cleanup_victims_) {
      if (b_->store()) {
        std::string key;
        KeyedStateBackend::AppendKeyGroup(&key, KeyGroupOfMapKey(&k));
        StateWriter w(&key);
        WriteMapKey(&k, w);
        DeleteStored(key);
      }
      if (auto it = map_.find(k); it != map_.end()) EraseEntry(it);
    }
    cleanup_victims_.clear();
    if (b_->store()) b_->store()->Write();
  }
  // State TTL's sweep of the rocksdb store (entries the cache wrote back): visits every stored
  // entry of the next key group of the range (a cursor that wraps around) and calls
  // fix(value bytes, &rewritten): 0 keeps the entry, 1 deletes it, 2 replaces its value.
  template <class Fix>
  void CleanupStoredKeyGroup(Fix&& fix) {
    StateStore* st = b_->store();
    const KeyGroupRange r = b_->range();
    if (!st || r.size() == 0) return;
    if (store_cursor_ < r.start || store_cursor_ > r.end) store_cursor_ = r.start;
    std::string prefix;
    KeyedStateBackend::AppendKeyGroup(&prefix, store_cursor_++);
    std::vector<std::string> dels;
    std::vector<std::pair<std::string, std::string>> puts;
    std::string rewritten;
    st->ScanAll(column(), prefix, [&](std::string_view k, std::string_view v) {
      rewritten.clear();
      const int what = fix(v, &rewritten);
      if (what == 1) dels.emplace_back(k);
      if (what == 2) puts.emplace_back(std::string(k), rewritten);
    });
    for (const auto& k : dels) st->Delete(column(), k);
    for (const auto& [k, v] : puts) st->Put(column(), k, v);
    if (!dels.empty() || !puts.empty()) st->Write();
  }

  size_t cached() const override { return map_.size(); }

 protected:
  KeyedBackend<K>* backend() const { return b_; }
  // kg + Serde(key) + Serde(namespace) of the current key.
  std::string StoreKeyOfCurrent() const {
    std::string k;
    KeyedStateBackend::AppendKeyGroup(&k, b_->current_key_group());
    StateWriter w(&k);
    Serde<K>::Write(w, b_->current_key());
    Serde<N>::Write(w, ns_);
    return k;
  }

 private:
  static constexpr bool kVoidNs = std::is_same_v<N, VoidNamespace>;
  using Key = std::conditional_t<kVoidNs, K, std::pair<K, N>>;
  struct View {
    const K* k;
    const N* n;
    uint64_t key_hash;  // KeyGroupHash(*k), computed once by SetCurrentKey
  };
  struct Hash {
    using is_transparent = void;
    static size_t Mix(uint64_t key_hash, const N& ns) {
      if constexpr (kVoidNs) {
        return key_hash;
      } else {
        return HashCombine(key_hash, StateHasher::Of(ns));
      }
    }
    size_t operator()(const Key& k) const { return Mix(KeyGroupHash(KeyOf(k)), NsOf(k)); }
    size_t operator()(const View& v) const { return Mix(v.key_hash, *v.n); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(const Key& a, const Key& b) const { return a == b; }
    bool operator()(const View& a, const Key& b) const { return *a.k == KeyOf(b) && *a.n == NsOf(b); }
    bool operator()(const Key& a, const View& b) const { return (*this)(b, a); }
  };
  using Map = std::unordered_map<Key, Slot, Hash, Eq>;

  using Entry = typename Map::value_type;

  // A new entry (absent before): born done for the epoch of the snapshot in flight (it is not
  // part of it).
  S& Emplace(Key k, S v) {
    Entry& e = *map_.emplace(std::piecewise_construct, std::forward_as_tuple(std::move(k)),
                             std::forward_as_tuple(std::move(v)))
                    .first;
    Track(e);
    return e.second.value;
  }
  void Track(Entry& e) {
    e.second.mark.store(b_->cow_epoch() << 2 | CowSlot::kDone, std::memory_order_relaxed);
    e.second.index = static_cast<uint32_t>(all_.size());
    all_.push_back(&e);
  }
  // Erases an entry; while a snapshot may still read it, it stays allocated until then.
  void EraseEntry(typename Map::iterator it) {
    const uint32_t i = it->second.index;
    all_[i] = all_.back();
    all_[i]->second.index = i;
    all_.pop_back();
    if (b_->cow_active() && b_->CowStillActive()) {
      graveyard_.push_back(map_.extract(it));
    } else {
      map_.erase(it);
    }
  }
  // Before an entry may change while a snapshot is in flight (see CowSlot).
  void Protect(Slot& s) {
    if (!b_->CowStillActive()) return;
    const uint32_t e = b_->cow_epoch();
    uint32_t m = s.mark.load(std::memory_order_acquire);
    if ((m >> 2) >= e) {
      if ((m & 3) == CowSlot::kReading) CowSlot::WaitRead(s);
      return;
    }
    S* c = new S(s.value);
    s.copy = c;
    if (s.mark.compare_exchange_strong(m, e << 2 | CowSlot::kCopied, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
      return;
    }
    s.copy = nullptr;  // the snapshot thread claimed it first
    delete c;
    CowSlot::WaitRead(s);
  }

  static const K& KeyOf(const Key& k) {
    if constexpr (kVoidNs) {
      return k;
    } else {
      return k.first;
    }
  }
  static const N& NsOf(const Key& k) {
    if constexpr (kVoidNs) {
      static const VoidNamespace v{};
      return v;
    } else {
      return k.second;
    }
  }
  Key MakeKey() const {
    if constexpr (kVoidNs) {
      return b_->current_key();
    } else {
      return Key(b_->current_key(), ns_);
    }
  }

  // ---- typed primitives ----
  void ForEachEntry(EntryFn fn, void* arg) override {
    for (auto& e : map_) fn(arg, &e.first, &e.second.value);
  }
  void CaptureEntries(std::vector<void*>* out) override { out->assign(all_.begin(), all_.end()); }
  const void* EntryKey(const void* entry) const override { return &static_cast<const Entry*>(entry)->first; }
  CowSlot* EntrySlot(void* entry) const override { return &static_cast<Entry*>(entry)->second; }
  const void* ValueOfSlot(const CowSlot* slot) const override { return &static_cast<const Slot*>(slot)->value; }
  void DeleteCopy(void* copy) const override { delete static_cast<S*>(copy); }
  void ReleaseView() override { graveyard_.clear(); }
  void WriteMapKey(const void* map_key, StateWriter& w) const override {
    const Key& k = *static_cast<const Key*>(map_key);
    Serde<K>::Write(w, KeyOf(k));
    Serde<N>::Write(w, NsOf(k));
  }
  int KeyGroupOfMapKey(const void* map_key) const override {
    return KeyGroupFor(KeyGroupHash(KeyOf(*static_cast<const Key*>(map_key))), b_->max_parallelism());
  }
  void* RestoreSlot(StateReader& r) override {
    Key k{};
    if constexpr (kVoidNs) {
      Serde<K>::Read(r, k);
    } else {
      Serde<K>::Read(r, k.first);
      Serde<N>::Read(r, k.second);
    }
    auto [it, inserted] = map_.try_emplace(std::move(k));
    if (inserted) Track(*it);
    return &it->second.value;
  }
  void WriteValue(const void* value, StateWriter& w) const override {
    Serde<S>::Write(w, *static_cast<const S*>(value));
  }
  void ReadValue(StateReader& r, void* value) const override { Serde<S>::Read(r, *static_cast<S*>(value)); }
  void ClearCache() override {  // rocksdb only: never copy-on-write
    map_ = Map();
    all_ = std::vector<Entry*>();
  }

  KeyedBackend<K>* b_;
  Map map_;
  std::vector<Entry*> all_;                         // every entry of map_ (Slot::index)
  std::vector<typename Map::node_type> graveyard_;  // erased while a snapshot may read them
  N ns_{};
  size_t cleanup_cursor_ = 0;  // CleanupSome's next bucket
  int store_cursor_ = -1;      // CleanupStoredKeyGroup's next key group
  std::vector<Key> cleanup_victims_;
};

// ---- the typed states ----

template <class K, class V, class N = VoidNamespace>
class ValueState final : public StateTable<K, N, V> {
  using Base = StateTable<K, N, V>;

 public:
  ValueState(KeyedBackend<K>* b, std::string name)
      : Base(b, std::move(name), StateKind::kValue, Serde<V>::Type()) {}
  // nullptr when absent.
  const V* get() { return Base::Find(); }
  std::optional<V> value() {
    const V* s = Base::Find();
    return s ? std::optional<V>(*s) : std::nullopt;
  }
  V value_or(V def) {
    const V* s = Base::Find();
    return s ? *s : std::move(def);
  }
  bool has() { return Base::Find() != nullptr; }
  void update(V v) {
    bool created = false;
    Base::FindOrCreate(&created) = std::move(v);
  }
  // In-place access: the value, created from `init` when absent (*created tells). Counts as an
  // update (rocksdb writes it back).
  V& get_or_insert(const V& init, bool* created) {
    V& s = Base::FindOrCreate(created);
    if (*created) s = init;
    return s;
  }
  void clear() { Base::Erase(); }
};

template <class K, class V, class N = VoidNamespace>
class ListState final : public StateTable<K, N, std::vector<V>> {
  using Base = StateTable<K, N, std::vector<V>>;

 public:
  ListState(KeyedBackend<K>* b, std::string name)
      : Base(b, std::move(name), StateKind::kList, Serde<V>::Type()) {}
  // The elements (empty when absent).
  const std::vector<V>& get() {
    const std::vector<V>* s = Base::Find();
    return s ? *s : empty_;
  }
  void add(V v) {
    bool created = false;
    Base::FindOrCreate(&created).push_back(std::move(v));
  }
  void add_all(const std::vector<V>& vs) {
    if (vs.empty()) return;
    bool created = false;
    std::vector<V>& s = Base::FindOrCreate(&created);
    s.insert(s.end(), vs.begin(), vs.end());
  }
  // Replaces the list (an empty list clears it, as in Flink).
  void update(std::vector<V> vs) {
    if (vs.empty()) {
      clear();
      return;
    }
    bool created = false;
    Base::FindOrCreate(&created) = std::move(vs);
  }
  void clear() { Base::Erase(); }

 private:
  const std::vector<V> empty_;
};

template <class K, class UK, class UV>
struct MapSlot {
  std::unordered_map<UK, UV, StateHasher> map;
  std::vector<UK> removed;  // rocksdb: user keys to delete on write-back
};
template <class K, class UK, class UV>
struct Serde<MapSlot<K, UK, UV>> {  // the type signature; MapState stores one entry per user key
  static void Write(StateWriter& w, const MapSlot<K, UK, UV>& v) {
    w.Varint(v.map.size());
    for (const auto& [uk, uv] : v.map) {
      Serde<UK>::Write(w, uk);
      Serde<UV>::Write(w, uv);
    }
  }
  static void Read(StateReader& r, MapSlot<K, UK, UV>& v) {
    v.map.clear();
    for (uint64_t n = r.Varint(); n > 0; --n) {
      UK uk{};
      UV uv{};
      Serde<UK>::Read(r, uk);
      Serde<UV>::Read(r, uv);
      v.map.insert_or_assign(std::move(uk), std::move(uv));
    }
  }
  static std::string Type() { return "MAP<" + Serde<UK>::Type() + "," + Serde<UV>::Type() + ">"; }
};

template <class K, class UK, class UV, class N = VoidNamespace>
class MapState final : public StateTable<K, N, MapSlot<K, UK, UV>> {
  using S = MapSlot<K, UK, UV>;
  using Base = StateTable<K, N, S>;

 public:
  MapState(KeyedBackend<K>* b, std::string name)
      : Base(b, std::move(name), StateKind::kMap, Serde<S>::Type()) {}
  // nullptr when absent.
  const UV* get(const UK& uk) {
    S* s = Base::Find();
    if (!s) return nullptr;
    auto it = s->map.find(uk);
    return it == s->map.end() ? nullptr : &it->second;
  }
  bool contains(const UK& uk) { return get(uk) != nullptr; }
  void put(const UK& uk, UV uv) {
    bool created = false;
    Base::FindOrCreate(&created).map.insert_or_assign(uk, std::move(uv));
  }
  void remove(const UK& uk) {
    S* s = Base::Find();
    if (!s || s->map.erase(uk) == 0) return;
    if (s->map.empty()) {
      Base::Erase();
    } else if (Base::backend()->store()) {
      s->removed.push_back(uk);
    }
  }
  bool is_empty() { return Base::Find() == nullptr; }
  // The current key's entries (unordered; empty when absent).
  const std::unordered_map<UK, UV, StateHasher>& entries() {
    const S* s = Base::Find();
    return s ? s->map : empty_;
  }
  // The entries sorted by user key (deterministic iteration).
  std::vector<std::pair<UK, UV>> sorted_entries() {
    const auto& m = entries();
    std::vector<std::pair<UK, UV>> v(m.begin(), m.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return v;
  }
  void clear() { Base::Erase(); }

 private:
  void AppendEntries(SnapshotEntries* out, std::string_view key, const void* value) const override {
    const S& v = *static_cast<const S*>(value);
    StateWriter w(&out->buf);
    for (const auto& [uk, uv] : v.map) {
      const size_t k = out->StartKey();
      out->buf.append(key);
      Serde<UK>::Write(w, uk);
      const size_t val = out->buf.size();
      Serde<UV>::Write(w, uv);
      out->EndEntry(k, val);
    }
  }
  void CollectValue(const std::string& key, const void* value, KeyedStatePart::Entries* out) override {
    const S& v = *static_cast<const S*>(value);
    for (const auto& [uk, uv] : v.map) {
      std::string k = key, val;
      SerializeTo(&k, uk);
      SerializeTo(&val, uv);
      out->emplace_back(std::move(k), std::move(val));
    }
  }
  void RestoreValue(StateReader& key_rest, std::string_view value, void* slot) override {
    S& v = *static_cast<S*>(slot);
    UK uk{};
    UV uv{};
    Serde<UK>::Read(key_rest, uk);
    if (!key_rest.done()) StateReader::Corrupt();
    StateReader r(value);
    Serde<UV>::Read(r, uv);
    v.map.insert_or_assign(std::move(uk), std::move(uv));
  }
  bool LoadValue(const std::string& store_key, void* slot) override {
    S& s = *static_cast<S*>(slot);
    s.map.clear();
    s.removed.clear();
    Base::backend()->store()->ScanAll(Base::column(), store_key, [&](std::string_view k, std::string_view v) {
      StateReader kr(k.substr(store_key.size()));
      UK uk{};
      UV uv{};
      Serde<UK>::Read(kr, uk);
      StateReader vr(v);
      Serde<UV>::Read(vr, uv);
      s.map.emplace(std::move(uk), std::move(uv));
    });
    return !s.map.empty();
  }
  void StoreValue(const std::string& store_key, void* slot) override {
    S& s = *static_cast<S*>(slot);
    StateStore* st = Base::backend()->store();
    for (const UK& uk : s.removed) {
      std::string k = store_key;
      SerializeTo(&k, uk);
      st->Delete(Base::column(), k);
    }
    s.removed.clear();
    for (const auto& [uk, uv] : s.map) {
      std::string k = store_key, val;
      SerializeTo(&k, uk);
      SerializeTo(&val, uv);
      st->Put(Base::column(), k, val);
    }
  }
  void DeleteStored(const std::string& store_key) override {
    StateStore* st = Base::backend()->store();
    std::vector<std::string> keys;
    st->ScanAll(Base::column(), store_key, [&](std::string_view k, std::string_view) { keys.emplace_back(k); });
    for (const auto& k : keys) st->Delete(Base::column(), k);
  }

  const std::unordered_map<UK, UV, StateHasher> empty_;
};

// ReduceFn: V(const V& acc, const V& next) (or taking V by value).
template <class K, class V, class ReduceFn, class N = VoidNamespace>
class ReducingState final : public StateTable<K, N, V> {
  using Base = StateTable<K, N, V>;

 public:
  ReducingState(KeyedBackend<K>* b, std::string name, ReduceFn fn)
      : Base(b, std::move(name), StateKind::kReducing, Serde<V>::Type()), fn_(std::move(fn)) {}
  const V* get() { return Base::Find(); }
  // Stores v for a new key, else fn(stored, v). Returns the stored value.
  const V& add(const V& v) {
    bool created = false;
    V& s = Base::FindOrCreate(&created);
    if (created) {
      s = v;
    } else {
      s = fn_(std::move(s), v);
    }
    return s;
  }
  void clear() { Base::Erase(); }

 private:
  ReduceFn fn_;
};

// AggregateFn (Flink's AggregateFunction): ACC create_accumulator(); void add(const IN&, ACC&);
// OUT get_result(const ACC&).
template <class K, class IN, class ACC, class OUT, class AggregateFn, class N = VoidNamespace>
class AggregatingState final : public StateTable<K, N, ACC> {
  using Base = StateTable<K, N, ACC>;

 public:
  AggregatingState(KeyedBackend<K>* b, std::string name, AggregateFn fn)
      : Base(b, std::move(name), StateKind::kAggregating, Serde<ACC>::Type()), fn_(std::move(fn)) {}
  std::optional<OUT> get() {
    const ACC* s = Base::Find();
    return s ? std::optional<OUT>(fn_.get_result(*s)) : std::nullopt;
  }
  void add(const IN& in) {
    bool created = false;
    ACC& s = Base::FindOrCreate(&created);
    if (created) s = fn_.create_accumulator();
    fn_.add(in, s);
  }
  const ACC* accumulator() { return Base::Find(); }
  void clear() { Base::Erase(); }

 private:
  AggregateFn fn_;
};

// ---------------------------------------------------------------------------------------------
// Timers (Flink's InternalTimerService): per key, namespace and time, de-duplicated; event-time
// timers fire when the watermark reaches their time, processing-time timers when the clock
// (TaskContext::clock()->NowMillis()) does; both in ascending time order (ties: key, namespace).

class TimerServiceBase {
 public:
  virtual ~TimerServiceBase() = default;
  virtual int64_t next_processing_time() const = 0;
};

template <class K, class N = VoidNamespace>
class TimerService final : public TimerServiceBase {
 public:
  struct Timer {
    int64_t ts;
    K key;
    N ns;
    bool operator<(const Timer& o) const {
      if (ts != o.ts) return ts < o.ts;
      if (key < o.key) return true;
      if (o.key < key) return false;
      return ns < o.ns;
    }
  };

  TimerService(KeyedBackend<K>* b, std::string name);

  // For the current key.
  void RegisterEventTimeTimer(int64_t ts, const N& ns = N{}) { Add(event_, ts, ns); }
  void DeleteEventTimeTimer(int64_t ts, const N& ns = N{}) { Remove(event_, ts, ns); }
  void RegisterProcessingTimeTimer(int64_t ts, const N& ns = N{}) { Add(proc_, ts, ns); }
  void DeleteProcessingTimeTimer(int64_t ts, const N& ns = N{}) { Remove(proc_, ts, ns); }

  int64_t current_watermark() const { return watermark_; }
  int64_t current_processing_time() const;
  size_t num_event_timers() const { return event_->timers.size(); }
  size_t num_processing_timers() const { return proc_->timers.size(); }
  // The earliest processing-time timer, or kMaxWatermark when none.
  int64_t next_processing_time() const override {
    return proc_->timers.empty() ? kMaxWatermark : proc_->timers.begin()->ts;
  }

  // Sets the watermark, then fires every event-time timer with ts <= wm in order:
  // on_timer(const Timer&) runs with the timer's key set as the current key. Call before
  // forwarding the watermark. Timers registered by on_timer at or before wm fire in the same call.
  template <class F>
  void AdvanceWatermark(int64_t wm, F&& on_timer) {
    if (wm > watermark_) watermark_ = wm;
    Fire(event_, wm, on_timer);
  }
  // Fires every processing-time timer with ts <= now.
  template <class F>
  void AdvanceProcessingTime(int64_t now, F&& on_timer) {
    Fire(proc_, now, on_timer);
  }

 private:
  class Queue final : public KeyedStatePart {
   public:
    Queue(KeyedBackend<K>* b, std::string name, StateKind kind)
        : KeyedStatePart(std::move(name), kind, Serde<K>::Type() + "/" + Serde<N>::Type()), b_(b) {}
    void Collect(int kg, int kgi, Entries* out) override {
      if (by_kg_version_ != version_) {  // bucket once per snapshot, not once per key group
        by_kg_.assign(static_cast<size_t>(b_->range().size()), {});
        for (const Timer& t : timers)
          by_kg_[static_cast<size_t>(KeyGroupFor(KeyGroupHash(t.key), b_->max_parallelism()) - b_->range().start)]
              .push_back(&t);
        by_kg_version_ = version_;
      }
      (void)kg;
      for (const Timer* t : by_kg_[static_cast<size_t>(kgi)]) {
        std::string k;
        StateWriter w(&k);
        Serde<K>::Write(w, t->key);
        Serde<N>::Write(w, t->ns);
        Serde<int64_t>::Write(w, t->ts);
        out->emplace_back(std::move(k), std::string());
      }
    }
    void RestoreEntry(int, int, std::string_view key, std::string_view) override {
      StateReader r(key);
      Timer t{0, K{}, N{}};
      Serde<K>::Read(r, t.key);
      Serde<N>::Read(r, t.ns);
      Serde<int64_t>::Read(r, t.ts);
      if (!r.done()) StateReader::Corrupt();
      timers.insert(std::move(t));
      ++version_;
    }
    std::set<Timer> timers;
    uint64_t version_ = 0;

   private:
    KeyedBackend<K>* b_;
    std::vector<std::vector<const Timer*>> by_kg_;
    uint64_t by_kg_version_ = ~0ULL;
  };

  void Add(Queue* q, int64_t ts, const N& ns);
  void Remove(Queue* q, int64_t ts, const N& ns);
  template <class F>
  void Fire(Queue* q, int64_t upto, F& on_timer);

  KeyedBackend<K>* b_;
  Queue* event_;
  Queue* proc_;
  int64_t watermark_ = kMinWatermark;
};

// The backend of an operator keyed by K.
template <class K>
class KeyedBackend final : public KeyedStateBackend {
 public:
  using KeyedStateBackend::KeyedStateBackend;

  void SetCurrentKey(const K& key) {
    key_ = key;
    key_hash_ = KeyGroupHash(key_);
    SetKeyGroup(KeyGroupOfHash(key_hash_));
  }
  const K& current_key() const { return key_; }
  uint64_t current_key_hash() const { return key_hash_; }

  // Declares a state by name (its descriptor). Declaring a name again returns the same state; a
  // different kind or type under one name is an error.
  template <class V, class N = VoidNamespace>
  ValueState<K, V, N>& GetValueState(std::string_view name) {
    return Declare<ValueState<K, V, N>>(name);
  }
  template <class V, class N = VoidNamespace>
  ListState<K, V, N>& GetListState(std::string_view name) {
    return Declare<ListState<K, V, N>>(name);
  }
  template <class UK, class UV, class N = VoidNamespace>
  MapState<K, UK, UV, N>& GetMapState(std::string_view name) {
    return Declare<MapState<K, UK, UV, N>>(name);
  }
  template <class V, class N = VoidNamespace, class F>
  ReducingState<K, V, F, N>& GetReducingState(std::string_view name, F fn) {
    return Declare<ReducingState<K, V, F, N>>(name, std::move(fn));
  }
  template <class IN, class OUT, class N = VoidNamespace, class F>
  auto& GetAggregatingState(std::string_view name, F fn) {
    using ACC = decltype(fn.create_accumulator());
    return Declare<AggregatingState<K, IN, ACC, OUT, F, N>>(name, std::move(fn));
  }
  // A timer service (two parts: "<name>/event" and "<name>/processing").
  template <class N = VoidNamespace>
  TimerService<K, N>& GetTimerService(std::string_view name) {
    for (auto& t : timer_services_)
      if (t.first == name) {
        auto* ts = dynamic_cast<TimerService<K, N>*>(t.second.get());
        if (!ts) throw std::logic_error("keyed state: timer service '" + std::string(name) + "' declared twice with different namespaces");
        return *ts;
      }
    auto* ts = new TimerService<K, N>(this, std::string(name));
    timer_services_.emplace_back(std::string(name), std::unique_ptr<TimerServiceBase>(ts));
    return *ts;
  }
  // The earliest processing-time timer over all timer services (kMaxWatermark when none).
  int64_t next_processing_time() const {
    int64_t m = kMaxWatermark;
    for (auto& t : timer_services_) m = std::min(m, t.second->next_processing_time());
    return m;
  }

  // Internal: lets a TimerService register its queues.
  KeyedStatePart* AddTimerQueue(std::unique_ptr<KeyedStatePart> q) {
    KeyedStatePart* p = FindPart(q->name());
    if (p) throw std::logic_error("keyed state: '" + q->name() + "' declared twice");
    return AddPart(std::move(q));
  }

 private:
  template <class T, class... Args>
  T& Declare(std::string_view name, Args&&... args) {
    if (KeyedStatePart* p = FindPart(name)) {
      auto* t = dynamic_cast<T*>(p);
      if (!t) AlreadyDeclared(name, *p);
      return *t;
    }
    auto owned = std::make_unique<T>(this, std::string(name), std::forward<Args>(args)...);
    T& ref = *owned;
    AddPart(std::move(owned));
    return ref;
  }

  K key_{};
  uint64_t key_hash_ = 0;
  std::vector<std::pair<std::string, std::unique_ptr<TimerServiceBase>>> timer_services_;
};

template <class K, class N>
TimerService<K, N>::TimerService(KeyedBackend<K>* b, std::string name) : b_(b) {
  auto e = std::make_unique<Queue>(b, name + "/event", StateKind::kEventTimers);
  auto p = std::make_unique<Queue>(b, name + "/processing", StateKind::kProcessingTimers);
  event_ = e.get();
  proc_ = p.get();
  b->AddTimerQueue(std::move(e));
  b->AddTimerQueue(std::move(p));
}

template <class K, class N>
int64_t TimerService<K, N>::current_processing_time() const {
  return b_->ctx().clock()->NowMillis();
}

template <class K, class N>
void TimerService<K, N>::Add(Queue* q, int64_t ts, const N& ns) {
  if (q->timers.insert(Timer{ts, b_->current_key(), ns}).second) ++q->version_;
}

template <class K, class N>
void TimerService<K, N>::Remove(Queue* q, int64_t ts, const N& ns) {
  if (q->timers.erase(Timer{ts, b_->current_key(), ns})) ++q->version_;
}

template <class K, class N>
template <class F>
void TimerService<K, N>::Fire(Queue* q, int64_t upto, F& on_timer) {
  while (!q->timers.empty() && q->timers.begin()->ts <= upto) {
    Timer t = std::move(q->timers.extract(q->timers.begin()).value());
    ++q->version_;
    b_->SetCurrentKey(t.key);
    on_timer(static_cast<const Timer&>(t));
  }
}

// Creates the backend of a keyed operator of this subtask (state.backend.type from the config)
// and registers it with ctx under `uid`.
template <class K>
std::unique_ptr<KeyedBackend<K>> MakeKeyedBackend(TaskContext& ctx, std::string uid) {
  return std::make_unique<KeyedBackend<K>>(ctx, std::move(uid));
}

}  // namespace dfc::rt
