// Nexmark q21 (add channel id) with the C++ DSL (the same job as q21.json): bids with a channel_id
// — '0'..'3' for the channels apple, google, facebook, baidu (any case), else REGEXP_EXTRACT(url,
// '(&|^)channel_id=([^&]*)', 2) — keeping only bids that have one. REGEXP_EXTRACT is the C++
// function nexmark_udf::RegexpExtract (udf/): a map adds its result and whether it matched (Flink:
// NULL when not), the rest is the query's own SQL.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

#include "udf/nexmark_udfs.h"

struct Bid {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
  std::string url;
};

struct WithId {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
  std::string url_channel_id;
  bool has_url_channel_id;
};

int main() {
  dfc::Job job("nexmark-q21");
  job.add_source_file("udf/nexmark_udfs.cc");
  job.add_header("udf/nexmark_udfs.h");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .map("extract", [](const Bid& b) { WithId w{b.auction, b.bidder, b.price, b.channel, {}, false}; w.has_url_channel_id = nexmark_udf::RegexpExtract(b.url, "(&|^)channel_id=([^&]*)", 2, &w.url_channel_id); return w; })
      .filter("with_id", "has_url_channel_id OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu')")
      .select("q21", {"auction", "bidder", "price", "channel",
                      "CASE WHEN LOWER(channel) = 'apple' THEN '0' WHEN LOWER(channel) = 'google' THEN '1' WHEN LOWER(channel) = 'facebook' THEN '2' WHEN LOWER(channel) = 'baidu' THEN '3' ELSE url_channel_id END AS channel_id"})
      .sink("out").file("q21.csv").format("csv");
  return job.execute();
}
