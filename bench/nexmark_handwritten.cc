// nexmark_handwritten: hand-written C++ versions of Nexmark queries, the yardstick dfc's generated
// code is compared against (PERFORMANCE.md). One binary, one query per run:
//
//   nexmark_handwritten --query gen|q0|q1|q2|q5|q7|q8 [--events N] [--mode gen|replay]
//                       [--repeat R] [--events-per-second R] [--print]
//
//   --mode gen     (default) the generator runs in the loop, as in Flink's Nexmark numbers;
//   --mode replay  the N events are generated first into memory (not timed), then replayed R
//                  times (timestamps shifted by the stream's span per pass): engine cost only.
//
// Prints one line: query, mode, events, CPU seconds, events/s per core (= events / CPU seconds of
// the process, all single-threaded), wall seconds, output rows and a checksum of the output (so the
// work cannot be optimized away and runs can be compared).
//
// What "the same work" means, so dfc jobs can be built to match:
//   * events counts every event index consumed (persons, auctions and bids), as Flink counts
//     source records; a query on one stream skips the other kinds by index (Generator::KindOf)
//     without generating them, as dfc's `nexmark` source with `stream` set does;
//   * `extra` is generated only by queries that output it (q0, q1, q7), as the dfc source does
//     when the declared row type has no `extra` column;
//   * event time = dateTime; watermark = max dateTime seen - 4 s (nexmark's DDL), checked per
//     event; windows fire when the watermark reaches window end - 1; end of input fires the rest.
//   * q0: bid pass-through (auction, bidder, price, dateTime, extra); q1: price * 0.908 (DOUBLE);
//     q2: auction, price where auction % 123 = 0; q5: HOP(2 s, 10 s) bid count per auction, the
//     auctions with the window's max count; q7: TUMBLE(10 s) max price, the bids of
//     [window_end - 10 s, window_end] with that price; q8: persons joined with the sellers of
//     auctions in the same TUMBLE(10 s) window (id, name, window start).
#include <time.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dfc/nexmark.h"

namespace {

using dfc::nexmark::Auction;
using dfc::nexmark::Bid;
using dfc::nexmark::Event;
using dfc::nexmark::EventKind;
using dfc::nexmark::Generator;
using dfc::nexmark::GeneratorConfig;
using dfc::nexmark::Person;

constexpr int64_t kWatermarkDelayMs = 4000;

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double WallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

// Output sink of every query: counts rows, folds them into a checksum, optionally prints them.
struct Sink {
  uint64_t rows = 0;
  uint64_t checksum = 0;
  bool print = false;
  void Row(std::initializer_list<int64_t> ints, std::string_view s = {}) {
    ++rows;
    for (int64_t v : ints) checksum = Mix(checksum, static_cast<uint64_t>(v));
    checksum = Mix(checksum, s.size());
    if (print) {
      bool first = true;
      for (int64_t v : ints) {
        std::printf(first ? "%" PRId64 : ",%" PRId64, v);
        first = false;
      }
      if (!s.empty()) std::printf(",%.*s", static_cast<int>(s.size()), s.data());
      std::printf("\n");
    }
  }
};

// Base of the queries: ignores what it does not override.
struct Query {
  Sink sink;
  void OnPerson(const Person&, int64_t) {}
  void OnAuction(const Auction&, int64_t) {}
  void OnBid(const Bid&, int64_t) {}
  void Finish() {}
};

struct Q0 : Query {
  void OnBid(const Bid& b, int64_t ts) { sink.Row({b.auction, b.bidder, b.price, ts}, b.extra); }
};

struct Q1 : Query {
  void OnBid(const Bid& b, int64_t ts) {
    const double eur = 0.908 * static_cast<double>(b.price);
    int64_t bits;
    std::memcpy(&bits, &eur, sizeof bits);
    sink.Row({b.auction, b.bidder, bits, ts}, b.extra);
  }
};

struct Q2 : Query {
  void OnBid(const Bid& b, int64_t) {
    if (b.auction % 123 == 0) sink.Row({b.auction, b.price});
  }
};

// Tracks the watermark (max ts - 4 s) and fires windows of `size` ms in order.
class WindowClock {
 public:
  explicit WindowClock(int64_t slide) : slide_(slide) {}
  // Returns true when the watermark advanced past `next_fire_end() - 1`.
  template <class Fire>
  void Advance(int64_t ts, int64_t size, Fire&& fire) {
    if (ts > max_ts_) max_ts_ = ts;
    if (next_end_ == INT64_MIN) next_end_ = FloorDiv(ts, slide_) * slide_ + slide_;
    const int64_t wm = max_ts_ - kWatermarkDelayMs;
    while (wm >= next_end_ - 1) {
      fire(next_end_ - size, next_end_);
      next_end_ += slide_;
    }
  }
  template <class Fire>
  void Flush(int64_t size, Fire&& fire, int64_t last_end) {
    if (next_end_ == INT64_MIN) return;
    while (next_end_ <= last_end) {
      fire(next_end_ - size, next_end_);
      next_end_ += slide_;
    }
  }
  int64_t max_ts() const { return max_ts_; }
  static int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

