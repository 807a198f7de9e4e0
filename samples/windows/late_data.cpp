// Late data with the C++ DSL (the same job as late_data.json): 10 s tumbling windows per auction
// that accept records up to 5 s after they fired (allowed lateness; each late record re-fires its
// window with the updated result, as Flink does) and send later ones to a side output, the stream
// "late_bids", which a sink reads like any node. Watermarks follow each record (no
// out-of-orderness), so what is late is reproducible.
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t price;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("late-data");
  auto bids = job.source<Bid>("bids")
                  .values({{1, 10, 1000}, {2, 20, 2000}, {1, 30, 11000}, {1, 40, 8000}, {2, 50, 16000},
                           {2, 60, 3000}, {1, 70, 21000}})
                  .watermark(dfc::WatermarkStrategy::for_monotonous_timestamps()
                                 .with_timestamp_column(&Bid::ts)
                                 .emit_per_record());
  auto volume = bids.key_by(&Bid::auction)
                    .window(dfc::TumblingEventTimeWindows::of("10s"))
                    .allowed_lateness("5s")
                    .aggregate("volume", {"COUNT(*) AS bids", "SUM(price) AS volume"});
  volume.sink("out").file("volume.csv").format("csv");
  volume.late_output("late_bids").sink("late_out").file("late_bids.csv").format("csv");
  return job.execute();
}
