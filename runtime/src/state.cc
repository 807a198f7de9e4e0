// The non-template half of dfc/state.h: backend registration, the canonical key-group snapshot
// format, restore (including entries that wait for their state's declaration), cache eviction.
#include "dfc/state.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace dfc::rt {

void StateWriter::Byte(uint8_t b) { out_->push_back(static_cast<char>(b)); }

void StateWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    Byte(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  Byte(static_cast<uint8_t>(v));
}

void StateWriter::BigEndian(uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) Byte(static_cast<uint8_t>(v >> (8 * i)));
}

void StateWriter::Raw(const void* p, size_t n) { out_->append(static_cast<const char*>(p), n); }

void StateWriter::Bytes(std::string_view s) {
  Varint(s.size());
  Raw(s.data(), s.size());
}

void StateReader::Corrupt() { throw std::runtime_error("keyed state: corrupt or truncated state bytes"); }

const char* StateKindName(StateKind k) {
  switch (k) {
    case StateKind::kValue: return "VALUE";
    case StateKind::kList: return "LIST";
    case StateKind::kMap: return "MAP";
    case StateKind::kReducing: return "REDUCING";
    case StateKind::kAggregating: return "AGGREGATING";
    case StateKind::kEventTimers: return "EVENT_TIMERS";
    case StateKind::kProcessingTimers: return "PROCESSING_TIMERS";
    case StateKind::kWindowPanes: return "WINDOW_PANES";
    case StateKind::kWindowSessions: return "WINDOW_SESSIONS";
    case StateKind::kWindowCounts: return "WINDOW_COUNTS";
    case StateKind::kIntervalJoin: return "INTERVAL_JOIN";
  }
  return "UNKNOWN";
}

KeyedStateBackend::KeyedStateBackend(TaskContext& ctx, std::string uid)
    : ctx_(&ctx),
      uid_(std::move(uid)),
      max_parallelism_(ctx.max_parallelism()),
      range_(KeyGroupRangeForSubtask(ctx.max_parallelism(), ctx.parallelism(), ctx.subtask())) {
  if (max_parallelism_ > 0 && (max_parallelism_ & (max_parallelism_ - 1)) == 0)
    kg_mask_ = static_cast<uint64_t>(max_parallelism_ - 1);
  store_ = OpenStateStore(ctx, uid_);
  if (store_) {
    const std::string cap = ctx.Config("state.backend.rocksdb.cache-entries", "");
    if (!cap.empty()) {
      char* end = nullptr;
      const long long v = std::strtoll(cap.c_str(), &end, 10);
      if (end == cap.c_str() || *end != '\0' || v < 1) {
        throw std::invalid_argument("state.backend.rocksdb.cache-entries must be a positive integer, got '" + cap +
                                    "'");
      }
      cache_capacity_ = static_cast<size_t>(v);
    }
  }
  ctx.RegisterKeyedBackend(uid_, this);
}

KeyedStateBackend::~KeyedStateBackend() {
  if (cow_active_) {  // a snapshot in flight still reads the states: stop it first
    cow_ctl_->cancel.store(true, std::memory_order_release);
    while (!cow_ctl_->done.load(std::memory_order_acquire)) std::this_thread::sleep_for(std::chrono::microseconds(100));
    EndCow();
  }
  ctx_->UnregisterKeyedBackend(this);
  parts_.clear();  // before the store they write to
  store_.reset();
}

void KeyedStateBackend::KeyOutOfRange(int kg) const {
  throw std::logic_error("keyed state of operator " + uid_ + ": key group " + std::to_string(kg) +
                         " is not in this subtask's range [" + std::to_string(range_.start) + ", " +
                         std::to_string(range_.end) + "] (the input is not partitioned by this key)");
}

KeyedStatePart* KeyedStateBackend::FindPart(std::string_view name) const {
  for (const auto& p : parts_)
    if (p->name() == name) return p.get();
  return nullptr;
}