 private:
  int64_t slide_;
  int64_t max_ts_ = INT64_MIN;
  int64_t next_end_ = INT64_MIN;
};

// q5: per 2 s pane, bid counts per auction; a 10 s window is the sum of its 5 panes.
struct Q5 : Query {
  static constexpr int64_t kSlide = 2000, kSize = 10000;
  std::map<int64_t, std::unordered_map<int64_t, int64_t>> panes;  // pane start -> auction -> n
  WindowClock clock{kSlide};
  std::unordered_map<int64_t, int64_t> merged;

  void OnBid(const Bid& b, int64_t ts) {
    clock.Advance(ts, kSize, [this](int64_t s, int64_t e) { Fire(s, e); });
    ++panes[WindowClock::FloorDiv(ts, kSlide) * kSlide][b.auction];
  }
  void Fire(int64_t start, int64_t end) {
    merged.clear();
    for (auto it = panes.lower_bound(start); it != panes.end() && it->first < end; ++it)
      for (const auto& [a, n] : it->second) merged[a] += n;
    int64_t maxn = 0;
    for (const auto& [a, n] : merged) maxn = std::max(maxn, n);
    // Deterministic output order: by auction.
    std::vector<int64_t> hot;
    for (const auto& [a, n] : merged)
      if (n >= maxn) hot.push_back(a);
    std::sort(hot.begin(), hot.end());
    for (int64_t a : hot) sink.Row({a, maxn, start, end});
    // Panes before the next window's start are no longer needed.
    panes.erase(panes.begin(), panes.lower_bound(start + kSlide));
  }
  void Finish() {
    if (panes.empty()) return;
    const int64_t last = std::prev(panes.end())->first;
    clock.Flush(kSize, [this](int64_t s, int64_t e) { Fire(s, e); }, last + kSize);
  }
};

// q7: per 10 s window, the max price and the bids carrying it; a bid at exactly a window end also
// joins the previous window (BETWEEN is inclusive).
struct Q7 : Query {
  static constexpr int64_t kSize = 10000;
  struct Win {
    int64_t max = INT64_MIN;
    std::vector<Bid> at_max;     // in-window bids with price == max
    std::vector<Bid> boundary;   // bids at ts == window end (belong to the next window)
  };
  std::map<int64_t, Win> wins;  // window start -> state
  WindowClock clock{kSize};

