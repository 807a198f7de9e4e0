// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  dfc::Timestamp ts;
};

int main(int argc, char**) {
  dfc::Job job("j");
  const auto ok = dfc::SlidingEventTimeWindows::of("10s", "5s");  // a const variable is fine
  auto chosen = dfc::TumblingEventTimeWindows::of("10s");
  if (argc > 1) chosen = dfc::TumblingEventTimeWindows::of("1min");
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv").watermark(
      dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column(&Bid::ts));
  bids.key_by(&Bid::auction).window(ok).aggregate("a", {"COUNT(*) AS n"}).sink("out_a").print();
  // CHECK: {{.*}}window_assigner_variable.cpp:[[@LINE+1]]:37: error: the window assigner must be written in the call or kept in a const variable: dfc reads the job graph from the source without running it
  bids.key_by(&Bid::auction).window(chosen).aggregate("b", {"COUNT(*) AS n"}).sink("out_b").print();
  // CHECK-NOT: error
  return job.execute();
}
