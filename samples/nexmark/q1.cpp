// Nexmark q1 (currency conversion) with the C++ DSL (the same job as q1.json):
// SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid.
// (0.908 is a DOUBLE here; Flink types it DECIMAL.)
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
  dfc::Job job("nexmark-q1");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .select("q1", {"auction", "bidder", "0.908 * price AS price", "dateTime", "extra"})
      .sink("out").file("q1.csv").format("csv");
  return job.execute();
}