  void OnBid(const Bid& b, int64_t ts) {
    clock.Advance(ts, kSize, [this](int64_t s, int64_t) { Fire(s); });
    const int64_t start = WindowClock::FloorDiv(ts, kSize) * kSize;
    Win& w = wins[start];
    if (b.price > w.max) {
      w.max = b.price;
      w.at_max.clear();
    }
    if (b.price == w.max) {
      w.at_max.push_back(b);
      w.at_max.back().dateTime = ts;
    }
    if (ts == start) {
      Win& prev = wins[start - kSize];
      if (b.price >= prev.max) {
        prev.boundary.push_back(b);
        prev.boundary.back().dateTime = ts;
      }
    }
  }
  void Fire(int64_t start) {
    auto it = wins.find(start);
    if (it == wins.end()) return;
    const Win& w = it->second;
    if (w.max != INT64_MIN) {
      for (const Bid& b : w.at_max) sink.Row({b.auction, b.bidder, b.price, b.dateTime}, b.extra);
      for (const Bid& b : w.boundary)
        if (b.price == w.max) sink.Row({b.auction, b.bidder, b.price, b.dateTime}, b.extra);
    }
    wins.erase(it);
  }
  void Finish() {
    while (!wins.empty()) Fire(wins.begin()->first);
  }
};

// q8: per 10 s window, persons (id -> name) and the set of sellers; joined when the window fires.
struct Q8 : Query {
  static constexpr int64_t kSize = 10000;
  struct Win {
    std::unordered_map<int64_t, std::string> persons;
    std::unordered_set<int64_t> sellers;
  };
  std::map<int64_t, Win> wins;
  WindowClock clock{kSize};
  std::vector<std::pair<int64_t, const std::string*>> out;

