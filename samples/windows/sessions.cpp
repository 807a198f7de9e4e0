// Sessions per user with the C++ DSL (the same job as sessions.json): clicks with a 10 s
// inactivity gap form one session (Flink's EventTimeSessionWindows: windows that overlap or touch
// merge). Per session: the number of clicks, the distinct pages, the entry and exit page.
// Watermarks follow each record, 5 s behind the largest timestamp, so bob's out-of-order click at
// 11 s still joins his session.
#include <string>

#include <dfc/dsl.h>

struct Click {
  std::string user;
  std::string url;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("sessions-per-user");
  auto clicks = job.source<Click>("clicks")
                    .values({{"alice", "/home", 0}, {"bob", "/home", 1000}, {"alice", "/cart", 4000},
                             {"bob", "/faq", 9000}, {"alice", "/pay", 12000}, {"carol", "/home", 15000},
                             {"bob", "/home", 11000}, {"alice", "/home", 40000}, {"carol", "/cart", 41000}})
                    .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("5s")
                                   .with_timestamp_column(&Click::ts)
                                   .emit_per_record());
  clicks.key_by(&Click::user)
      .window(dfc::EventTimeSessionWindows::with_gap("10s"))
      .aggregate("sessions", {"COUNT(*) AS clicks", "COUNT(DISTINCT url) AS pages",
                              "FIRST_VALUE(url) AS entry_page", "LAST_VALUE(url) AS exit_page"})
      .sink("out").file("sessions.csv").format("csv");
  return job.execute();
}
