// The RocksDB-held part of a window engine's state (state.backend.type=rocksdb; dfc/window.h).
//
// With the rocksdb backend a window engine keeps its per-record structures in memory only as a
// bounded write-back cache of partial accumulators; whenever the cache holds more keys than
// state.backend.rocksdb.cache-entries, the engine spills it into the backend's RocksDB (merging
// each cached partial accumulator into the stored one), and a window that fires with any spilled
// data is read back from RocksDB. The store's key layout orders entries by namespace (a pane
// start), then key group, then key:
//   Serde(int64 namespace) | key group (2 bytes, big-endian) | Serde(key)   ->  Serde(acc)
// so that firing a window (its panes) and snapshotting a key group are prefix scans, and a pane
// whose windows are all past their allowed lateness is dropped by one prefix scan.
//
// Non-template (runtime library; no RocksDB header here). Single-threaded, like the engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dfc/metrics.h"

namespace dfc::rt {

class KeyedStateBackend;
class StateStore;
class TaskContext;

// Whether the window and join engines of this subtask need a keyed backend even without
// checkpointing: true when state.backend.type names a store (rocksdb) rather than hashmap.
bool EnginesUseStateStore(const TaskContext& ctx);

class WindowStore {
 public:
  // The store of part `part_name` of b, or nullptr when b has none (the hashmap backend). Reads
  // and writes are counted in m (when given) as stateStoreReads / stateStoreWrites.
  static std::unique_ptr<WindowStore> Open(KeyedStateBackend& b, const std::string& part_name, OperatorMetrics* m);
  WindowStore(StateStore* st, int column, size_t cache_capacity, OperatorMetrics* m);
  ~WindowStore();

  // The store key of (namespace, key group, Serde(key) bytes).
  static std::string Key(int64_t ns, int kg, std::string_view key_bytes);
  // The namespace (pane start) at the front of a store key.
  static int64_t NamespaceOf(std::string_view store_key);

  // Reads an entry (sees every Write() before it); false when absent.
  bool Get(std::string_view store_key, std::string* value);
  // Batched until Write().
  void Put(std::string_view store_key, std::string_view value);
  void Write();
  // fn(arg, Serde(key) bytes, value) for every entry of (ns, kg), in key byte order.
  using ScanFn = void (*)(void* arg, std::string_view key_bytes, std::string_view value);
  void ScanGroup(int64_t ns, int kg, ScanFn fn, void* arg);
  template <class F>
  void ForEachInGroup(int64_t ns, int kg, F&& f) {
    ScanGroup(ns, kg, [](void* a, std::string_view k, std::string_view v) { (*static_cast<F*>(a))(k, v); },
              const_cast<void*>(static_cast<const void*>(&f)));
  }
  // fn(arg, key group (2 bytes) + Serde(key) bytes, value) for every entry of namespace ns, in
  // key group then key byte order.
  void ScanNamespace(int64_t ns, ScanFn fn, void* arg);
  template <class F>
  void ForEachInNamespace(int64_t ns, F&& f) {
    ScanNamespace(ns, [](void* a, std::string_view k, std::string_view v) { (*static_cast<F*>(a))(k, v); },
                  const_cast<void*>(static_cast<const void*>(&f)));
  }
  // Deletes every entry of namespace ns (every key group; a range deletion) and writes.
  void DropNamespace(int64_t ns);

  // Keys the engine may cache before it spills (state.backend.rocksdb.cache-entries).
  size_t cache_capacity() const { return cap_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

 private:
  void Flush();

  StateStore* st_;
  int col_;
  size_t cap_;
  OperatorMetrics* m_;
  uint64_t reads_ = 0, writes_ = 0;
  uint64_t reported_reads_ = 0, reported_writes_ = 0;
};

}  // namespace dfc::rt