  void OnPerson(const Person& p, int64_t ts) {
    clock.Advance(ts, kSize, [this](int64_t s, int64_t) { Fire(s); });
    wins[WindowClock::FloorDiv(ts, kSize) * kSize].persons.try_emplace(p.id, p.name);
  }
  void OnAuction(const Auction& a, int64_t ts) {
    clock.Advance(ts, kSize, [this](int64_t s, int64_t) { Fire(s); });
    wins[WindowClock::FloorDiv(ts, kSize) * kSize].sellers.insert(a.seller);
  }
  void Fire(int64_t start) {
    auto it = wins.find(start);
    if (it == wins.end()) return;
    out.clear();
    for (int64_t s : it->second.sellers) {
      auto p = it->second.persons.find(s);
      if (p != it->second.persons.end()) out.emplace_back(s, &p->second);
    }
    std::sort(out.begin(), out.end());
    for (const auto& [id, name] : out) sink.Row({id, start}, *name);
    wins.erase(it);
  }
  void Finish() {
    while (!wins.empty()) Fire(wins.begin()->first);
  }
};

// q3: the regular join of auctions (category 10) and persons (OR, ID, CA) on seller = id, both
// sides kept (as dfc's join keeps both sides in keyed state); a row per match when its later side
// arrives: name, city, state, auction id.
struct Q3 : Query {
  struct P {
    std::string name, city, state;
  };
  std::unordered_map<int64_t, P> persons;
  std::unordered_map<int64_t, std::vector<int64_t>> auctions;  // seller -> auction ids
  std::string row;
  void Emit(const P& p, int64_t auction) {
    row.assign(p.name).append(",").append(p.city).append(",").append(p.state);
    sink.Row({auction}, row);
  }
  void OnPerson(const Person& p, int64_t) {
    if (p.state != "OR" && p.state != "ID" && p.state != "CA") return;
    const P& kept = persons.try_emplace(p.id, P{p.name, p.city, p.state}).first->second;
    if (auto it = auctions.find(p.id); it != auctions.end())
      for (int64_t a : it->second) Emit(kept, a);
  }
  void OnAuction(const Auction& a, int64_t) {
    if (a.category != 10) return;
    auctions[a.seller].push_back(a.id);
    if (auto it = persons.find(a.seller); it != persons.end()) Emit(it->second, a.id);
  }
};

// q20: the regular join of bids and auctions (category 10) on auction = id, both sides kept; a
// row per match: the bid's and the auction's columns.
struct Q20 : Query {
  std::unordered_map<int64_t, Auction> auctions;
  std::unordered_map<int64_t, std::vector<Bid>> bids;  // auction id -> bids
  std::string row;
  void Emit(const Bid& b, const Auction& a) {
    row.assign(b.channel).append(",").append(b.url).append(",").append(b.extra).append(",").append(a.itemName);
    row.append(",").append(a.description).append(",").append(a.extra);
    sink.Row({b.auction, b.bidder, b.price, b.dateTime, a.initialBid, a.reserve, a.dateTime, a.expires, a.seller,
              a.category},
             row);
  }
  void OnAuction(const Auction& a, int64_t) {
    if (a.category != 10) return;
    const Auction& kept = auctions.try_emplace(a.id, a).first->second;
    if (auto it = bids.find(a.id); it != bids.end())
      for (const Bid& b : it->second) Emit(b, kept);
  }
  void OnBid(const Bid& b, int64_t) {
    bids[b.auction].push_back(b);
    if (auto it = auctions.find(b.auction); it != auctions.end()) Emit(b, it->second);
  }
};

// Which kinds a query reads and whether it needs `extra`.
struct Needs {
  bool person, auction, bid, extra;
};

template <class Q>
void RunGen(Q& q, const Generator& gen, int64_t n, Needs needs) {
  Event e;
  for (int64_t i = 0; i < n; ++i) {
    const EventKind k = gen.KindOf(i);
    switch (k) {
      case EventKind::kPerson:
        if (!needs.person) continue;
        gen.Next(i, &e);
        q.OnPerson(e.person, e.person.dateTime);
        break;
      case EventKind::kAuction:
        if (!needs.auction) continue;
        gen.Next(i, &e);
        q.OnAuction(e.auction, e.auction.dateTime);
        break;
      case EventKind::kBid:
        if (!needs.bid) continue;
        gen.Next(i, &e);
        q.OnBid(e.bid, e.bid.dateTime);
        break;
    }
  }
  q.Finish();
}

// Pre-generated events in index order (only the kinds the query reads).
struct Replay {
  std::vector<uint8_t> kinds;
  std::vector<Person> persons;
  std::vector<Auction> auctions;
  std::vector<Bid> bids;
  int64_t span_ms = 0;
};

void Fill(Replay* r, const Generator& gen, int64_t n, Needs needs) {
  Event e;
  for (int64_t i = 0; i < n; ++i) {
    const EventKind k = gen.KindOf(i);
    const bool want = (k == EventKind::kPerson && needs.person) ||
                      (k == EventKind::kAuction && needs.auction) || (k == EventKind::kBid && needs.bid);
    if (!want) continue;
    gen.Next(i, &e);
    r->kinds.push_back(static_cast<uint8_t>(k));
    if (k == EventKind::kPerson) r->persons.push_back(e.person);
    if (k == EventKind::kAuction) r->auctions.push_back(e.auction);
    if (k == EventKind::kBid) r->bids.push_back(e.bid);
  }
  r->span_ms = gen.TimestampFor(n) - gen.TimestampFor(0) + 1;
}

template <class Q>
void RunReplay(Q& q, const Replay& r, int repeat) {
  for (int pass = 0; pass < repeat; ++pass) {
    const int64_t shift = pass * r.span_ms;
    size_t p = 0, a = 0, b = 0;
    for (uint8_t k : r.kinds) {
      switch (static_cast<EventKind>(k)) {
        case EventKind::kPerson: {
          const Person& x = r.persons[p++];
          q.OnPerson(x, x.dateTime + shift);
          break;
        }
        case EventKind::kAuction: {
          const Auction& x = r.auctions[a++];
          q.OnAuction(x, x.dateTime + shift);
          break;
        }
        case EventKind::kBid: {
          const Bid& x = r.bids[b++];
          q.OnBid(x, x.dateTime + shift);
          break;
        }
      }
    }
  }
  q.Finish();
}

struct Options {
  std::string query = "q0";
  std::string mode = "gen";
  int64_t events = 10'000'000;
  int repeat = 1;
  bool print = false;
  GeneratorConfig cfg;
};

template <class Q>
int Run(const Options& o, Needs needs) {
  GeneratorConfig cfg = o.cfg;
  cfg.generate_extra = needs.extra;
  const Generator gen(cfg);
  Q q;
  q.sink.print = o.print;
  Replay replay;
  int64_t events = o.events;
  if (o.mode == "replay") {
    Fill(&replay, gen, o.events, needs);
    events = o.events * o.repeat;
  }
  const double c0 = CpuSeconds(), w0 = WallSeconds();
  if (o.mode == "replay") {
    RunReplay(q, replay, o.repeat);
  } else {
    RunGen(q, gen, o.events, needs);
  }
  const double cpu = CpuSeconds() - c0, wall = WallSeconds() - w0;
  std::fprintf(o.print ? stderr : stdout,
               "query=%s mode=%s events=%" PRId64 " cpu_s=%.3f events_per_s_per_core=%.0f wall_s=%.3f "
               "rows=%" PRIu64 " checksum=%016" PRIx64 "\n",
               o.query.c_str(), o.mode.c_str(), events, cpu, static_cast<double>(events) / cpu, wall,
               q.sink.rows, q.sink.checksum);
  return 0;
}

// "gen": the generator alone, every event generated (all kinds, with extra), nothing consumed but a
// checksum of the bid prices and event times.
struct GenOnly : Query {
  void OnPerson(const Person& p, int64_t ts) { sink.checksum = Mix(sink.checksum, p.id ^ ts); }
  void OnAuction(const Auction& a, int64_t ts) { sink.checksum = Mix(sink.checksum, a.id ^ ts); }
  void OnBid(const Bid& b, int64_t ts) { sink.checksum = Mix(sink.checksum, b.price ^ ts); }
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int a = 1; a < argc; ++a) {
    std::string_view arg = argv[a];
    auto value = [&]() -> const char* {
      if (a + 1 >= argc) {
        std::fprintf(stderr, "nexmark_handwritten: %s needs a value\n", argv[a]);
        std::exit(2);
      }
      return argv[++a];
    };
    if (arg == "--query") {
      o.query = value();
    } else if (arg == "--mode") {
      o.mode = value();
    } else if (arg == "--events") {
      o.events = std::atoll(value());
    } else if (arg == "--repeat") {
      o.repeat = std::atoi(value());
    } else if (arg == "--events-per-second") {
      o.cfg.events_per_second = std::atoll(value());
    } else if (arg == "--print") {
      o.print = true;
    } else {
      std::fprintf(stderr,
                   "usage: nexmark_handwritten --query gen|q0|q1|q2|q5|q7|q8 [--events N]\n"
                   "         [--mode gen|replay] [--repeat R] [--events-per-second R] [--print]\n");
      return 2;
    }
  }
  if (o.mode != "gen" && o.mode != "replay") {
    std::fprintf(stderr, "nexmark_handwritten: --mode is gen or replay\n");
    return 2;
  }
  const std::string& q = o.query;
  if (q == "gen") return Run<GenOnly>(o, {true, true, true, true});
  if (q == "q0") return Run<Q0>(o, {false, false, true, true});
  if (q == "q1") return Run<Q1>(o, {false, false, true, true});
  if (q == "q2") return Run<Q2>(o, {false, false, true, false});
  if (q == "q5") return Run<Q5>(o, {false, false, true, false});
  if (q == "q7") return Run<Q7>(o, {false, false, true, true});
  if (q == "q8") return Run<Q8>(o, {true, true, false, false});
  if (q == "q3") return Run<Q3>(o, {true, true, false, false});
  if (q == "q20") return Run<Q20>(o, {false, true, true, true});
  std::fprintf(stderr, "nexmark_handwritten: unknown query '%s'\n", q.c_str());
  return 2;
}
