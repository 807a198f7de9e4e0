// Nexmark q2 (selection) with the C++ DSL (the same job as q2.json):
// SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0.
// The source declares only the columns the query reads, so `extra` is never generated.
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t price;
};

int main() {
  dfc::Job job("nexmark-q2");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .filter("q2", "auction % 123 = 0")
      .select("sel", {"auction", "price"})
      .sink("out").file("q2.csv").format("csv");
  return job.execute();
}
