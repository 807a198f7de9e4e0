// Nexmark q7 (highest bid) with the C++ DSL (the same job as q7.json): B1 = MAX(price) per
// TUMBLE(dateTime, 10 s) with dateTime = window_end; the bids B with B.price = B1.maxprice and
// B.dateTime BETWEEN B1.dateTime - 10 s AND B1.dateTime. That join condition bounds time on both
// sides, so it is an interval join: a max row carries the timestamp window_end - 1, and
// B.dateTime in [end - 10 s, end]  <=>  max.ts in [B.ts - 1 ms, B.ts + 9999 ms].
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

struct MaxPrice {
  dfc::Timestamp window_end;
  int64_t maxprice;
};

struct Q7 {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

int main() {
  dfc::Job job("nexmark-q7");
  auto bid = job.source<Bid>("bid").nexmark("bid").events(1000000);
  auto window_max = bid.window_all(dfc::TumblingEventTimeWindows::of("10s"))
                        .aggregate("window_max", {"MAX(price) AS maxprice"});
  auto b1 = window_max.select<MaxPrice>("b1", {"window_end", "maxprice"});
  bid.key_by(&Bid::price)
      .interval_join(b1.key_by(&MaxPrice::maxprice))
      .between("-1ms", "9999ms")
      .apply("q7", [](const Bid& b, const MaxPrice&) { return Q7{b.auction, b.bidder, b.price, b.dateTime, b.extra}; })
      .sink("out").file("q7.csv").format("csv");
  return job.execute();
}
