// Nexmark q8 (monitor new users) with the C++ DSL (the same job as q8.json): P = persons grouped
// by (id, name, TUMBLE(dateTime, 10 s)), A = auctions grouped by (seller, TUMBLE(dateTime, 10 s)),
// joined on P.id = A.seller within the same window; output id, name, window start. The two
// GROUP BYs are window_aggregates (one row per key and window, timestamp window_end - 1), the join
// a window_join over the same tumbling windows.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Person {
  int64_t id;
  std::string name;
  dfc::Timestamp dateTime;
};

struct Auction {
  int64_t seller;
  dfc::Timestamp dateTime;
};

struct Q8 {
  int64_t id;
  std::string name;
  dfc::Timestamp stime;
};

int main() {
  dfc::Job job("nexmark-q8");
  auto person = job.source<Person>("person").nexmark("person").events(1000000);
  auto auction = job.source<Auction>("auction").nexmark("auction").events(1000000);
  // Grouped by id alone, the name a FIRST_VALUE: a person's name is a function of its id (q8.json).
  auto p = person.key_by(&Person::id)
               .window(dfc::TumblingEventTimeWindows::of("10s"))
               .aggregate("p", {"FIRST_VALUE(name) AS name"});
  auto a = auction.key_by(&Auction::seller)
               .window(dfc::TumblingEventTimeWindows::of("10s"))
               .aggregate("a", {"COUNT(*) AS n"});
  // p and a have derived row types: keys by name, a generic lambda with its result type given.
  p.key_by("id")
      .join(a.key_by("seller"))
      .window(dfc::TumblingEventTimeWindows::of("10s"))
      .apply<Q8>("q8", [](const auto& p, const auto&) { return Q8{p.id, p.name, p.window_start}; })
      .sink("out").file("q8.csv").format("csv");
  return job.execute();
}
