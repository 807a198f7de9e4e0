// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

#include <cstdlib>
#include <string>

struct Bid {
  int64_t auction;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  // A window size computed at run time: the graph dfc builds cannot depend on it.
  const std::string size = std::to_string(std::rand() % 10) + "s";
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv").watermark(
      dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column(&Bid::ts));
  // CHECK: {{.*}}window_size_runtime.cpp:[[@LINE+1]]:71: error: 'size' must be a string literal or a constant: dfc reads the job graph from the source without running it
  bids.key_by(&Bid::auction).window(dfc::TumblingEventTimeWindows::of(size.c_str()))
      .aggregate("n", {"COUNT(*) AS n"}).sink("out").print();
  // CHECK-NOT: error
  return job.execute();
}
