// Nexmark q5 (hot items) with the C++ DSL (the same job as q5.json): per HOP(dateTime, 2 s slide,
// 10 s size) window, the auctions with the most bids. AuctionBids is the window count per auction;
// MaxBids and the join (num >= maxn within the same window) are one keyed process function per
// HOP window: the count rows of window [s, s + 10 s) all carry the timestamp s + 10 s - 1, so keyed
// by window_end, `hot` keeps the running max and the auctions at it and emits them when the
// watermark reaches window_end - 1 (see q5.json).
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
  auction_bids.key_by("by_window", "window_end")
      .process<Hot>("hot", [](const auto& r, auto& ctx, dfc::Collector<Hot>&) {
        const int64_t* p = ctx.state.maxn.get();
        if (p == nullptr) ctx.register_event_time_timer(r.window_end - 1);
        const int64_t m = p == nullptr ? INT64_MIN : *p;
        if (r.num > m) {
          ctx.state.maxn.update(r.num);
          ctx.state.at_max.clear();
        }
        if (r.num >= m) ctx.state.at_max.add(Hot{r.auction, r.num});
      })
      .value_state<int64_t>("maxn")
      .list_state<Hot>("at_max")
      .on_timer([](int64_t, auto& ctx, dfc::Collector<Hot>& out) {
        for (const Hot& h : ctx.state.at_max.get()) out.emit(h);
        ctx.state.maxn.clear();
        ctx.state.at_max.clear();
      })
      .sink("out").file("q5.csv").format("csv");
  return job.execute();
}
