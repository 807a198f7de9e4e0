// Snapshots of keyed state (dfc/state.h): CaptureSnapshot takes the state as of a barrier on the
// task thread — for hashmap states only a list of pointers to their entries, made copy-on-write
// (CowSlot) until the snapshot is done; every other part (timers, window and join engines, rocksdb
// states) is collected right there — and KeyedStateSnapshot::Write serializes it into the
// canonical key-group format later, on the checkpoint's snapshot thread (checkpoint_task.cc) while
// the task goes on, or at once (SnapshotKeyGroup, TaskHarness).
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "dfc/state.h"

namespace dfc::rt {

void SnapshotEntries::EndEntry(size_t key_off, size_t value_off) {
  Entry e;
  e.off = key_off;
  e.klen = static_cast<uint32_t>(value_off - key_off);
  e.vlen = static_cast<uint32_t>(buf.size() - value_off);
  uint64_t p = 0;
  const size_t n = std::min<size_t>(e.klen, 8);
  for (size_t i = 0; i < 8; ++i) p = (p << 8) | (i < n ? static_cast<uint8_t>(buf[key_off + i]) : 0);
  e.prefix = p;
  entries.push_back(e);
}

void SnapshotEntries::Add(std::string_view key, std::string_view value) {
  const size_t k = StartKey();
  buf.append(key);
  const size_t v = buf.size();
  buf.append(value);
  EndEntry(k, v);
}

void CowSlot::WaitRead(const CowSlot& s) {
  // The snapshot thread holds kReading only while it serializes this one entry.
  while ((s.mark.load(std::memory_order_acquire) & 3) == kReading) std::this_thread::yield();
}

// The entries of one hashmap state as of the barrier: pointers to them (a copy of the table's dense
// list of entries, so capturing is a memcpy, not a walk over a million map nodes); nodes of an
// unordered_map stay where they are as it grows, and erased ones are kept (StateTable::EraseEntry).
class TableSnapshotView final : public PartSnapshotView {
 public:
  TableSnapshotView(const StateTableBase* t, uint32_t epoch) : t_(t), epoch_(epoch) {}

  bool Serialize(int first_kg, std::vector<SnapshotEntries>* by_kg, const std::atomic<bool>& cancel) override {
    std::string key;
    bool cancelled = false;
    const size_t n = entries_.size();
    for (size_t i = 0; i < n; ++i) {
      if ((i & 1023) == 0 && !cancelled) cancelled = cancel.load(std::memory_order_acquire);
      if (i + 8 < n) __builtin_prefetch(entries_[i + 8]);
      CowSlot* s = t_->EntrySlot(entries_[i]);
      const void* map_key = t_->EntryKey(entries_[i]);
      uint32_t m = s->mark.load(std::memory_order_acquire);
      const void* value;
      bool copied = false;
      if ((m >> 2) < epoch_ &&
          s->mark.compare_exchange_strong(m, epoch_ << 2 | CowSlot::kReading, std::memory_order_acq_rel,
                                          std::memory_order_acquire)) {
        value = t_->ValueOfSlot(s);
      } else {
        // The task changed it after the barrier and kept the old value for us (m is E|kCopied).
        value = s->copy;
        copied = true;
      }
      if (!cancelled) {
        key.clear();
        StateWriter w(&key);
        t_->WriteMapKey(map_key, w);
        const int kg = t_->KeyGroupOfMapKey(map_key);
        t_->AppendEntries(&(*by_kg)[static_cast<size_t>(kg - first_kg)], key, value);
      }
      if (copied) {
        t_->DeleteCopy(s->copy);
        s->copy = nullptr;
      } else {
        s->mark.store(epoch_ << 2 | CowSlot::kDone, std::memory_order_release);
      }
    }
    entries_.clear();
    return !cancelled;
  }

  std::vector<void*> entries_;

