// Flink's KeyedCoProcessFunction over two connected streams with the C++ DSL (the same job as
// order_payments.json): orders and payments, both keyed by order id, share keyed state and
// timers. An order waits up to 10 s of event time for its payment (a payment may also come first
// and wait for its order); a matched pair is emitted as "paid" at once (at the later of both
// timestamps, whichever input came first), an order still unpaid when its timer fires as
// "unpaid"; a payment without an order stays in state. Watermarks follow each record, 1 s behind
// each source's largest timestamp; the operator's watermark is the minimum of both inputs, and the
// end of input fires what is left.
#include <algorithm>
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Order {
  int64_t order_id;
  std::string customer;
  int64_t amount;
  dfc::Timestamp ts;
};

struct Payment {
  int64_t order_id;
  std::string method;
  dfc::Timestamp ts;
};

struct Status {
  int64_t order_id;
  std::string customer;
  int64_t amount;
  std::string status;
  dfc::Timestamp at;
};

int main() {
  dfc::Job job("order-payments");
  auto orders = job.source<Order>("orders")
                    .values({{1, "alice", 30, 0}, {2, "bob", 15, 1000}, {3, "carol", 80, 2000},
                             {4, "alice", 12, 6000}, {5, "dave", 40, 9000}, {6, "bob", 22, 30000}})
                    .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("1s")
                                   .with_timestamp_column(&Order::ts)
                                   .emit_per_record());
  auto payments = job.source<Payment>("payments")
                      .values({{2, "card", 3000}, {1, "cash", 4000}, {7, "card", 5000}, {5, "card", 15000},
                               {6, "cash", 29000}})
                      .watermark(dfc::WatermarkStrategy::for_bounded_out_of_orderness("1s")
                                     .with_timestamp_column(&Payment::ts)
                                     .emit_per_record());
  auto by_order = orders.key_by("by_order", &Order::order_id);
  auto by_payment = payments.key_by("by_payment", &Payment::order_id);
  // ctx (state, timers, the current key) is the runtime's: the functions take it as `auto&`.
  by_order.connect(by_payment)
      .process<Status>(
          "status",
          [](const Order& o, auto& ctx, dfc::Collector<Status>& out) {
            if (const Payment* p = ctx.state.payment.get()) {
              out.emit(Status{o.order_id, o.customer, o.amount, "paid by " + p->method, std::max(o.ts, p->ts)});
              ctx.state.payment.clear();
              return;
            }
            ctx.state.order.update(o);
            ctx.register_event_time_timer(o.ts + 10000);
          },
          [](const Payment& p, auto& ctx, dfc::Collector<Status>& out) {
            if (const Order* o = ctx.state.order.get()) {
              out.emit(Status{o->order_id, o->customer, o->amount, "paid by " + p.method, std::max(o->ts, p.ts)});
              ctx.delete_event_time_timer(o->ts + 10000);
              ctx.state.order.clear();
              return;
            }
            ctx.state.payment.update(p);
          })
      .value_state<Order>("order")
      .value_state<Payment>("payment")
      .on_timer([](int64_t time, auto& ctx, dfc::Collector<Status>& out) {
        if (const Order* o = ctx.state.order.get()) {
          out.emit(Status{o->order_id, o->customer, o->amount, "unpaid", time});
          ctx.state.order.clear();
        }
      })
      .sink("out").file("order_payments.csv").format("csv");
  return job.execute();
}
