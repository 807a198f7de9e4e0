// Reducing and aggregating keyed state with the C++ DSL (the same job as dwell_stats.json): per
// user, the longest dwell time so far (a reducing state with max) and the average dwell time (an
// aggregating state over an accumulator row: create_accumulator / add / get_result, Flink's
// AggregateFunction), emitted with every view. The first view of a user finds both states empty
// (get() is null / nullopt, as in Flink) and says so.
#include <algorithm>
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct View {
  std::string user;
  std::string page;
  int64_t dwell;
  dfc::Timestamp ts;
};

struct DwellAcc {
  int64_t views;
  int64_t total;
};

struct Stats {
  std::string user;
  int64_t views;
  int64_t longest;
  double avg_dwell;
  bool first_view;
};

int main() {
  dfc::Job job("dwell-stats");
  auto views = job.source<View>("views").values(
      {{"alice", "/home", 12, 0}, {"bob", "/home", 3, 1000}, {"alice", "/cart", 40, 3000},
       {"bob", "/faq", 9, 4000}, {"alice", "/cart", 5, 7000}, {"carol", "/home", 7, 9000},
       {"bob", "/home", 6, 12000}, {"alice", "/pay", 23, 20000}, {"carol", "/cart", 30, 21000}});
  views.key_by("by_user", &View::user)
      .process<Stats>("stats", [](const View& v, auto& ctx, dfc::Collector<Stats>& out) {
        const bool first = ctx.state.longest.get() == nullptr && !ctx.state.dwell.get().has_value();
        ctx.state.longest.add(v.dwell);
        ctx.state.dwell.add(v);
        out.emit(Stats{v.user, ctx.state.dwell.accumulator()->views, *ctx.state.longest.get(),
                       *ctx.state.dwell.get(), first});
      })
      .reducing_state<int64_t>("longest", [](int64_t a, int64_t b) { return std::max(a, b); })
      .aggregating_state<View, DwellAcc, double>(
          "dwell", [] { return DwellAcc{0, 0}; },
          [](const View& v, DwellAcc acc) { ++acc.views; acc.total += v.dwell; return acc; },
          [](const DwellAcc& acc) { return static_cast<double>(acc.total) / static_cast<double>(acc.views); })
      .sink("out").file("dwell_stats.csv").format("csv");
  return job.execute();
}
