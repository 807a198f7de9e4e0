// The checkpoint API of generated code: how a chain writes its state at a barrier and reads it
// back when the job starts from a checkpoint or savepoint (docs/CHECKPOINTS.md).
//
// State comes in two shapes, both addressed by the operator's stable uid (so state survives a
// recompile that keeps the uid):
//   * operator state: a list of opaque entries per operator and subtask (source splits with their
//     positions, a sink's pending files). On restore every entry of every old subtask is handed
//     out again: entry k of the concatenation (old subtask order, then entry order) goes to new
//     subtask k mod parallelism (round-robin, Flink's operator list state); UnionEntries() gives
//     each new subtask all of them (Flink's union list state);
//   * keyed state: one opaque blob per operator and key group. A new subtask reads the key groups
//     of its own range, whichever old subtask wrote them: that is rescaling.
// Threading: a SnapshotWriter / RestoredState belongs to one subtask's thread while it is used.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "dfc/row.h"

namespace dfc::rt {

// Malformed or incompatible state met while restoring (names the operator where known).
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- byte encoding of state (little-endian fixed width; strings length-prefixed) ----
class StateOut {
 public:
  explicit StateOut(std::string* s) : s_(s) {}
  void PutU64(uint64_t v) { s_->append(reinterpret_cast<const char*>(&v), sizeof v); }
  void Put(int64_t v) { PutU64(static_cast<uint64_t>(v)); }
  void Put(int32_t v) { Put(static_cast<int64_t>(v)); }
  void Put(bool v) { s_->push_back(v ? 1 : 0); }
  void Put(double v) {
    uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    PutU64(b);
  }
  void Put(std::string_view v) {
    PutU64(v.size());
    s_->append(v.data(), v.size());
  }
  void Put(const std::string& v) { Put(std::string_view(v)); }
  template <class... Ts>
  void Put(const std::tuple<Ts...>& t) {
    std::apply([&](const auto&... x) { (Put(x), ...); }, t);
  }
  // Every column of a row, in declared order.
  void PutRow(const RowDesc& desc, const void* row);

 private:
  std::string* s_;
};

class StateIn {
 public:
  explicit StateIn(std::string_view s) : s_(s) {}
  bool empty() const { return pos_ >= s_.size(); }
  uint64_t GetU64() {
    uint64_t v;
    std::memcpy(&v, Take(sizeof v), sizeof v);
    return v;
  }
  void Get(int64_t* v) { *v = static_cast<int64_t>(GetU64()); }
  void Get(int32_t* v) { *v = static_cast<int32_t>(GetU64()); }
  void Get(bool* v) { *v = *Take(1) != 0; }
  void Get(double* v) {
    const uint64_t b = GetU64();
    std::memcpy(v, &b, sizeof b);
  }
  void Get(std::string* v) {
    const uint64_t n = GetU64();
    if (n > s_.size()) Underflow();
    v->assign(Take(static_cast<size_t>(n)), static_cast<size_t>(n));
  }
  template <class... Ts>
  void Get(std::tuple<Ts...>* t) {
    std::apply([&](auto&... x) { (Get(&x), ...); }, *t);
  }
  void GetRow(const RowDesc& desc, void* row);

 private:
  const char* Take(size_t n) {
    if (s_.size() - pos_ < n || pos_ > s_.size()) Underflow();
    const char* p = s_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[noreturn]] void Underflow() const;
  std::string_view s_;
  size_t pos_ = 0;
};

// What a chain writes at a barrier (SnapshotState). Owned by the runtime.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(int64_t checkpoint_id = 0) : checkpoint_id_(checkpoint_id) {}
  // The checkpoint this snapshot belongs to.
  int64_t checkpoint_id() const { return checkpoint_id_; }
  // Appends an operator-state entry of `uid` for this subtask; fill the returned string.
  // (Out of line, as KeyGroup: generated code calls it and need not instantiate the maps.)
  std::string* AddOperatorEntry(std::string_view uid);
  // The keyed-state blob of `uid` for `key_group` (created empty on first use); fill it.
  std::string* KeyGroup(std::string_view uid, int key_group);

