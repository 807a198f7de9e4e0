// Nexmark q0 (pass-through) with the C++ DSL (the same job as q0.json):
// SELECT auction, bidder, price, dateTime, extra FROM bid.
// 1M generated events (920K bids); override with -D bid.events=N, -D bid.events_per_second=R.
// The source declares only the columns the query reads (projection pushed into the source, as
// Flink's planner does): channel and url are never copied.
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

int main() {
  dfc::Job job("nexmark-q0");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .select("q0", {"auction", "bidder", "price", "dateTime", "extra"})
      .sink("out").file("q0.csv").format("csv");
  return job.execute();
}
