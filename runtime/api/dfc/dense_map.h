// DenseMap: the key map of window engines (window.h), whose state is walked whole — every key at
// each window firing, every key at a snapshot — far more often than single keys are erased.
// Entries live in insertion order in fixed-size blocks (a walk is a sequential scan; an insert
// allocates nothing per entry and never moves the entries already there, as a growing vector
// would); an open-addressing index (linear probing, power-of-two capacity, load <= 3/4) maps a
// key's hash to its entry's position, with 32 hash bits per slot so that a probe compares keys
// only on a likely match. Keys are erased in bulk (EraseIf, which keeps the order of the rest and
// rebuilds the index). Iteration order is deterministic: insertion order, minus erased entries.
//
// EraseIf invalidates references, pointers and iterators to entries; inserting invalidates
// iterators only. Single-threaded, like the engines that own it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace dfc::rt {

template <class Key, class Value, class Hash>
class DenseMap {
 public:
  using value_type = std::pair<Key, Value>;

  template <bool Const>
  class Iter {
   public:
    using Map = std::conditional_t<Const, const DenseMap, DenseMap>;
    using value_type = DenseMap::value_type;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::bidirectional_iterator_tag;
    Iter() = default;
    Iter(Map* m, size_t pos) : m_(m), pos_(pos) {}
    reference operator*() const { return m_->At(pos_); }
    pointer operator->() const { return &m_->At(pos_); }
    Iter& operator++() {
      ++pos_;
      return *this;
    }
    Iter operator++(int) {
      Iter r = *this;
      ++pos_;
      return r;
    }
    Iter& operator--() {
      --pos_;
      return *this;
    }
    Iter operator--(int) {
      Iter r = *this;
      --pos_;
      return r;
    }
    bool operator==(const Iter& o) const { return pos_ == o.pos_; }
    bool operator!=(const Iter& o) const { return pos_ != o.pos_; }

   private:
    Map* m_ = nullptr;
    size_t pos_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, size_); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size_); }

  // The value of `key`, default-constructed and appended when absent.
  Value& operator[](const Key& key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Rebuild(slots_.empty() ? 16 : slots_.size() * 2);
    const uint64_t h = hash_(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.pos == 0) {
        if (size_ >= UINT32_MAX - 1) throw std::length_error("DenseMap: more than 2^32 - 2 keys");
        if (size_ == blocks_.size() * kBlock) blocks_.emplace_back(new value_type[kBlock]);
        value_type& e = At(size_++);
        e.first = key;  // the slot holds a default-constructed (or reset) value
        s.pos = static_cast<uint32_t>(size_);
        s.tag = tag;
        return e.second;
      }
      if (s.tag == tag && At(s.pos - 1).first == key) return At(s.pos - 1).second;
    }
  }

  // The entry of `key`, or nullptr.
  value_type* find(const Key& key) {
    if (size_ == 0) return nullptr;
    const uint64_t h = hash_(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.pos == 0) return nullptr;
      if (s.tag == tag && At(s.pos - 1).first == key) return &At(s.pos - 1);
    }
  }

  // Calls pred(value_type&) on every entry in order (it may modify the value) and erases those
  // for which it returned true; the others keep their order.
  template <class Pred>
  void EraseIf(Pred&& pred) {
    size_t out = 0;
    for (size_t i = 0; i < size_; ++i) {
      if (pred(At(i))) continue;
      if (out != i) At(out) = std::move(At(i));
      ++out;
    }
    if (out == size_) return;
    for (size_t i = out; i < size_; ++i) At(i) = value_type();  // frees what the erased held
    size_ = out;
    blocks_.resize((size_ + kBlock - 1) / kBlock);
    size_t cap = 16;
    while (size_ * 4 > cap * 3 / 2) cap *= 2;  // room to grow by half before rebuilding
    Rebuild(cap);
  }

  void clear() {
    blocks_.clear();
    size_ = 0;
    slots_.clear();
    mask_ = 0;
  }

 private:
  static constexpr size_t kShift = 9, kBlock = size_t{1} << kShift;
  struct Slot {
    uint32_t pos = 0;  // entry index + 1; 0: empty
    uint32_t tag = 0;  // the hash's upper 32 bits
  };

  value_type& At(size_t pos) { return blocks_[pos >> kShift][pos & (kBlock - 1)]; }
  const value_type& At(size_t pos) const { return blocks_[pos >> kShift][pos & (kBlock - 1)]; }

  void Rebuild(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (size_t e = 0; e < size_; ++e) {
      const uint64_t h = hash_(At(e).first);
      size_t i = h & mask_;
      while (slots_[i].pos != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{static_cast<uint32_t>(e + 1), static_cast<uint32_t>(h >> 32)};
    }
  }

  std::vector<std::unique_ptr<value_type[]>> blocks_;  // kBlock entries each; the first size_ in use
  size_t size_ = 0;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  [[no_unique_address]] Hash hash_{};
};

}  // namespace dfc::rt
