// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

#include <initializer_list>

struct Bid {
  int64_t auction;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  std::initializer_list<const char*> aggregates = {"COUNT(*) AS n"};
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv").watermark(
      dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column(&Bid::ts));
  // CHECK: {{.*}}aggregates_not_braced.cpp:[[@LINE+2]]:23: error: write this as a braced list in the call: {"COUNT(*) AS n"} (dfc reads the job graph from the source without running it)
  bids.key_by(&Bid::auction).window(dfc::TumblingEventTimeWindows::of("10s"))
      .aggregate("n", aggregates).sink("out").print();
  return job.execute();
}
