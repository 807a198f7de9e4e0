// DenseMap: the key map of window engines (window.h), whose state is walked whole — every key at
// each window firing, every key at a snapshot — far more often than single keys are erased.
// Entries live in one vector in insertion order, so a walk is a sequential scan and an insert
// allocates nothing per entry; an open-addressing index (linear probing, power-of-two capacity,
// load <= 3/4) maps a key's hash to its entry's position, with 32 hash bits per slot so that a
// probe compares keys only on a likely match. Keys are erased in bulk (EraseIf, which keeps the
// order of the rest and rebuilds the index). Iteration order is deterministic: insertion order,
// minus the erased entries.
//
// Inserting and EraseIf invalidate references, pointers and iterators to entries.
// Single-threaded, like the engines that own it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dfc::rt {

template <class Key, class Value, class Hash>
class DenseMap {
 public:
  using value_type = std::pair<Key, Value>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  // The value of `key`, default-constructed and appended when absent.
  Value& operator[](const Key& key) {
    if ((entries_.size() + 1) * 4 > slots_.size() * 3) Rebuild(slots_.empty() ? 16 : slots_.size() * 2);
    const uint64_t h = hash_(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.pos == 0) {
        if (entries_.size() >= UINT32_MAX) throw std::length_error("DenseMap: more than 2^32 - 1 keys");
        entries_.emplace_back(key, Value());
        s.pos = static_cast<uint32_t>(entries_.size());
        s.tag = tag;
        return entries_.back().second;
      }
      if (s.tag == tag && entries_[s.pos - 1].first == key) return entries_[s.pos - 1].second;
    }
  }

  // The entry of `key`, or nullptr.
  value_type* find(const Key& key) {
    if (entries_.empty()) return nullptr;
    const uint64_t h = hash_(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.pos == 0) return nullptr;
      if (s.tag == tag && entries_[s.pos - 1].first == key) return &entries_[s.pos - 1];
    }
  }

  // Calls pred(value_type&) on every entry in order (it may modify the value) and erases those
  // for which it returned true; the others keep their order.
  template <class Pred>
  void EraseIf(Pred&& pred) {
    size_t out = 0;
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (pred(entries_[i])) continue;
      if (out != i) entries_[out] = std::move(entries_[i]);
      ++out;
    }
    if (out == entries_.size()) return;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(out), entries_.end());
    size_t cap = 16;
    while (entries_.size() * 4 > cap * 3 / 2) cap *= 2;  // room to grow by half before rebuilding
    Rebuild(cap);
  }

  void clear() {
    entries_.clear();
    slots_.clear();
    mask_ = 0;
  }

 private:
  struct Slot {
    uint32_t pos = 0;  // entry index + 1; 0: empty
    uint32_t tag = 0;  // the hash's upper 32 bits
  };

  void Rebuild(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (size_t e = 0; e < entries_.size(); ++e) {
      const uint64_t h = hash_(entries_[e].first);
      size_t i = h & mask_;
      while (slots_[i].pos != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{static_cast<uint32_t>(e + 1), static_cast<uint32_t>(h >> 32)};
    }
  }

  std::vector<value_type> entries_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  [[no_unique_address]] Hash hash_{};
};

}  // namespace dfc::rt
