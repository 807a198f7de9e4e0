// Nexmark q20 (expand bid with auction) with the C++ DSL (the same job as q20.json): every bid
// joined with its auction, for auctions of category 10. A regular (unwindowed) inner join,
// append-only, both sides in keyed state; category = 10 is a filter before the join.
#include <cstdint>
#include <string>

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

struct Auction {
  int64_t id;
  std::string itemName;
  std::string description;
  int64_t initialBid;
  int64_t reserve;
  dfc::Timestamp dateTime;
  dfc::Timestamp expires;
  int64_t seller;
  int64_t category;
  std::string extra;
};

int main() {
  dfc::Job job("nexmark-q20");
  auto bid = job.source<Bid>("bid").nexmark("bid").events(1000000);
  auto auction = job.source<Auction>("auction").nexmark("auction").events(1000000);
  auto a = auction.filter("a", "category = 10");
  bid.key_by(&Bid::auction)
      .join(a.key_by(&Auction::id))
      .select("q20", {"auction", "bidder", "price", "channel", "url", "dateTime", "extra", "itemName", "description",
                      "initialBid", "reserve", "dateTime0", "expires", "seller", "category", "extra0"})
      .sink("out").file("q20.csv").format("csv");
  return job.execute();
}
