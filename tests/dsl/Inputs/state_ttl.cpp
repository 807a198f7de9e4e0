// The C++ DSL twin of tests/e2e/Inputs/state_ttl.json (state_ttl.test): state TTL declared with
// state_ttl(name, ttl[, update]) after the state's declaration.
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include <dfc/dsl.h>

struct Cmd {
  int64_t k;
  std::string op;
};

struct Seen {
  int64_t k;
  int64_t short_v;
  int64_t long_v;
  int64_t n;
};

int main() {
  dfc::Job job("state-ttl");
  auto cmds = job.source<Cmd>("cmds").values({{1, "w"}, {2, "w"}, {1, "r"}, {2, "r"}, {1, "wait"}, {2, "wait"},
                                              {1, "r"}, {2, "r"}, {1, "w"}, {2, "w"}, {1, "r"}, {2, "r"}});
  cmds.key_by("by_k", &Cmd::k)
      .process<Seen>("seen", [](const Cmd& c, auto& ctx, dfc::Collector<Seen>& out) {
        auto& s = ctx.state;
        if (c.op == "w") {
          s.short_v.update(1);
          s.long_v.update(2);
          s.list.add(3);
          return;
        }
        if (c.op == "wait") {
          const int64_t until = ctx.current_processing_time() + 700;
          while (ctx.current_processing_time() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          return;
        }
        out.emit(Seen{c.k, s.short_v.value_or(-1), s.long_v.value_or(-1), static_cast<int64_t>(s.list.get().size())});
      })
      .value_state<int64_t>("short_v")
      .state_ttl("short_v", "600ms")
      .value_state<int64_t>("long_v")
      .state_ttl("long_v", "1h")
      .list_state<int64_t>("list")
      .state_ttl("list", "600ms", "OnReadAndWrite")
      .sink("out").file("seen.csv").format("csv");
  return job.execute();
}
