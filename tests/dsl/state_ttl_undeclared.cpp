// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <cstdint>
#include <dfc/dsl.h>

struct Ev {
  int64_t k;
};

int main() {
  dfc::Job job("j");
  auto evs = job.source<Ev>("evs").values({{1}});
  evs.key_by("by_k", &Ev::k)
      .process("p", [](const Ev& e, auto& ctx, dfc::Collector<Ev>& out) { out.emit(e); })
      // CHECK: {{.*}}state_ttl_undeclared.cpp:[[@LINE+1]]:18: error: state 'n' is not declared (yet): declare it before state_ttl, e.g. .value_state<T>("n")
      .state_ttl("n", "1h")
      .value_state<int64_t>("n")
      .state_ttl("n", "1h")
      // CHECK: {{.*}}state_ttl_undeclared.cpp:[[@LINE+1]]:8: error: the TTL of state 'n' is already set
      .state_ttl("n", "2h")
      .sink("out").print();
  return job.execute();
}
