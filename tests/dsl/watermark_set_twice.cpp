// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Event {
  int64_t id;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  auto events = job.source<Event>("events").datagen().count(10)
      .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("1s")
                     .with_timestamp_column("ts")
                     .emit_periodic()
  // CHECK: {{.*}}watermark_set_twice.cpp:[[@LINE+1]]:23: error: 'emit' is already set in the watermark strategy
                     .emit_per_record());
  events.sink("out").print();
  return job.execute();
}
