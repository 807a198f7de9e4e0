// The Nexmark event generator: Person, Auction and Bid events of the Nexmark streaming benchmark,
// as the `nexmark` source connector, the export tool, the hand-written baselines and the tests
// produce them.
//
// Contract:
//   * Event `index` (0-based position in the stream) is a pure function of (index, config): every
//     value is drawn from a PRNG seeded with the event id, as Beam's and nexmark-rs's generators
//     do, so event N is byte-identical in every run, in any generation order and at any
//     parallelism. (The values are NOT those of the Java generators: their java.util.Random
//     streams are not reproduced, only their distributions and id/time arithmetic.)
//   * Kind by event id % 50 (default proportions 1:3:46): 0 person, 1-3 auction, 4-49 bid.
//     Person and auction ids count up from 1000; category ids are 10..14.
//   * Hot auctions / sellers / bidders, the in-flight auction window, the active-people window, the
//     id "leads", prices (log-uniform 1.00 .. 1,000,000.00 in cents), string lengths, the `extra`
//     padding to the average event sizes (person 200, auction 500, bid 100 bytes) and the bid
//     channels/urls (4 hot channels, else one of 10,000 "channel-N" with a per-channel url) follow
//     nexmark-flink's generator (nexmark/nexmark, nexmark-flink/.../generator/model).
//   * Timestamps: dateTime = base_time_ms + floor(event_number * 1000 / events_per_second): a fixed
//     inter-event delay. Default base time 2015-07-15T00:00:00Z (Beam's Nexmark BASE_TIME) and
//     10,000,000 events/s (the event rate nexmark-flink's benchmark runs at, so 100M events span
//     10 s of event time). Optional disorder: Beam-style out-of-order groups (the events of each
//     group of `out_of_order_group_size` ids are permuted) and/or occasional delays (with
//     probability `delay_probability` an event's dateTime moves back by 1..max_delay_ms).
//     With neither, dateTime is monotone in the index.
//   * Allocation-light: Generator::Next() overwrites the strings of a caller-owned Event, whose
//     capacity is reused, so a warm loop does not allocate. Generator is immutable after
//     construction; one instance may be shared by threads (Event objects may not).
//
// The row structs use nexmark-flink's SQL column names verbatim as member names (emailAddress,
// dateTime, ...): a dfc job declares its row type with these columns and generated code copies
// member by member of the same name. SQL types: BIGINT = int64_t, STRING = std::string,
// TIMESTAMP(3) = int64_t epoch milliseconds.
//
// Header-only: runs in the per-record loop of generated code, includes only <cstdint>/<string>.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dfc::nexmark {

inline constexpr int64_t kFirstPersonId = 1000;
inline constexpr int64_t kFirstAuctionId = 1000;
inline constexpr int64_t kFirstCategoryId = 10;
// 2015-07-15T00:00:00Z in epoch milliseconds.
inline constexpr int64_t kDefaultBaseTimeMs = 1436918400000;

enum class EventKind : uint8_t { kPerson = 0, kAuction = 1, kBid = 2 };

// Every knob of the generator; each field documents its default (nexmark-flink's unless noted).
struct GeneratorConfig {
  int64_t base_time_ms = kDefaultBaseTimeMs;  // dateTime of event 0
  int64_t events_per_second = 10'000'000;     // event-time rate: inter-event delay = 1 s / this
  uint64_t seed = 0;                          // mixed into every event's PRNG seed
  int person_proportion = 1;
  int auction_proportion = 3;
  int bid_proportion = 46;
  int avg_person_byte_size = 200;
  int avg_auction_byte_size = 500;
  int avg_bid_byte_size = 100;
  int hot_auction_ratio = 2;   // a bid goes to a hot auction with probability 1 - 1/ratio
  int hot_sellers_ratio = 4;   // an auction has a hot seller with probability 1 - 1/ratio
  int hot_bidders_ratio = 4;   // a bid comes from a hot bidder with probability 1 - 1/ratio
  int num_active_people = 1000;
  int num_in_flight_auctions = 100;
  int64_t out_of_order_group_size = 1;  // 1 = in order
  double delay_probability = 0;         // probability that an event is delayed (dfc extension)
  int64_t max_delay_ms = 0;             // delayed events move back by 1..max_delay_ms
  bool generate_extra = true;           // false: `extra` stays empty (drawn last, so nothing else
                                        // changes); for consumers that never read it
};

