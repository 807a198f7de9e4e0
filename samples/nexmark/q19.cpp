// Nexmark q19 (auction TOP-10 price) with the C++ DSL (the same job as q19.json): per auction the
// 10 bids with the highest price, with their rank. A keyed process function keeps each auction's
// current top 10 in LIST state and, after every bid that enters it, emits the rows whose rank it
// changed: an upsert stream keyed by (auction, rank_number) whose last row per key is Flink's
// final table. Equal prices rank by earlier dateTime.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
  std::string url;
  dfc::Timestamp dateTime;
  std::string extra;
};

struct Q19 {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
  std::string url;
  dfc::Timestamp dateTime;
  std::string extra;
  int64_t rank_number;
};

int main() {
  dfc::Job job("nexmark-q19");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .key_by("by_auction", &Bid::auction)
      .process<Q19>("q19", [](const Bid& b, auto& ctx, dfc::Collector<Q19>& out) {
        const std::vector<Bid>& cur = ctx.state.top.get();
        if (cur.size() >= 10 && (cur.back().price > b.price ||
                                 (cur.back().price == b.price && cur.back().dateTime <= b.dateTime)))
          return; /* not in the top 10: no copy */
        std::vector<Bid> top = cur;
        size_t pos = 0;
        while (pos < top.size() &&
               (top[pos].price > b.price || (top[pos].price == b.price && top[pos].dateTime <= b.dateTime)))
          ++pos;
        if (pos >= 10) return;
        top.insert(top.begin() + static_cast<std::ptrdiff_t>(pos), b);
        if (top.size() > 10) top.pop_back();
        for (size_t i = pos; i < top.size(); ++i) {
          const Bid& t = top[i];
          out.emit(Q19{t.auction, t.bidder, t.price, t.channel, t.url, t.dateTime, t.extra, static_cast<int64_t>(i + 1)});
        }
        ctx.state.top.update(std::move(top));
      })
      .list_state<Bid>("top")
      .sink("out").file("q19.csv").format("csv");
  return job.execute();
}
