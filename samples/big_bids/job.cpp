// Big bids with the C++ DSL (the same job as job.json): SQL filter and projection, no C++ UDFs.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
};

int main() {
  dfc::Job job("big-bids");
  job.source<Bid>("bids").file("bids.csv").format("csv")
      .filter("big", "price >= 1000 AND channel <> 'Baidu'")
      .select("eur", {"auction", "bidder", "CAST(price * 0.908 AS BIGINT) AS price_eur", "UPPER(channel) AS channel"})
      .sink("out").file("big_bids.jsonl").format("jsonl");
  return job.execute();
}