  // ---- runtime side ----
  const std::map<std::string, std::vector<std::string>>& operator_state() const {
    return operator_;
  }
  const std::map<std::string, std::map<int, std::string>>& keyed_state() const { return keyed_; }
  void Clear() {
    operator_.clear();
    keyed_.clear();
  }

 private:
  int64_t checkpoint_id_;
  std::map<std::string, std::vector<std::string>> operator_;
  std::map<std::string, std::map<int, std::string>> keyed_;
};

// The state a subtask starts from (InitializeState). Empty when the job starts fresh.
class RestoredState {
 public:
  // True when the job was restored from a checkpoint or savepoint.
  bool restored() const { return checkpoint_id_ > 0; }
  // Id of the checkpoint restored from (0 = fresh start).
  int64_t checkpoint_id() const { return checkpoint_id_; }
  // True when the snapshot had state for `uid` (any shape).
  bool HasOperator(std::string_view uid) const;
  // This subtask's round-robin share of `uid`'s operator-state entries.
  std::vector<std::string_view> Entries(std::string_view uid) const;
  // Every operator-state entry of `uid` (union redistribution), in old-subtask order.
  std::vector<std::string_view> UnionEntries(std::string_view uid) const;
  // The keyed-state blob of `uid` for `key_group` (empty when none). Only key groups of this
  // subtask's range are meaningful.
  std::string_view KeyGroup(std::string_view uid, int key_group) const;
  // This subtask's key groups [first, last] (Flink's KeyGroupRangeAssignment).
  int first_key_group() const { return first_kg_; }
  int last_key_group() const { return last_kg_; }

  // ---- runtime side ----
  struct Data {
    int64_t checkpoint_id = 0;
    std::map<std::string, std::vector<std::string>, std::less<>> operator_entries;  // all subtasks
    std::map<std::string, std::map<int, std::string>, std::less<>> keyed;
  };
  void Reset(const Data* data, int subtask, int parallelism, int max_parallelism);

 private:
  const Data* data_ = nullptr;
  int64_t checkpoint_id_ = 0;
  int subtask_ = 0, parallelism_ = 1;
  int first_kg_ = 0, last_kg_ = -1;
};

// Key group range of `subtask` (Flink: [ceil(i*M/p), floor(((i+1)*M-1)/p)]).
inline int FirstKeyGroup(int subtask, int parallelism, int max_parallelism) {
  return static_cast<int>((static_cast<int64_t>(subtask) * max_parallelism + parallelism - 1) /
                          parallelism);
}
inline int LastKeyGroup(int subtask, int parallelism, int max_parallelism) {
  return static_cast<int>(((static_cast<int64_t>(subtask) + 1) * max_parallelism - 1) /
                          parallelism);
}

// A replayable source's unit of work (Flink's source split): generated sources read a list of
// splits one after the other and keep each split's position up to date, so a barrier records
// exactly where each split stands.
//   * datagen / nexmark / values: the event indices start, start+step, ... below the source's
//     count; `next` = the next index to produce;
//   * file: byte range number `start` of `step` equal ranges of the file; `next` = byte offset of
//     the next unread line (-1 = not opened yet).
struct SourceSplit {
  int64_t start = 0;
  int64_t step = 1;
  int64_t next = 0;
  bool done = false;
};
// Encodes / decodes one split as an operator-state entry.
std::string EncodeSplit(const SourceSplit& s);
SourceSplit DecodeSplit(std::string_view bytes, std::string_view uid);
// The splits of this subtask: restored ones, or the single fresh split {subtask, parallelism,
// fresh_next}.
std::vector<SourceSplit> SourceSplits(const RestoredState& r, std::string_view uid, int subtask,
                                      int parallelism, int64_t fresh_next);

}  // namespace dfc::rt
