// The `nexmark` source's event supply: the generator itself, or — for engine-only benchmarks —
// events generated once into memory and replayed (bench/nexmark.sh, `-D <source>.replay=R`).
//
// Replay: with R > 0 passes the source's index space becomes [0, events * R): index i stands for
// event j = i % events of pass i / events, whose dateTime (and an auction's expires) moves forward
// by pass * span (span = the event time covered by `events`), so time keeps increasing across
// passes and windows keep firing. A subtask handling indices s, s + p, ... holds exactly the
// events it will replay (j = s mod gcd(events, p)), of the kinds the job reads, in memory; the
// memory is filled in the constructor, before the first record, so `R = 0` measures generation
// alone and the benchmark subtracts it. Indices must be visited in increasing order with a fixed
// stride (as the source loop does); the cursor then costs no division per event.
#pragma once

#include <cstdint>
#include <numeric>
#include <vector>

#include "dfc/nexmark.h"

namespace dfc::nexmark {

class EventSource {
 public:
  // `kind` < 0: every kind is read, else only that EventKind. `events` < 0: unbounded (no replay).
  EventSource(const Generator& gen, int64_t events, int64_t replay_passes, int kind, int subtask, int parallelism)
      : gen_(gen), events_(events), passes_(events > 0 ? replay_passes : 0), stride_(parallelism) {
    if (passes_ <= 0) return;
    const int64_t g = std::gcd(events_, static_cast<int64_t>(parallelism));
    slot_.assign(static_cast<size_t>(events_), -1);
    Event e;
    for (int64_t j = subtask % g; j < events_; j += g) {
      const EventKind k = gen_.KindOf(j);
      if (kind >= 0 && static_cast<int>(k) != kind) continue;
      gen_.Next(j, &e);
      switch (k) {
        case EventKind::kPerson: slot_[j] = static_cast<int32_t>(persons_.size()); persons_.push_back(e.person); break;
        case EventKind::kAuction: slot_[j] = static_cast<int32_t>(auctions_.size()); auctions_.push_back(e.auction); break;
        case EventKind::kBid: slot_[j] = static_cast<int32_t>(bids_.size()); bids_.push_back(e.bid); break;
      }
    }
    span_ms_ = gen_.TimestampFor(events_) - gen_.TimestampFor(0);
  }

  // One past the last index (-1: unbounded).
  int64_t limit() const { return passes_ > 0 ? events_ * passes_ : events_; }

  EventKind KindOf(int64_t i) {
    if (passes_ <= 0) return gen_.KindOf(i);
    Seek(i);
    return gen_.KindOf(j_);
  }

  // The event at index `i`, whose kind is KindOf(i), by reference and without a copy (the source
  // reads only the columns it declares): in replay the stored event, whose dateTime (and an
  // auction's expires) are those of the first pass — add shift(); otherwise `scratch`, generated
  // into (shift() is then 0). Valid until the next call.
  const Person& PersonAt(int64_t i, Event* scratch) {
    if (passes_ <= 0) return Generate(i, scratch).person;
    Seek(i);
    return persons_[static_cast<size_t>(slot_[j_])];
  }
  const Auction& AuctionAt(int64_t i, Event* scratch) {
    if (passes_ <= 0) return Generate(i, scratch).auction;
    Seek(i);
    return auctions_[static_cast<size_t>(slot_[j_])];
  }
  const Bid& BidAt(int64_t i, Event* scratch) {
    if (passes_ <= 0) return Generate(i, scratch).bid;
    Seek(i);
    return bids_[static_cast<size_t>(slot_[j_])];
  }
  // What to add to the dateTime (and expires) of the event last returned by *At().
  int64_t shift() const { return pass_ * span_ms_; }

  // The event at index `i` as a copy (time already shifted).
  void Next(int64_t i, Event* out) {
    if (passes_ <= 0) {
      gen_.Next(i, out);
      return;
    }
    Seek(i);
    const int64_t shift = pass_ * span_ms_;
    const int32_t s = slot_[j_];
    out->kind = gen_.KindOf(j_);
    out->event_id = gen_.EventId(j_);
    switch (out->kind) {
      case EventKind::kPerson:
        out->person = persons_[s];
        out->person.dateTime += shift;
        break;
      case EventKind::kAuction:
        out->auction = auctions_[s];
        out->auction.dateTime += shift;
        out->auction.expires += shift;
        break;
      case EventKind::kBid:
        out->bid = bids_[s];
        out->bid.dateTime += shift;
        break;
    }
  }

 private:
  const Event& Generate(int64_t i, Event* scratch) {
    gen_.Next(i, scratch);
    return *scratch;
  }
  void Seek(int64_t i) {
    if (i == i_) return;
    if (i_ >= 0 && i == i_ + stride_) {
      j_ += stride_;
      while (j_ >= events_) {
        j_ -= events_;
        ++pass_;
      }
    } else {
      j_ = i % events_;
      pass_ = i / events_;
    }
    i_ = i;
  }

  const Generator& gen_;
  int64_t events_;
  int64_t passes_;
  int64_t stride_;
  int64_t span_ms_ = 0;
  int64_t i_ = -1, j_ = 0, pass_ = 0;
  std::vector<int32_t> slot_;  // event j -> index into its kind's vector (-1: not held)
  std::vector<Person> persons_;
  std::vector<Auction> auctions_;
  std::vector<Bid> bids_;
};

}  // namespace dfc::nexmark