void KeyedStateBackend::AlreadyDeclared(std::string_view name, const KeyedStatePart& existing) {
  throw std::logic_error("keyed state: '" + std::string(name) + "' is already declared as " +
                         StateKindName(existing.kind()) + "<" + existing.type() + ">");
}

namespace {

[[noreturn]] void Incompatible(const std::string& uid, const std::string& name, StateKind had_kind,
                               const std::string& had_type, StateKind kind, const std::string& type) {
  throw std::runtime_error("keyed state '" + name + "' of operator " + uid + ": the restored state is " +
                           StateKindName(had_kind) + "<" + had_type + "> but the job declares " + StateKindName(kind) +
                           "<" + type + ">");
}

}  // namespace

KeyedStatePart* KeyedStateBackend::AddPart(std::unique_ptr<KeyedStatePart> part) {
  KeyedStatePart* p = part.get();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    Pending& pd = **it;
    if (pd.name != p->name()) continue;
    if (pd.kind != p->kind() || pd.type != p->type()) Incompatible(uid_, pd.name, pd.kind, pd.type, p->kind(), p->type());
    for (auto& [kg, entries] : pd.groups)
      for (auto& [k, v] : entries) p->RestoreEntry(kg, kg - range_.start, k, v);
    pending_.erase(it);
    if (store_) store_->Write();
    break;
  }
  parts_.push_back(std::move(part));
  return p;
}

std::vector<std::string> KeyedStateBackend::UnclaimedRestoredStates() const {
  std::vector<std::string> r;
  for (const auto& p : pending_) r.push_back(p->name);
  return r;
}

void KeyedStateBackend::WriteBack() {
  for (auto& p : parts_) p->WriteBack();
}

void KeyedStateBackend::MaybeEvict() {
  for (auto& p : parts_)
    if (p->cached() > cache_capacity_) p->Evict();
}

void KeyedStateBackend::RestoreKeyGroup(int kg, std::string_view bytes) {
  if (!range_.contains(kg)) KeyOutOfRange(kg);
  if (bytes.empty()) return;
  const int kgi = kg - range_.start;
  StateReader r(bytes);
  const uint8_t version = r.Byte();
  if (version != KeyedStateSnapshot::kFormatVersion) {
    throw std::runtime_error("keyed state of operator " + uid_ + ": unknown snapshot format version " +
                             std::to_string(version));
  }
  for (uint64_t n = r.Varint(); n > 0; --n) {
    const std::string name(r.Bytes());
    const uint8_t kind_byte = r.Byte();
    const auto kind = static_cast<StateKind>(kind_byte);
    if (std::string(StateKindName(kind)) == "UNKNOWN") StateReader::Corrupt();
    const std::string type(r.Bytes());
    const uint64_t count = r.Varint();
    KeyedStatePart* p = FindPart(name);
    if (p && (p->kind() != kind || p->type() != type)) Incompatible(uid_, name, kind, type, p->kind(), p->type());
    KeyedStatePart::Entries* parked = nullptr;
    if (!p) {
      Pending* pd = nullptr;
      for (auto& x : pending_)
        if (x->name == name) pd = x.get();
      if (!pd) {
        pending_.push_back(std::make_unique<Pending>(Pending{name, kind, type, {}}));
        pd = pending_.back().get();
      } else if (pd->kind != kind || pd->type != type) {
        Incompatible(uid_, name, pd->kind, pd->type, kind, type);
      }
      pd->groups.emplace_back(kg, KeyedStatePart::Entries{});
      parked = &pd->groups.back().second;
    }
    for (uint64_t i = 0; i < count; ++i) {
      const std::string_view k = r.Bytes();
      const std::string_view v = r.Bytes();
      if (p) {
        p->RestoreEntry(kg, kgi, k, v);
      } else {
        parked->emplace_back(std::string(k), std::string(v));
      }
    }
  }
  if (!r.done()) StateReader::Corrupt();
  if (store_) store_->Write();
}

// ---------------------------------------------------------------------------------------------
// StateTableBase: the type-independent half of a state (see dfc/state.h)