// Nexmark's three event types, in nexmark-flink's column order.
struct Person {
  int64_t id = 0;
  std::string name;
  std::string emailAddress;
  std::string creditCard;
  std::string city;
  std::string state;
  int64_t dateTime = 0;
  std::string extra;
};

struct Auction {
  int64_t id = 0;
  std::string itemName;
  std::string description;
  int64_t initialBid = 0;
  int64_t reserve = 0;
  int64_t dateTime = 0;
  int64_t expires = 0;
  int64_t seller = 0;
  int64_t category = 0;
  std::string extra;
};

struct Bid {
  int64_t auction = 0;
  int64_t bidder = 0;
  int64_t price = 0;
  std::string channel;
  std::string url;
  int64_t dateTime = 0;
  std::string extra;
};

// One generated event: `kind` says which member is valid (the others keep stale contents so their
// string buffers are reused).
struct Event {
  EventKind kind = EventKind::kBid;
  int64_t event_id = 0;  // the id the event's contents derive from (== index when in order)
  Person person;
  Auction auction;
  Bid bid;
  int64_t date_time() const {
    switch (kind) {
      case EventKind::kPerson: return person.dateTime;
      case EventKind::kAuction: return auction.dateTime;
      case EventKind::kBid: return bid.dateTime;
    }
    return 0;
  }
};

// A column of an event schema, for the job format and the export tool.
struct Column {
  const char* name;
  const char* sql_type;  // "BIGINT" | "STRING" | "TIMESTAMP(3)"
};
inline constexpr Column kPersonColumns[] = {
    {"id", "BIGINT"},           {"name", "STRING"},   {"emailAddress", "STRING"},
    {"creditCard", "STRING"},   {"city", "STRING"},   {"state", "STRING"},
    {"dateTime", "TIMESTAMP(3)"}, {"extra", "STRING"}};
inline constexpr Column kAuctionColumns[] = {
    {"id", "BIGINT"},         {"itemName", "STRING"},       {"description", "STRING"},
    {"initialBid", "BIGINT"}, {"reserve", "BIGINT"},        {"dateTime", "TIMESTAMP(3)"},
    {"expires", "TIMESTAMP(3)"}, {"seller", "BIGINT"},      {"category", "BIGINT"},
    {"extra", "STRING"}};
inline constexpr Column kBidColumns[] = {
    {"auction", "BIGINT"}, {"bidder", "BIGINT"},         {"price", "BIGINT"},
    {"channel", "STRING"}, {"url", "STRING"},            {"dateTime", "TIMESTAMP(3)"},
    {"extra", "STRING"}};

// The columns of `kind` and their number.
inline const Column* ColumnsOf(EventKind kind, int* n) {
  switch (kind) {
    case EventKind::kPerson: *n = 8; return kPersonColumns;
    case EventKind::kAuction: *n = 10; return kAuctionColumns;
    case EventKind::kBid: *n = 7; return kBidColumns;
  }
  *n = 0;
  return nullptr;
}

// The schema as a job's `types` entry: "id BIGINT, name STRING, ...".
inline std::string TypesText(EventKind kind) {
  int n = 0;
  const Column* c = ColumnsOf(kind, &n);
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += c[i].name;
    s += ' ';
    s += c[i].sql_type;
  }
  return s;
}

