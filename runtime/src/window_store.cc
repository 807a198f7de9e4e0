// WindowStore (dfc/window_store.h): a window engine's entries in the rocksdb backend's store.
#include "dfc/window_store.h"

#include <string>
#include <vector>

#include "dfc/state.h"

namespace dfc::rt {

bool EnginesUseStateStore(const TaskContext& ctx) {
  std::string type = ctx.Config("state.backend.type", "");
  if (type.empty()) type = ctx.Config("state.backend", "hashmap");
  return type != "hashmap";  // an unknown type: the backend's constructor reports it
}

std::unique_ptr<WindowStore> WindowStore::Open(KeyedStateBackend& b, const std::string& part_name, OperatorMetrics* m) {
  StateStore* st = b.store();
  if (!st) return nullptr;
  // A column of its own, apart from the declared states' (whose columns are their names).
  return std::make_unique<WindowStore>(st, st->Column("engine:" + part_name), b.cache_capacity(), m);
}

WindowStore::WindowStore(StateStore* st, int column, size_t cache_capacity, OperatorMetrics* m)
    : st_(st), col_(column), cap_(cache_capacity), m_(m) {}

WindowStore::~WindowStore() { Flush(); }

std::string WindowStore::Key(int64_t ns, int kg, std::string_view key_bytes) {
  std::string k;
  k.reserve(10 + key_bytes.size());
  StateWriter w(&k);
  Serde<int64_t>::Write(w, ns);
  KeyedStateBackend::AppendKeyGroup(&k, kg);
  k.append(key_bytes);
  return k;
}

int64_t WindowStore::NamespaceOf(std::string_view store_key) {
  StateReader r(store_key);
  int64_t ns = 0;
  Serde<int64_t>::Read(r, ns);
  return ns;
}

bool WindowStore::Get(std::string_view store_key, std::string* value) {
  ++reads_;
  return st_->Get(col_, store_key, value);
}

void WindowStore::Put(std::string_view store_key, std::string_view value) {
  ++writes_;
  st_->Put(col_, store_key, value);
}

void WindowStore::Write() {
  st_->Write();
  Flush();
}

void WindowStore::Flush() {
  if (!m_) return;
  if (reads_ != reported_reads_) m_->state_store_reads.fetch_add(reads_ - reported_reads_, std::memory_order_relaxed);
  if (writes_ != reported_writes_)
    m_->state_store_writes.fetch_add(writes_ - reported_writes_, std::memory_order_relaxed);
  reported_reads_ = reads_;
  reported_writes_ = writes_;
}

void WindowStore::ScanGroup(int64_t ns, int kg, ScanFn fn, void* arg) {
  const std::string prefix = Key(ns, kg, {});
  struct A {
    ScanFn fn;
    void* arg;
    size_t skip;
    uint64_t* n;
  } a{fn, arg, prefix.size(), &reads_};
  st_->Scan(
      col_, prefix,
      [](void* p, std::string_view k, std::string_view v) {
        auto* x = static_cast<A*>(p);
        ++*x->n;
        x->fn(x->arg, k.substr(x->skip), v);
      },
      &a);
}

void WindowStore::ScanNamespace(int64_t ns, ScanFn fn, void* arg) {
  std::string prefix;
  StateWriter w(&prefix);
  Serde<int64_t>::Write(w, ns);
  struct A {
    ScanFn fn;
    void* arg;
    uint64_t* n;
  } a{fn, arg, &reads_};
  st_->Scan(
      col_, prefix,
      [](void* p, std::string_view k, std::string_view v) {
        auto* x = static_cast<A*>(p);
        ++*x->n;
        x->fn(x->arg, k.substr(8), v);
      },
      &a);
}

void WindowStore::DropNamespace(int64_t ns) {
  std::string begin, end;
  StateWriter bw(&begin), ew(&end);
  Serde<int64_t>::Write(bw, ns);
  if (ns == INT64_MAX) {  // no next namespace to end the range: entry by entry
    std::vector<std::string> keys;
    st_->ScanAll(col_, begin, [&](std::string_view k, std::string_view) { keys.emplace_back(k); });
    for (const auto& k : keys) st_->Delete(col_, k);
  } else {
    Serde<int64_t>::Write(ew, ns + 1);
    st_->DeleteRange(col_, begin, end);  // one range tombstone, not one per entry
  }
  ++writes_;
  Write();
}

}  // namespace dfc::rt
