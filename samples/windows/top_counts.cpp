// Sliding-window top counts with the C++ DSL (the same job as top_counts.json; the shape of
// Nexmark q5, "hot items"): every 2 s, the auction(s) with the most bids in the last 10 s. A keyed
// sliding window counts bids per auction; its results carry the timestamp window_end - 1, so a
// tumbling 2 s window without a key (one subtask: Flink's windowAll) collects exactly the counts
// of one sliding window and a C++ process function keeps the largest (all of them on a tie).
#include <algorithm>
#include <cstdint>
#include <vector>

#include <dfc/dsl.h>

struct Event {
  int64_t id;
  dfc::Timestamp ts;
};

struct Top {
  dfc::Timestamp window_start;
  dfc::Timestamp window_end;
  int64_t auction;
  int64_t bids;
};

int main() {
  dfc::Job job("top-counts");
  auto events = job.source<Event>("events").datagen().count(2000)
                    .field(&Event::id, dfc::gen::sequence())
                    .field(&Event::ts, dfc::gen::sequence().step(10))
                    .watermark(dfc::WatermarkStrategy::for_monotonous_timestamps()
                                   .with_timestamp_column(&Event::ts)
                                   .emit_per_record());
  auto hot = events.select("bids", {"(id * 7 + id / 13) % 10 AS auction", "ts"})
                 .key_by("auction")
                 .window(dfc::SlidingEventTimeWindows::of("10s", "2s"))
                 .aggregate("hot", {"COUNT(*) AS bids"});
  hot.window_all(dfc::TumblingEventTimeWindows::of("2s"))
      .process<Top>("top", [](const auto&, const dfc::Window&, const auto& rows, dfc::Collector<Top>& out) {
        int64_t best = 0;
        for (const auto& r : rows) best = std::max(best, r.bids);
        std::vector<Top> tops;
        for (const auto& r : rows) if (r.bids == best) tops.push_back(Top{r.window_start, r.window_end, r.auction, r.bids});
        std::sort(tops.begin(), tops.end(), [](const Top& a, const Top& b) { return a.auction < b.auction; });
        for (auto& t : tops) out.emit(t);
      })
      .sink("out").parallelism(1).file("top_counts.csv").format("csv");
  return job.execute();
}