namespace internal {

inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// SplitMix64: tiny, fast and good enough for synthetic data; one instance per event.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(Mix64(seed)) {}
  uint64_t Next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(s_);
  }
  // Uniform in [0, n) for n > 0 (multiply-shift; the bias is below 2^-32 for the ranges used).
  int64_t Below(int64_t n) {
    return static_cast<int64_t>((static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >> 64);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t s_;
};

inline constexpr const char* kFirstNames[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                               "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
inline constexpr const char* kLastNames[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                              "Walton", "Smith",  "Jones",   "Noris"};
inline constexpr const char* kCities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                           "Portland", "Bend", "Redmond", "Seattle", "Kent",
                                           "Cheyenne"};
inline constexpr const char* kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
inline constexpr std::string_view kHotChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
inline constexpr std::string_view kHotUrls[] = {
    "https://www.nexmark.com/googl/item.htm?query=1", "https://www.nexmark.com/meta/item.htm?query=1",
    "https://www.nexmark.com/bidu/item.htm?query=1", "https://www.nexmark.com/aapl/item.htm?query=1"};
inline constexpr int kNumCategories = 5;
inline constexpr int kHotRatio = 100;  // hot ids are the first (second) of each batch of 100
inline constexpr int64_t kIdLead = 10;  // yet-to-be-created ids a random pick may reach
inline constexpr int kNumChannels = 10000;
inline constexpr int kHotChannelsRatio = 100;  // 1 bid in 100 uses a non-hot channel

inline void Assign(std::string* s, const char* lit) { s->assign(lit, std::strlen(lit)); }
inline void Assign(std::string* s, std::string_view lit) { s->assign(lit.data(), lit.size()); }

// Appends `len` chars of [a-z ], a blank with probability ~1/13, then trims blanks at both ends
// of the appended part (nexmark's nextString: length 3..max_len-1 before trimming).
inline void AppendWords(Rng& r, int max_len, std::string* out) {
  const int len = 3 + static_cast<int>(r.Below(max_len - 3));
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(len));
  char* p = out->data() + start;
  for (int i = 0; i < len; i += 8) {
    uint64_t b = r.Next();
    for (int k = 0; k < 8 && i + k < len; ++k, b >>= 8) {
      const uint32_t v = static_cast<uint32_t>(b & 0xff);
      // 20/256 ~ 1/13 blanks; the remaining 236 values map onto a-z.
      p[i + k] = v < 20 ? ' ' : static_cast<char>('a' + ((v - 20) * 26) / 236);
    }
  }
  size_t begin = 0, end = static_cast<size_t>(len);
  while (begin < end && p[begin] == ' ') ++begin;
  while (end > begin && p[end - 1] == ' ') --end;
  if (begin > 0) std::memmove(p, p + begin, end - begin);
  out->resize(start + (end - begin));
}

inline void Words(Rng& r, int max_len, std::string* out) {
  out->clear();
  AppendWords(r, max_len, out);
}

// Eight letters [a-z] from 64 random bits, byte k -> 'a' + (byte * 26 >> 8), computed for all
// eight bytes at once in 16-bit lanes (no lane overflows: 255 * 26 < 2^16).
inline uint64_t EightLetters(uint64_t b) {
  constexpr uint64_t kLo = 0x00ff00ff00ff00ffULL;
  const uint64_t even = (((b & kLo) * 26) >> 8) & kLo;
  const uint64_t odd = ((((b >> 8) & kLo) * 26) >> 8) & kLo;
  return (even | (odd << 8)) + 0x6161616161616161ULL;
}

// Exactly `len` chars of [a-z]. (Byte order of the 8-byte stores is fixed little-endian, so the
// text does not depend on the host.)
inline void RandomLetters(Rng& r, int len, std::string* out) {
  const size_t n = static_cast<size_t>(len);
  out->resize((n + 7) & ~size_t{7});
  unsigned char* p = reinterpret_cast<unsigned char*>(out->data());
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w = EightLetters(r.Next());
    for (int k = 0; k < 8; ++k, w >>= 8) p[i + static_cast<size_t>(k)] = static_cast<unsigned char>(w);
  }
  out->resize(n);
}

// nexmark's nextExtra: padding so that current_size + extra is on average `avg_size`.
inline void Extra(Rng& r, int current_size, int avg_size, std::string* out) {
  if (current_size > avg_size) {
    out->clear();
    return;
  }
  const int desired = avg_size - current_size;
  const int delta = (desired + 2) / 5;  // Java's Math.round(desired * 0.2)
  const int size = desired - delta + (delta == 0 ? 0 : static_cast<int>(r.Below(2 * delta)));
  RandomLetters(r, size, out);
}

// Writes the decimal digits of v >= 0 at p, zero-padded to `width`; returns the end.
inline char* PutDigits(char* p, uint64_t v, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n < width) buf[n++] = '0';
  while (n > 0) *p++ = buf[--n];
  return p;
}

inline uint32_t Reverse32(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
  return (x >> 16) | (x << 16);
}


