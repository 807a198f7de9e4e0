// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv").watermark(
      dfc::WatermarkStrategy::for_monotonous_timestamps().with_timestamp_column(&Bid::ts));
  // CHECK: {{.*}}window_without_key_by.cpp:[[@LINE+2]]:8: error: window needs a keyed stream: call key_by(...) before window (or use window_all for a window over the whole stream)
  // CHECK: {{.*}}window_without_key_by.cpp:[[@LINE+1]]:3: note: this stream ('bids') is not keyed
  bids.window(dfc::TumblingEventTimeWindows::of("10s")).aggregate("n", {"COUNT(*) AS n"}).sink("out").print();
  return job.execute();
}