 private:
  const StateTableBase* t_;
  uint32_t epoch_;
};

std::unique_ptr<PartSnapshotView> StateTableBase::CaptureView() {
  if (kb_->store()) return nullptr;  // rocksdb: collected from the store at capture
  auto v = std::make_unique<TableSnapshotView>(this, kb_->cow_epoch());
  CaptureEntries(&v->entries_);
  return v;
}

void StateTableBase::AppendEntries(SnapshotEntries* out, std::string_view key, const void* value) const {
  const size_t k = out->StartKey();
  out->buf.append(key);
  const size_t v = out->buf.size();
  StateWriter w(&out->buf);
  WriteValue(value, w);
  out->EndEntry(k, v);
}

// ---------------------------------------------------------------------------------------------

std::unique_ptr<KeyedStateSnapshot> KeyedStateBackend::CaptureSnapshot() { return Capture(-1); }

std::unique_ptr<KeyedStateSnapshot> KeyedStateBackend::Capture(int only_kg) {
  const bool cow = !store_ && only_kg < 0;
  if (cow && cow_active_) {  // the previous snapshot is still being written: one at a time
    while (!cow_ctl_->done.load(std::memory_order_acquire)) std::this_thread::sleep_for(std::chrono::microseconds(100));
    EndCow();
  }
  auto s = std::make_unique<KeyedStateSnapshot>();
  s->uid_ = uid_;
  s->range_ = range_;
  const size_t n_kg = static_cast<size_t>(range_.size());
  if (cow) ++cow_epoch_;  // entries of earlier epochs belong to this snapshot
  std::vector<KeyedStatePart*> order;
  for (const auto& p : parts_) order.push_back(p.get());
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name() < b->name(); });
  KeyedStatePart::Entries entries;
  for (KeyedStatePart* p : order) {
    KeyedStateSnapshot::Part& sp = s->parts_.emplace_back();
    sp.name = p->name();
    sp.kind = p->kind();
    sp.type = p->type();
    sp.by_kg.resize(n_kg);
    if (cow) sp.view = p->CaptureView();
    if (sp.view) continue;
    for (int kg = range_.start; kg <= range_.end; ++kg) {
      if (only_kg >= 0 && kg != only_kg) continue;
      entries.clear();
      p->Collect(kg, kg - range_.start, &entries);  // rocksdb: writes the cache back first
      for (const auto& [k, v] : entries) sp.by_kg[static_cast<size_t>(kg - range_.start)].Add(k, v);
    }
  }
  // Restored entries that no state has claimed yet travel on into the next snapshot (after the
  // declared parts, in order of restore).
  for (const auto& pd : pending_) {
    KeyedStateSnapshot::Part& sp = s->parts_.emplace_back();
    sp.name = pd->name;
    sp.kind = pd->kind;
    sp.type = pd->type;
    sp.by_kg.resize(n_kg);
    for (const auto& [kg, pentries] : pd->groups)
      for (const auto& [k, v] : pentries) sp.by_kg[static_cast<size_t>(kg - range_.start)].Add(k, v);
  }
  if (cow) {
    cow_active_ = true;
    cow_ctl_ = s->ctl_;
  }
  return s;
}

bool KeyedStateBackend::CowStillActive() {
  if (!cow_active_) return false;
  if (!cow_ctl_->done.load(std::memory_order_acquire)) return true;
  EndCow();
  return false;
}

void KeyedStateBackend::EndCow() {
  cow_active_ = false;
  cow_ctl_.reset();
  for (auto& p : parts_) p->ReleaseView();
}

void KeyedStateBackend::SnapshotKeyGroup(int kg, std::string* out) const {
  if (!range_.contains(kg)) KeyOutOfRange(kg);
  // Logically const: a snapshot changes no state (rocksdb writes its cache back). Collected at
  // once: no copy-on-write.
  auto s = const_cast<KeyedStateBackend*>(this)->Capture(kg);
  s->WriteKeyGroup(kg, out);
  s->MarkDone();
}

// ---------------------------------------------------------------------------------------------

bool KeyedStateSnapshot::Serialize() {
  bool ok = true;
  for (Part& p : parts_) {
    if (!p.view) continue;
    // After a cancel the remaining views still run, to release their entries (CowSlot).
    ok = p.view->Serialize(range_.start, &p.by_kg, ctl_->cancel) && ok;
    p.view.reset();
  }
  serialized_ = true;
  return ok;
}

void KeyedStateSnapshot::WriteKeyGroup(int kg, std::string* out) {
  if (!serialized_) Serialize();
  const size_t i = static_cast<size_t>(kg - range_.start);
  size_t n_parts = 0, bytes = 16;
  for (const Part& p : parts_) {
    const SnapshotEntries& e = p.by_kg[i];
    if (e.entries.empty()) continue;
    ++n_parts;
    bytes += p.name.size() + p.type.size() + 16 + e.buf.size() + 10 * e.entries.size();
  }
  if (n_parts == 0) return;  // an empty key group is ""
  out->reserve(out->size() + bytes);
  StateWriter w(out);
  w.Byte(kFormatVersion);
  w.Varint(n_parts);
  for (Part& p : parts_) {
    SnapshotEntries& e = p.by_kg[i];
    if (e.entries.empty()) continue;
    const char* b = e.buf.data();
    std::sort(e.entries.begin(), e.entries.end(), [b](const SnapshotEntries::Entry& x, const SnapshotEntries::Entry& y) {
      if (x.prefix != y.prefix) return x.prefix < y.prefix;
      return std::string_view(b + x.off, x.klen) < std::string_view(b + y.off, y.klen);
    });
    w.Bytes(p.name);
    w.Byte(static_cast<uint8_t>(p.kind));
    w.Bytes(p.type);
    w.Varint(e.entries.size());
    for (const SnapshotEntries::Entry& x : e.entries) {
      w.Varint(x.klen);
      w.Raw(b + x.off, x.klen);
      w.Varint(x.vlen);
      w.Raw(b + x.off + x.klen, x.vlen);
    }
    e = SnapshotEntries();  // written: free it
  }
}

bool KeyedStateSnapshot::Write(SnapshotWriter* w) {
  if (!Serialize()) return false;
  for (int kg = range_.start; kg <= range_.end; ++kg) {
    std::string out;
    WriteKeyGroup(kg, &out);
    if (!out.empty()) *w->KeyGroup(uid_, kg) = std::move(out);
  }
  return !cancelled();
}

}  // namespace dfc::rt
