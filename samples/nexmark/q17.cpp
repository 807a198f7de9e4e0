// Nexmark q17 (auction statistics report) with the C++ DSL (the same job as q17.json): per auction
// and day (DATE_FORMAT(dateTime, 'yyyy-MM-dd'), UTC) the bid count, the counts in three price
// ranges (Flink's COUNT(*) FILTER (WHERE ...) written as SUM(CASE ... THEN 1 ELSE 0 END)), min,
// max, avg (Flink's AVG of a BIGINT is a BIGINT: sum / count, truncated) and sum of the price.
// dfc groups the rows with a 1-day tumbling event-time window, so each row is emitted once, final,
// when the watermark passes the end of its day (Flink: an updating GROUP BY; same final table).
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t price;
  dfc::Timestamp dateTime;
};

int main() {
  dfc::Job job("nexmark-q17");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .key_by(&Bid::auction)
      .window(dfc::TumblingEventTimeWindows::of("1d"))
      .aggregate("per_day", {"COUNT(*) AS total_bids",
                             "SUM(CASE WHEN price < 10000 THEN 1 ELSE 0 END) AS rank1_bids",
                             "SUM(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 ELSE 0 END) AS rank2_bids",
                             "SUM(CASE WHEN price >= 1000000 THEN 1 ELSE 0 END) AS rank3_bids",
                             "MIN(price) AS min_price", "MAX(price) AS max_price", "SUM(price) AS sum_price"})
      .select("q17", {"auction", "DATE_FORMAT(window_start, 'yyyy-MM-dd') AS `day`", "total_bids", "rank1_bids",
                      "rank2_bids", "rank3_bids", "min_price", "max_price", "sum_price / total_bids AS avg_price",
                      "sum_price"})
      .sink("out").file("q17.csv").format("csv");
  return job.execute();
}
