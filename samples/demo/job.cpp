// The flagship demo with the C++ DSL (the same job as job.json): a self-contained job (built-in
// generator, in-memory state, no services). 2M generated bids -> keep the big ones -> convert to
// EUR -> count and sum per auction -> print every auction's running totals each time its count
// reaches a multiple of 5000.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
};

struct Total {
  int64_t auction;
  int64_t bids;
  int64_t volume_eur;
};

int main() {
  dfc::Job job("auction-totals");
  job.parallelism(2);

  auto bids = job.source<Bid>("bids").datagen().count(2000000)
                  .field(&Bid::auction, dfc::gen::random(1000, 1009))
                  .field(&Bid::bidder, dfc::gen::sequence(1))
                  .field(&Bid::price, dfc::gen::random(1, 10000))
                  .field(&Bid::channel, dfc::gen::random_string(4));
  bids.filter("big", "price >= 1000")
      .select<Total>("eur", {"auction", "CAST(1 AS BIGINT) AS bids", "CAST(price * 0.908 AS BIGINT) AS volume_eur"})
      .key_by("by_auction", &Total::auction)
      .reduce("totals", [](Total a, const Total& b) { a.bids += b.bids; a.volume_eur += b.volume_eur; return a; })
      .filter("milestones", "bids % 5000 = 0")
      .sink("out").print();
  return job.execute();
}
