// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Order {
  int64_t id;
  dfc::Timestamp ts;
};
struct Payment {
  int64_t order_id;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  auto orders = job.source<Order>("orders").file("o.csv").format("csv");
  auto payments = job.source<Payment>("payments").file("p.csv").format("csv");
  // CHECK: {{.*}}connect_process_unkeyed.cpp:[[@LINE+1]]:28: error: co_process needs keyed streams: key_by both streams before connect (state and timers are per key)
  orders.connect(payments).process<Order>("status", [](const Order&, auto&, dfc::Collector<Order>&) {},
                                          [](const Payment&, auto&, dfc::Collector<Order>&) {})
      .sink("out").print();
  return job.execute();
}
