// Flink's canonical KeyedProcessFunction example with the C++ DSL (the same job as timeout.json):
// count the clicks of each user and emit the count once the user has been quiet for 5 s of event
// time. Keyed state: the count and the time of the last click; an event-time timer at last + 5 s
// (a later click registers a later timer, and the earlier one finds the user still active). A map
// state counts the pages per user. Watermarks follow each record, 1 s behind the largest
// timestamp; the end of input fires what is left.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Click {
  std::string user;
  std::string url;
  dfc::Timestamp ts;
};

struct Quiet {
  std::string user;
  int64_t clicks;
  int64_t pages;
  dfc::Timestamp last_click;
  dfc::Timestamp fired;
};

int main() {
  dfc::Job job("click-timeouts");
  auto clicks = job.source<Click>("clicks")
                    .values({{"alice", "/home", 0}, {"bob", "/home", 1000}, {"alice", "/cart", 3000},
                             {"bob", "/faq", 4000}, {"alice", "/cart", 7000}, {"carol", "/home", 9000},
                             {"bob", "/home", 12000}, {"alice", "/pay", 20000}, {"carol", "/cart", 21000}})
                    .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("1s")
                                   .with_timestamp_column(&Click::ts)
                                   .emit_per_record());
  // ctx (state, timers, the current key) is the runtime's: the functions take it as `auto&`.
  clicks.key_by("by_user", &Click::user)
      .process<Quiet>("quiet", [](const Click& c, auto& ctx, dfc::Collector<Quiet>&) {
        ctx.state.count.update(ctx.state.count.value_or(0) + 1);
        ctx.state.last.update(ctx.timestamp());
        const int64_t* n = ctx.state.pages.get(c.url);
        ctx.state.pages.put(c.url, n ? *n + 1 : 1);
        ctx.register_event_time_timer(ctx.timestamp() + 5000);
      })
      .value_state<int64_t>("count")
      .value_state<dfc::Timestamp>("last")
      .map_state<std::string, int64_t>("pages")
      .on_timer([](int64_t time, auto& ctx, dfc::Collector<Quiet>& out) {
        const int64_t last = ctx.state.last.value_or(0);
        if (time != last + 5000) return; /* a later click moved the timeout */
        out.emit(Quiet{ctx.current_key(), ctx.state.count.value_or(0),
                       static_cast<int64_t>(ctx.state.pages.entries().size()), last, time});
        ctx.state.count.clear();
        ctx.state.pages.clear();
      })
      .sink("out").file("quiet.csv").format("csv");
  return job.execute();
}
