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
  auto by_order = orders.key_by("by_order", &Order::id);
  // CHECK: {{.*}}connect_mixed_keys.cpp:[[@LINE+1]]:20: error: connect: key both streams the same way (key_by("id", ...) nodes on both sides, or key_by(...) selections on both sides), or neither
  by_order.connect(payments.key_by(&Payment::order_id))
      .map<Order>("m", [](const Order& o) { return o; }, [](const Payment& p) { return Order{p.order_id, p.ts}; })
      .sink("out").print();
  return job.execute();
}
