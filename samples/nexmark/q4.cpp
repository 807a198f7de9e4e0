// Nexmark q4 (average closing price per category) with the C++ DSL (the same job as q4.json): a
// keyed co-process over auctions and bids (keyed by auction id) emits each auction's highest bid
// inside [dateTime, expires] once, from an event-time timer at `expires`; then per category a
// running average of those final prices, an upsert stream whose last row per category is the
// final table.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Auction {
  int64_t id;
  dfc::Timestamp dateTime;
  dfc::Timestamp expires;
  int64_t category;
};

struct Bid {
  int64_t auction;
  int64_t price;
  dfc::Timestamp dateTime;
};

struct Winning {
  int64_t id;
  int64_t category;
  int64_t final_price;
};

struct Q4 {
  int64_t category;
  int64_t avg_final;
};

int main() {
  dfc::Job job("nexmark-q4");
  auto auction = job.source<Auction>("auction").nexmark("auction").events(1000000);
  auto bid = job.source<Bid>("bid").nexmark("bid").events(1000000);
  // ctx (state, timers, the current key) is the runtime's: the functions take it as `auto&`.
  auto winning =
      auction.key_by(&Auction::id)
          .connect(bid.key_by(&Bid::auction))
          .process<Winning>(
              "winning",
              [](const Auction& a, auto& ctx, dfc::Collector<Winning>&) {
                ctx.state.auction.update(a);
                for (const Bid& b : ctx.state.early.get()) {
                  const int64_t* m = ctx.state.max_price.get();
                  if (b.dateTime >= a.dateTime && b.dateTime <= a.expires && (!m || b.price > *m))
                    ctx.state.max_price.update(b.price);
                }
                ctx.state.early.clear();
                ctx.register_event_time_timer(a.expires);
              },
              [](const Bid& b, auto& ctx, dfc::Collector<Winning>&) {
                const Auction* a = ctx.state.auction.get();
                if (!a) {
                  ctx.state.early.add(b);
                  return;
                }
                if (b.dateTime < a->dateTime || b.dateTime > a->expires) return;
                const int64_t* m = ctx.state.max_price.get();
                if (!m || b.price > *m) ctx.state.max_price.update(b.price);
              })
          .value_state<Auction>("auction")
          .value_state<int64_t>("max_price")
          .list_state<Bid>("early")
          .on_timer([](int64_t, auto& ctx, dfc::Collector<Winning>& out) {
            const Auction* a = ctx.state.auction.get();
            const int64_t* m = ctx.state.max_price.get();
            if (a && m) out.emit(Winning{a->id, a->category, *m});
            ctx.state.max_price.clear();
          });
  winning.key_by("by_category", &Winning::category)
      .process<Q4>("q4", [](const Winning& w, auto& ctx, dfc::Collector<Q4>& out) {
        const int64_t sum = ctx.state.sum.value_or(0) + w.final_price;
        const int64_t count = ctx.state.count.value_or(0) + 1;
        ctx.state.sum.update(sum);
        ctx.state.count.update(count);
        out.emit(Q4{w.category, sum / count});
      })
      .value_state<int64_t>("sum")
      .value_state<int64_t>("count")
      .sink("out").file("q4.csv").format("csv");
  return job.execute();
}
