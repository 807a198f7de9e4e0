// Sliding event-time windows with the C++ DSL (the same job as sliding_counts.json): per auction,
// every 2 s, the number of bids and the top price of the last 10 s. The datagen source stamps rows
// with `date_time` (starting before the epoch, so windows with negative starts appear) and emits a
// watermark after every record, 5 s behind the largest timestamp seen. Output rows: auction,
// window_start, window_end, bids, top_price, total.
#include <cstdint>

#include <dfc/dsl.h>

struct Event {
  int64_t id;
  dfc::Timestamp date_time;
};

int main() {
  dfc::Job job("sliding-counts");
  auto ticks = job.source<Event>("ticks").datagen().count(3000)
                   .field(&Event::id, dfc::gen::sequence(0, 1))
                   .field(&Event::date_time, dfc::gen::sequence(-20000, 37))
                   .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("5s")
                                  .with_timestamp_column(&Event::date_time)
                                  .emit_per_record());
  // `bids` has a derived row type (no struct): its key is named by a string.
  auto bids = ticks.select("bids", {"id % 7 AS auction", "(id * 37) % 1000 AS price", "date_time"});
  bids.key_by({"auction"})
      .window(dfc::SlidingEventTimeWindows::of("10s", "2s"))
      .aggregate("hot", {"COUNT(*) AS bids", "MAX(price) AS top_price", "SUM(price) AS total"})
      .sink("out").file("sliding_counts.csv").format("csv");
  return job.execute();
}
