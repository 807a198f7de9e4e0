// The non-template half of dfc/state.h: backend registration, the canonical key-group snapshot
// format, restore (including entries that wait for their state's declaration), cache eviction.
#include "dfc/state.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace dfc::rt {

namespace {
constexpr uint8_t kSnapshotVersion = 1;
}  // namespace

const char* StateKindName(StateKind k) {
  switch (k) {
    case StateKind::kValue: return "VALUE";
    case StateKind::kList: return "LIST";
    case StateKind::kMap: return "MAP";
    case StateKind::kReducing: return "REDUCING";
    case StateKind::kAggregating: return "AGGREGATING";
    case StateKind::kEventTimers: return "EVENT_TIMERS";
    case StateKind::kProcessingTimers: return "PROCESSING_TIMERS";
  }
  return "UNKNOWN";
}

// Restored entries of a part nobody has declared yet.
struct KeyedStateBackend::Pending {
  std::string name;
  StateKind kind;
  std::string type;
  std::vector<std::pair<int, KeyedStatePart::Entries>> groups;  // key group, entries
};

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

void KeyedStateBackend::SnapshotKeyGroup(int kg, std::string* out) const {
  if (!range_.contains(kg)) KeyOutOfRange(kg);
  const int kgi = kg - range_.start;
  std::vector<const KeyedStatePart*> order;
  for (const auto& p : parts_) order.push_back(p.get());
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name() < b->name(); });

  std::string body;
  StateWriter w(&body);
  size_t n_parts = 0;
  KeyedStatePart::Entries entries;
  for (const KeyedStatePart* cp : order) {
    entries.clear();
    // Collecting may write the rocksdb cache back: logically const.
    const_cast<KeyedStatePart*>(cp)->Collect(kg, kgi, &entries);
    if (entries.empty()) continue;
    std::sort(entries.begin(), entries.end());
    ++n_parts;
    w.Bytes(cp->name());
    w.Byte(static_cast<uint8_t>(cp->kind()));
    w.Bytes(cp->type());
    w.Varint(entries.size());
    for (const auto& [k, v] : entries) {
      w.Bytes(k);
      w.Bytes(v);
    }
  }
  // Restored entries that no state has claimed yet travel on into the next snapshot.
  for (const auto& pd : pending_) {
    for (const auto& [pkg, pentries] : pd->groups) {
      if (pkg != kg || pentries.empty()) continue;
      entries = pentries;
      std::sort(entries.begin(), entries.end());
      ++n_parts;
      w.Bytes(pd->name);
      w.Byte(static_cast<uint8_t>(pd->kind));
      w.Bytes(pd->type);
      w.Varint(entries.size());
      for (const auto& [k, v] : entries) {
        w.Bytes(k);
        w.Bytes(v);
      }
    }
  }
  if (n_parts == 0) return;  // an empty key group is ""
  StateWriter o(out);
  o.Byte(kSnapshotVersion);
  o.Varint(n_parts);
  out->append(body);
}

void KeyedStateBackend::RestoreKeyGroup(int kg, std::string_view bytes) {
  if (!range_.contains(kg)) KeyOutOfRange(kg);
  if (bytes.empty()) return;
  const int kgi = kg - range_.start;
  StateReader r(bytes);
  const uint8_t version = r.Byte();
  if (version != kSnapshotVersion) {
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

}  // namespace dfc::rt
