// Nexmark q14 (calculation) with the C++ DSL (the same job as q14.json): bids with
// 1M < 0.908 * price < 50M, the converted price, the time of day of the bid (HOUR of dateTime,
// UTC) and count_char(extra, 'c') — nexmark-flink's Java UDF, here the C++ function
// nexmark_udf::CountChar from udf/ (compiled in with add_source_file, declared by the header).
// 0.908 is a DOUBLE here (Flink: DECIMAL).
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

#include "udf/nexmark_udfs.h"

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  dfc::Timestamp dateTime;
  std::string extra;
};

struct Q14 {
  int64_t auction;
  int64_t bidder;
  double price;
  std::string bidTimeType;
  dfc::Timestamp dateTime;
  std::string extra;
  int64_t c_counts;
};

int main() {
  dfc::Job job("nexmark-q14");
  job.add_source_file("udf/nexmark_udfs.cc");
  job.add_header("udf/nexmark_udfs.h");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .filter("priced", "0.908 * price > 1000000 AND 0.908 * price < 50000000")
      .select("calc", {"auction", "bidder", "0.908 * price AS price",
                       "CASE WHEN HOUR(dateTime) >= 8 AND HOUR(dateTime) <= 18 THEN 'dayTime' WHEN HOUR(dateTime) <= 6 OR HOUR(dateTime) >= 20 THEN 'nightTime' ELSE 'otherTime' END AS bidTimeType",
                       "dateTime", "extra"})
      // `calc` has a derived row type: a generic lambda, with the result type given.
      .map<Q14>("q14", [](const auto& r) { return Q14{r.auction, r.bidder, r.price, r.bidTimeType, r.dateTime, r.extra, nexmark_udf::CountChar(r.extra, 'c')}; })
      .sink("out").file("q14.csv").format("csv");
  return job.execute();
}
