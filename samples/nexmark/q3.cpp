// Nexmark q3 (local item suggestion) with the C++ DSL (the same job as q3.json): auctions of
// category 10 whose seller lives in OR, ID or CA, joined with that seller. A regular (unwindowed)
// inner join, append-only, both sides in keyed state; the single-side conditions are filters
// before the join.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Auction {
  int64_t id;
  int64_t seller;
  int64_t category;
};

struct Person {
  int64_t id;
  std::string name;
  std::string city;
  std::string state;
};

int main() {
  dfc::Job job("nexmark-q3");
  auto auction = job.source<Auction>("auction").nexmark("auction").events(1000000);
  auto person = job.source<Person>("person").nexmark("person").events(1000000);
  auto a = auction.filter("a", "category = 10");
  auto p = person.filter("p", "state = 'OR' OR state = 'ID' OR state = 'CA'");
  a.key_by(&Auction::seller)
      .join(p.key_by(&Person::id))
      .select("q3", {"name", "city", "state", "id"})
      .sink("out").file("q3.csv").format("csv");
  return job.execute();
}
