// Nexmark q5 (hot items) with the C++ DSL (the same job as q5.json): per HOP(dateTime, 2 s slide,
// 10 s size) window, the auctions with the most bids. AuctionBids is the window count per auction;
// MaxBids and the join (num >= maxn within the same window) are one window_process per HOP window:
// the count rows of window [s, s + 10 s) all carry the timestamp s + 10 s - 1, so a 2 s tumbling
// window keyed by window_end holds exactly one HOP window's counts and fires once they are complete.
#include <algorithm>
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  dfc::Timestamp dateTime;
};

struct Hot {
  int64_t auction;
  int64_t num;
};

int main() {
  dfc::Job job("nexmark-q5");
  auto bid = job.source<Bid>("bid").nexmark("bid").events(1000000);
  auto auction_bids = bid.key_by(&Bid::auction)
                          .window(dfc::SlidingEventTimeWindows::of("10s", "2s"))
                          .aggregate("auction_bids", {"COUNT(*) AS num"});
  // auction_bids has a derived row type: its key is named by a string, the rows are `auto`.
  auction_bids.key_by("window_end")
      .window(dfc::TumblingEventTimeWindows::of("2s"))
      .process<Hot>("hot", [](int64_t, const dfc::Window&, const auto& rows, dfc::Collector<Hot>& out) {
        int64_t maxn = 0;
        for (const auto& r : rows) maxn = std::max(maxn, r.num);
        for (const auto& r : rows) if (r.num >= maxn) out.emit(Hot{r.auction, r.num});
      })
      .sink("out").file("q5.csv").format("csv");
  return job.execute();
}
