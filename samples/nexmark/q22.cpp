// Nexmark q22 (get URL directories) with the C++ DSL (the same job as q22.json): SPLIT_INDEX(url,
// '/', 3), 4 and 5 as dir1..dir3. SPLIT_INDEX is the C++ function nexmark_udf::SplitIndex (udf/).
// Flink gives NULL where the url has no such piece; dfc v1 has no NULL and gives ''. This
// generator's urls have one directory, so dir3 is always empty.
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

struct Q22 {
  int64_t auction;
  int64_t bidder;
  int64_t price;
  std::string channel;
  std::string dir1;
  std::string dir2;
  std::string dir3;
};

int main() {
  dfc::Job job("nexmark-q22");
  job.add_source_file("udf/nexmark_udfs.cc");
  job.add_header("udf/nexmark_udfs.h");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .map("q22", [](const Bid& b) { return Q22{b.auction, b.bidder, b.price, b.channel, nexmark_udf::SplitIndex(b.url, '/', 3), nexmark_udf::SplitIndex(b.url, '/', 4), nexmark_udf::SplitIndex(b.url, '/', 5)}; })
      .sink("out").file("q22.csv").format("csv");
  return job.execute();
}