StateTableBase::StateTableBase(KeyedStateBackend* b, std::string name, StateKind kind, std::string type)
    : KeyedStatePart(std::move(name), kind, std::move(type)), kb_(b) {
  if (b->store()) col_ = b->store()->Column(this->name());
}

void StateTableBase::Collect(int kg, int kgi, Entries* out) {
  if (StateStore* st = kb_->store()) {
    if (written_back_ != version_) WriteBack();
    std::string prefix;
    KeyedStateBackend::AppendKeyGroup(&prefix, kg);
    st->ScanAll(col_, prefix, [&](std::string_view k, std::string_view v) {
      out->emplace_back(std::string(k.substr(2)), std::string(v));
    });
    return;
  }
  const KeyGroupRange range = kb_->range();
  if (bucketed_ != version_ || by_kg_.size() != static_cast<size_t>(range.size())) {
    by_kg_.assign(static_cast<size_t>(range.size()), {});
    struct Arg {
      StateTableBase* self;
      int start;
    } arg{this, range.start};
    ForEachEntry(
        [](void* a, const void* key, void* value) {
          auto* x = static_cast<Arg*>(a);
          const int i = x->self->KeyGroupOfMapKey(key) - x->start;
          x->self->by_kg_[static_cast<size_t>(i)].emplace_back(key, value);
        },
        &arg);
    bucketed_ = version_;
  }
  for (const auto& [key, value] : by_kg_[static_cast<size_t>(kgi)]) {
    std::string k;
    StateWriter w(&k);
    WriteMapKey(key, w);
    CollectValue(k, value, out);
  }
}

void StateTableBase::RestoreEntry(int kg, int kgi, std::string_view key, std::string_view value) {
  ++version_;
  (void)kgi;
  if (StateStore* st = kb_->store()) {
    if (cached() != 0) Evict();  // the store holds the truth from here on
    std::string k;
    KeyedStateBackend::AppendKeyGroup(&k, kg);
    k.append(key);
    st->Put(col_, k, value);  // the backend calls Write() after the key group
    return;
  }
  StateReader r(key);
  void* slot = RestoreSlot(r);
  RestoreValue(r, value, slot);
}

void StateTableBase::WriteBack() {
  StateStore* st = kb_->store();
  if (!st) return;
  ForEachEntry(
      [](void* a, const void* key, void* value) {
        auto* self = static_cast<StateTableBase*>(a);
        std::string k;
        KeyedStateBackend::AppendKeyGroup(&k, self->KeyGroupOfMapKey(key));
        StateWriter w(&k);
        self->WriteMapKey(key, w);
        self->StoreValue(k, value);
      },
      this);
  st->Write();
  written_back_ = version_;
}

void StateTableBase::Evict() {
  if (!kb_->store()) return;
  WriteBack();
  ClearCache();
  ++version_;
}

void StateTableBase::CollectValue(const std::string& key, const void* value, Entries* out) {
  std::string v;
  StateWriter w(&v);
  WriteValue(value, w);
  out->emplace_back(key, std::move(v));
}

void StateTableBase::RestoreValue(StateReader& key_rest, std::string_view bytes, void* value) {
  if (!key_rest.done()) StateReader::Corrupt();
  StateReader r(bytes);
  ReadValue(r, value);
  if (!r.done()) StateReader::Corrupt();
}

bool StateTableBase::LoadValue(const std::string& store_key, void* value) {
  std::string v;
  if (!kb_->store()->Get(col_, store_key, &v)) return false;
  StateReader r(v);
  ReadValue(r, value);
  return true;
}

void StateTableBase::StoreValue(const std::string& store_key, void* value) {
  std::string v;
  StateWriter w(&v);
  WriteValue(value, w);
  kb_->store()->Put(col_, store_key, v);
}

void StateTableBase::DeleteStored(const std::string& store_key) { kb_->store()->Delete(col_, store_key); }

}  // namespace dfc::rt
