// Nexmark q7 (highest bid) with the C++ DSL (the same job as q7.json): B1 = MAX(price) per
// TUMBLE(dateTime, 10 s) with dateTime = window_end; the bids B with B.price = B1.maxprice and
// B.dateTime BETWEEN B1.dateTime - 10 s AND B1.dateTime. So a window's answer is its bids at the
// window's max price, plus the bids at exactly window_end (which belong to the next window:
// BETWEEN is inclusive) at that price. Computed per window in keyed state, keeping only the
// candidates: `windows` tags each bid with its window's end and sends a bid at a window start a
// second time, as an `edge` row of the previous window; keyed by window end, `q7` keeps the max
// so far and the bids at it (a higher price clears them) and the edge bids not below it, and
// emits when the watermark passes window_end (an event-time timer). Late bids are dropped as the
// window aggregate (in-window rows) and the interval join (edge rows) of the join formulation
// would drop them.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

struct Cand {
  dfc::Timestamp window_end;
  bool edge;
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

struct Q7 {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

int main() {
  dfc::Job job("nexmark-q7");
  auto bid = job.source<Bid>("bid").nexmark("bid").events(1000000);
  bid.flat_map<Cand>("windows", [](const Bid& b, dfc::Collector<Cand>& out) {
       const int64_t start = b.dateTime - ((b.dateTime % 10000) + 10000) % 10000;
       out.emit(Cand{start + 10000, false, b.auction, b.bidder, b.price, b.dateTime, b.extra});
       if (b.dateTime == start) out.emit(Cand{start, true, b.auction, b.bidder, b.price, b.dateTime, b.extra});
     })
      .key_by("by_window", &Cand::window_end)
      .process<Q7>("q7", [](const Cand& c, auto& ctx, dfc::Collector<Q7>&) {
        const int64_t wm = ctx.current_watermark();
        if (c.edge ? c.dateTime < wm : c.window_end - 1 <= wm) return; /* late */
        const int64_t* p = ctx.state.maxprice.get();
        const bool first = p == nullptr;
        const int64_t m = first ? INT64_MIN : *p;
        if (!c.edge) {
          if (c.price > m) {
            ctx.state.maxprice.update(c.price);
            ctx.state.at_max.clear();
          }
          if (c.price >= m) ctx.state.at_max.add(Q7{c.auction, c.bidder, c.price, c.dateTime, c.extra});
          if (first) ctx.register_event_time_timer(c.window_end);
        } else if (c.price >= m) {
          ctx.state.edge.add(Q7{c.auction, c.bidder, c.price, c.dateTime, c.extra});
          ctx.register_event_time_timer(c.window_end);
        }
      })
      .value_state<int64_t>("maxprice")
      .list_state<Q7>("at_max")
      .list_state<Q7>("edge")
      .on_timer([](int64_t, auto& ctx, dfc::Collector<Q7>& out) {
        const int64_t* p = ctx.state.maxprice.get();
        if (p != nullptr) {
          const int64_t m = *p;
          for (const Q7& b : ctx.state.at_max.get()) out.emit(b);
          for (const Q7& b : ctx.state.edge.get())
            if (b.price == m) out.emit(b);
        }
        ctx.state.maxprice.clear();
        ctx.state.at_max.clear();
        ctx.state.edge.clear();
      })
      .sink("out").file("q7.csv").format("csv");
  return job.execute();
}
