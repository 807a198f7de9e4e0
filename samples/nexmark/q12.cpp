// Nexmark q12 (processing-time windows) with the C++ DSL (the same job as q12.json): bids per
// bidder per TUMBLE(PROCTIME(), 10 s): bidder, bid_count, starttime, endtime. Windows of the wall
// clock, so the rows depend on how fast the job runs; dfc fires the pending windows at the end of
// a bounded input (Flink drops them), so every bid is counted exactly once.
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t bidder;
};

int main() {
  dfc::Job job("nexmark-q12");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .key_by(&Bid::bidder)
      .window(dfc::TumblingProcessingTimeWindows::of("10s"))
      .aggregate("windows", {"COUNT(*) AS bid_count"})
      .select("q12", {"bidder", "bid_count", "window_start AS starttime", "window_end AS endtime"})
      .sink("out").file("q12.csv").format("csv");
  return job.execute();
}