// Division by a divisor fixed at construction, by multiply-high: exact for 0 <= n < limit
// (= 2^64 / d, far beyond any event number in practice), a real division beyond.
class Divider {
 public:
  explicit Divider(int64_t d = 1)
      : d_(static_cast<uint64_t>(d)),
        m_(~uint64_t{0} / static_cast<uint64_t>(d) + 1),
        limit_(~uint64_t{0} / static_cast<uint64_t>(d)) {}
  int64_t Div(int64_t n) const {
    const uint64_t u = static_cast<uint64_t>(n);
    if (n >= 0 && u < limit_) return static_cast<int64_t>((static_cast<unsigned __int128>(u) * m_) >> 64);
    return n / static_cast<int64_t>(d_);
  }
  int64_t divisor() const { return static_cast<int64_t>(d_); }

 private:
  uint64_t d_, m_, limit_;
};

// 2^(j/64), j = 0..63, built at compile time by repeated multiplication (deterministic: the
// generator's prices must not depend on the host's libm).
struct Pow2Table {
  double v[64];
  constexpr Pow2Table() : v() {
    v[0] = 1.0;
    for (int j = 1; j < 64; ++j) v[j] = v[j - 1] * 0x1.02c9a3e778061p+0;  // 2^(1/64)
  }
};
inline constexpr Pow2Table kPow2Table;

// 2^t for 0 <= t < 64 with plain IEEE arithmetic (table + degree-4 Taylor; relative error ~1e-12).
// Each step is its own statement so no compiler fuses them into FMAs.
inline double Pow2(double t) {
  const double scaled = t * 64.0;
  const int i = static_cast<int>(scaled);
  const double g = (scaled - i) * (0.6931471805599453 / 64.0);  // remainder, in natural units
  double p = g * (1.0 / 24.0);
  p = p + (1.0 / 6.0);
  p = p * g;
  p = p + 0.5;
  p = p * g;
  p = p + 1.0;
  p = p * g;
  p = p + 1.0;
  const double whole = static_cast<double>(uint64_t{1} << (i >> 6));
  const double frac = kPow2Table.v[i & 63];
  const double a = whole * frac;
  return a * p;
}

}  // namespace internal

// Generates events by index. Cheap to construct; immutable; thread-compatible.
class Generator {
 public:
  explicit Generator(const GeneratorConfig& config = GeneratorConfig())
      : c_(config),
        total_(config.person_proportion + config.auction_proportion + config.bid_proportion),
        by_total_(total_),
        by_rate_(config.events_per_second) {}

  const GeneratorConfig& config() const { return c_; }

  // The event id of stream position `index`: `index` itself, or its Beam-style permutation within
  // its out-of-order group.
  int64_t EventId(int64_t index) const {
    const int64_t n = c_.out_of_order_group_size;
    if (n <= 1) return index;
    return (index / n) * n + (index * 953) % n;
  }

  EventKind KindOfId(int64_t event_id) const {
    const int64_t rem = event_id - by_total_.Div(event_id) * total_;
    if (rem < c_.person_proportion) return EventKind::kPerson;
    if (rem < c_.person_proportion + c_.auction_proportion) return EventKind::kAuction;
    return EventKind::kBid;
  }
  // The kind of stream position `index`, without generating the event.
  EventKind KindOf(int64_t index) const { return KindOfId(EventId(index)); }

  // The undelayed event time of event number `n` (floor(n * 1000 / rate) ms after base time).
  int64_t TimestampFor(int64_t n) const {
    const int64_t r = c_.events_per_second;
    const int64_t seconds = by_rate_.Div(n);
    return c_.base_time_ms + seconds * 1000 + by_rate_.Div((n - seconds * r) * 1000);
  }

  // A lower bound on the dateTime of every event at index >= `index` (a perfect watermark).
  int64_t WatermarkFor(int64_t index) const {
    const int64_t n = c_.out_of_order_group_size > 1 ? c_.out_of_order_group_size : 1;
    return TimestampFor((index / n) * n) - (c_.delay_probability > 0 ? c_.max_delay_ms : 0);
  }

