// The parts of dfc/checkpoint.h that are not inline: row encoding, RestoredState's
// redistribution, source splits.
#include <string>

#include "dfc/checkpoint.h"

namespace dfc::rt {

void StateOut::PutRow(const RowDesc& desc, const void* row) {
  void* r = const_cast<void*>(row);
  for (int f = 0; f < desc.num_fields; ++f) {
    const void* p = desc.fields[f].access(r);
    switch (desc.fields[f].type) {
      case FieldType::kBool: Put(*static_cast<const bool*>(p)); break;
      case FieldType::kInt32: Put(*static_cast<const int32_t*>(p)); break;
      case FieldType::kInt64:
      case FieldType::kTimestamp: Put(*static_cast<const int64_t*>(p)); break;
      case FieldType::kDouble: Put(*static_cast<const double*>(p)); break;
      case FieldType::kString: Put(*static_cast<const std::string*>(p)); break;
    }
  }
}

void StateIn::GetRow(const RowDesc& desc, void* row) {
  for (int f = 0; f < desc.num_fields; ++f) {
    void* p = desc.fields[f].access(row);
    switch (desc.fields[f].type) {
      case FieldType::kBool: Get(static_cast<bool*>(p)); break;
      case FieldType::kInt32: Get(static_cast<int32_t*>(p)); break;
      case FieldType::kInt64:
      case FieldType::kTimestamp: Get(static_cast<int64_t*>(p)); break;
      case FieldType::kDouble: Get(static_cast<double*>(p)); break;
      case FieldType::kString: Get(static_cast<std::string*>(p)); break;
    }
  }
}

void StateIn::Underflow() const {
  throw StateError("state ends early (" + std::to_string(s_.size()) +
                   " bytes): it was written by an incompatible version of the operator");
}

void RestoredState::Reset(const Data* data, int subtask, int parallelism, int max_parallelism) {
  data_ = data;
  checkpoint_id_ = data == nullptr ? 0 : data->checkpoint_id;
  subtask_ = subtask;
  parallelism_ = parallelism;
  first_kg_ = FirstKeyGroup(subtask, parallelism, max_parallelism);
  last_kg_ = LastKeyGroup(subtask, parallelism, max_parallelism);
}

std::string* SnapshotWriter::AddOperatorEntry(std::string_view uid) {
  auto& v = operator_[std::string(uid)];
  v.emplace_back();
  return &v.back();
}

std::string* SnapshotWriter::KeyGroup(std::string_view uid, int key_group) {
  return &keyed_[std::string(uid)][key_group];
}

bool RestoredState::HasOperator(std::string_view uid) const {
  if (data_ == nullptr) return false;
  return data_->operator_entries.count(uid) || data_->keyed.count(uid);
}

std::vector<std::string_view> RestoredState::Entries(std::string_view uid) const {
  std::vector<std::string_view> r;
  if (data_ == nullptr) return r;
  auto it = data_->operator_entries.find(uid);
  if (it == data_->operator_entries.end()) return r;
  for (size_t k = static_cast<size_t>(subtask_); k < it->second.size();
       k += static_cast<size_t>(parallelism_)) {
    r.emplace_back(it->second[k]);
  }
  return r;
}

std::vector<std::string_view> RestoredState::UnionEntries(std::string_view uid) const {
  std::vector<std::string_view> r;
  if (data_ == nullptr) return r;
  auto it = data_->operator_entries.find(uid);
  if (it == data_->operator_entries.end()) return r;
  for (const auto& e : it->second) r.emplace_back(e);
  return r;
}

std::string_view RestoredState::KeyGroup(std::string_view uid, int key_group) const {
  if (data_ == nullptr) return {};
  auto it = data_->keyed.find(uid);
  if (it == data_->keyed.end()) return {};
  auto g = it->second.find(key_group);
  return g == it->second.end() ? std::string_view() : std::string_view(g->second);
}

std::string EncodeSplit(const SourceSplit& s) {
  std::string out;
  StateOut o(&out);
  o.Put(s.start);
  o.Put(s.step);
  o.Put(s.next);
  o.Put(s.done);
  return out;
}

SourceSplit DecodeSplit(std::string_view bytes, std::string_view uid) {
  SourceSplit s;
  StateIn in(bytes);
  try {
    in.Get(&s.start);
    in.Get(&s.step);
    in.Get(&s.next);
    in.Get(&s.done);
  } catch (const StateError& e) {
    throw StateError("source '" + std::string(uid) + "': bad split state: " + e.what());
  }
  if (s.step <= 0 || !in.empty()) {
    throw StateError("source '" + std::string(uid) + "': bad split state");
  }
  return s;
}

std::vector<SourceSplit> SourceSplits(const RestoredState& r, std::string_view uid, int subtask,
                                      int parallelism, int64_t fresh_next) {
  std::vector<SourceSplit> splits;
  if (r.restored() && r.HasOperator(uid)) {
    for (std::string_view e : r.Entries(uid)) splits.push_back(DecodeSplit(e, uid));
    return splits;
  }
  splits.push_back(SourceSplit{subtask, parallelism, fresh_next, false});
  return splits;
}

}  // namespace dfc::rt
