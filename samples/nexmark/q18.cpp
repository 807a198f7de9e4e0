// Nexmark q18 (find last bid) with the C++ DSL (the same job as q18.json): per (bidder, auction)
// the bid with the latest dateTime (ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY
// dateTime DESC) = 1). A rolling reduce keyed by (bidder, auction) emits the current last bid
// after every bid of the key — an upsert stream whose last row per key is the final table. On
// equal dateTime the later bid wins, as Flink's deduplication keeps the last row.
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

int main() {
  dfc::Job job("nexmark-q18");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .key_by("by_key", &Bid::bidder, &Bid::auction)
      .reduce("q18", [](Bid last, const Bid& b) { return b.dateTime >= last.dateTime ? b : last; })
      .sink("out").file("q18.csv").format("csv");
  return job.execute();
}