  // Fills `out` with the event at stream position `index` (>= 0).
  void Next(int64_t index, Event* out) const {
    const int64_t id = EventId(index);
    out->event_id = id;
    out->kind = KindOfId(id);
    internal::Rng r(c_.seed * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(id));
    const int64_t ts = TimestampFor(id);
    switch (out->kind) {
      case EventKind::kPerson: MakePerson(id, ts, r, &out->person); break;
      case EventKind::kAuction: MakeAuction(id, ts, r, &out->auction); break;
      case EventKind::kBid: MakeBid(id, ts, r, &out->bid); break;
    }
  }

  // ---- id arithmetic of the reference generators (base 0: without the first-id offset) ----

  // The last person id created at or before event `event_id`.
  int64_t LastBase0PersonId(int64_t event_id) const {
    int64_t epoch = by_total_.Div(event_id);
    int64_t offset = event_id - epoch * total_;
    if (offset >= c_.person_proportion) offset = c_.person_proportion - 1;
    return epoch * c_.person_proportion + offset;
  }
  // The last auction id created at or before event `event_id` (-1 before the first auction).
  int64_t LastBase0AuctionId(int64_t event_id) const {
    int64_t epoch = by_total_.Div(event_id);
    int64_t offset = event_id - epoch * total_;
    if (offset < c_.person_proportion) {
      --epoch;
      offset = c_.auction_proportion - 1;
    } else if (offset >= c_.person_proportion + c_.auction_proportion) {
      offset = c_.auction_proportion - 1;
    } else {
      offset -= c_.person_proportion;
    }
    return epoch * c_.auction_proportion + offset;
  }

 private:
  int64_t NextBase0PersonId(int64_t event_id, internal::Rng& r) const {
    const int64_t num_people = LastBase0PersonId(event_id) + 1;
    const int64_t active = num_people < c_.num_active_people ? num_people : c_.num_active_people;
    return num_people - active + r.Below(active + internal::kIdLead);
  }
  int64_t NextBase0AuctionId(int64_t event_id, internal::Rng& r) const {
    const int64_t max_auction = LastBase0AuctionId(event_id);
    int64_t min_auction = max_auction - c_.num_in_flight_auctions;
    if (min_auction < 0) min_auction = 0;
    return min_auction + r.Below(max_auction - min_auction + 1 + internal::kIdLead);
  }
  int64_t DelayMs(internal::Rng& r) const {
    if (c_.delay_probability <= 0 || c_.max_delay_ms <= 0) return 0;
    if (r.Unit() >= c_.delay_probability) return 0;
    return 1 + r.Below(c_.max_delay_ms);
  }
  // Log-uniform in [100, 10^8] cents: round(100 * 10^(6u)) = round(100 * 2^(6u log2 10)).
  static int64_t Price(internal::Rng& r) {
    return static_cast<int64_t>(internal::Pow2(r.Unit() * 19.931568569324174) * 100.0 + 0.5);
  }

  void MakePerson(int64_t id, int64_t ts, internal::Rng& r, Person* p) const {
    using namespace internal;
    p->id = LastBase0PersonId(id) + kFirstPersonId;
    Assign(&p->name, kFirstNames[r.Below(11)]);
    p->name += ' ';
    p->name += kLastNames[r.Below(9)];
    Words(r, 7, &p->emailAddress);
    p->emailAddress += '@';
    AppendWords(r, 5, &p->emailAddress);
    p->emailAddress.append(".com");
    p->creditCard.resize(19);
    char* cc = p->creditCard.data();
    for (int i = 0; i < 4; ++i) {
      if (i) *cc++ = ' ';
      cc = PutDigits(cc, static_cast<uint64_t>(r.Below(10000)), 4);
    }
    Assign(&p->city, kCities[r.Below(10)]);
    Assign(&p->state, kStates[r.Below(6)]);
    p->dateTime = ts - DelayMs(r);
    if (c_.generate_extra) {
      const int size = 8 + static_cast<int>(p->name.size() + p->emailAddress.size() +
                                            p->creditCard.size() + p->city.size() + p->state.size());
      Extra(r, size, c_.avg_person_byte_size, &p->extra);
    } else {
      p->extra.clear();
    }
  }

