// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Bid {
  int64_t auction;
  int64_t price;
};

int main() {
  dfc::Job job("j");
  auto bids = job.source<Bid>("bids").file("b.csv").format("csv");
  // CHECK: {{.*}}rename_twice.cpp:[[@LINE+1]]:64: error: column 'price' is renamed twice
  bids.rename_columns("r", {{"price", "p"}, {"auction", "a"}, {"price", "q"}}).sink("out").print();
  return job.execute();
}
