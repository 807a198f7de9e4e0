// Nexmark q11 (user sessions) with the C++ DSL (the same job as q11.json): bids per bidder per
// SESSION(dateTime, 10 s gap): bidder, bid_count, starttime (SESSION_START), endtime (SESSION_END
// = last bid + 10 s).
#include <cstdint>

#include <dfc/dsl.h>

struct Bid {
  int64_t bidder;
  dfc::Timestamp dateTime;
};

int main() {
  dfc::Job job("nexmark-q11");
  job.source<Bid>("bid").nexmark("bid").events(1000000)
      .key_by(&Bid::bidder)
      .window(dfc::EventTimeSessionWindows::with_gap("10s"))
      .aggregate("sessions", {"COUNT(*) AS bid_count"})
      .select("q11", {"bidder", "bid_count", "window_start AS starttime", "window_end AS endtime"})
      .sink("out").file("q11.csv").format("csv");
  return job.execute();
}
