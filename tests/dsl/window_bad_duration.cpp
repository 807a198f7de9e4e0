// RUN: not %dfc check %s 2>&1 | FileCheck %s
// The JSON format's checks apply to what the DSL says, located in job.cpp.
#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv").watermark(
      dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column(&Bid::ts));
  // CHECK: {{.*}}window_bad_duration.cpp:[[@LINE+1]]:70: error:
  bids.key_by(&Bid::auction).window(dfc::SlidingEventTimeWindows::of("10 seconds", "5s"))
      .aggregate("n", {"COUNT(*) AS n"}).sink("out").print();
  return job.execute();
}