  void MakeAuction(int64_t id, int64_t ts, internal::Rng& r, Auction* a) const {
    using namespace internal;
    a->id = LastBase0AuctionId(id) + kFirstAuctionId;
    int64_t seller;
    if (r.Below(c_.hot_sellers_ratio) > 0) {
      seller = (LastBase0PersonId(id) / kHotRatio) * kHotRatio;
    } else {
      seller = NextBase0PersonId(id, r);
    }
    a->seller = seller + kFirstPersonId;
    a->category = kFirstCategoryId + r.Below(kNumCategories);
    a->initialBid = Price(r);
    // Auction length: uniform in [1, 2 * horizon], horizon = the event time until
    // num_in_flight_auctions more auctions exist.
    const int64_t events_for_auctions =
        static_cast<int64_t>(c_.num_in_flight_auctions) * total_ / c_.auction_proportion;
    const int64_t horizon = TimestampFor(id + events_for_auctions) - ts;
    a->expires = ts + 1 + r.Below(horizon * 2 > 1 ? horizon * 2 : 1);
    Words(r, 20, &a->itemName);
    Words(r, 100, &a->description);
    a->reserve = a->initialBid + Price(r);
    a->dateTime = ts - DelayMs(r);
    if (c_.generate_extra) {
      const int size = 8 + static_cast<int>(a->itemName.size() + a->description.size()) + 40;
      Extra(r, size, c_.avg_auction_byte_size, &a->extra);
    } else {
      a->extra.clear();
    }
  }

  void MakeBid(int64_t id, int64_t ts, internal::Rng& r, Bid* b) const {
    using namespace internal;
    int64_t auction;
    if (r.Below(c_.hot_auction_ratio) > 0) {
      auction = (LastBase0AuctionId(id) / kHotRatio) * kHotRatio;
    } else {
      auction = NextBase0AuctionId(id, r);
    }
    b->auction = auction + kFirstAuctionId;
    int64_t bidder;
    if (r.Below(c_.hot_bidders_ratio) > 0) {
      bidder = (LastBase0PersonId(id) / kHotRatio) * kHotRatio + 1;
    } else {
      bidder = NextBase0PersonId(id, r);
    }
    b->bidder = bidder + kFirstPersonId;
    b->price = Price(r);
    const int channel = static_cast<int>(r.Below(kNumChannels));
    if (r.Below(kHotChannelsRatio) == kHotChannelsRatio - 1) {
      ChannelOf(channel, &b->channel, &b->url);
    } else {
      const int64_t hot = r.Below(4);
      Assign(&b->channel, kHotChannels[hot]);
      Assign(&b->url, kHotUrls[hot]);
    }
    b->dateTime = ts - DelayMs(r);
    if (c_.generate_extra) {
      Extra(r, 32, c_.avg_bid_byte_size, &b->extra);
    } else {
      b->extra.clear();
    }
  }

  // A non-hot channel: "channel-N" and a url that is a pure function of N (the reference caches
  // one random url per channel; here the url is drawn from a PRNG seeded with N).
  void ChannelOf(int n, std::string* channel, std::string* url) const {
    using namespace internal;
    char buf[32];
    std::memcpy(buf, "channel-", 8);
    char* e = PutDigits(buf + 8, static_cast<uint64_t>(n), 1);
    channel->assign(buf, static_cast<size_t>(e - buf));
    Rng r(c_.seed * 0x9e3779b97f4a7c15ULL ^ (0xc4a7e1ULL << 40) ^ static_cast<uint64_t>(n));
    url->assign("https://www.nexmark.com/");
    AppendWords(r, 5, url);
    url->append("/item.htm?query=1");
    if (r.Below(10) != 9) {
      url->append("&channel_id=");
      // Java's Integer.reverse: a signed 32-bit result.
      const int32_t rev = static_cast<int32_t>(Reverse32(static_cast<uint32_t>(n)));
      if (rev < 0) url->push_back('-');
      const uint64_t mag = rev < 0 ? static_cast<uint64_t>(-static_cast<int64_t>(rev)) : static_cast<uint64_t>(rev);
      char* d = PutDigits(buf, mag, 1);
      url->append(buf, static_cast<size_t>(d - buf));
    }
  }

  GeneratorConfig c_;
  int64_t total_;
  internal::Divider by_total_;
  internal::Divider by_rate_;
};

}  // namespace dfc::nexmark
