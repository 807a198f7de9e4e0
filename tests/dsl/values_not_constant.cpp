// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

#include <cstdlib>
#include <string>

struct Bid {
  int64_t auction;
  std::string channel;
};

int main() {
  dfc::Job job("j");
  const int64_t first = 1000;  // a constant is fine
  // CHECK: {{.*}}values_not_constant.cpp:[[@LINE+1]]:64: error: a BIGINT value must be a literal or a constant (string, number or bool): dfc reads the job graph from the source without running it
  auto bids = job.source<Bid>("bids").values({{first, "web"}, {std::rand(), "app"}});
  bids.sink("out").print();
  // CHECK-NOT: error
  return job.execute();
}
