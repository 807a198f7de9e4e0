// Interval join with the C++ DSL (the same job as interval_join.json): each order joined with the
// shipments of the same order that happen between 0 and 10 s after it (both bounds inclusive:
// order 3 ships exactly 10 s later and joins; order 2 ships 11 s later and does not). Output rows
// carry the later of the two timestamps.
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Order {
  int64_t order_id;
  std::string product;
  dfc::Timestamp ts;
};

struct Shipment {
  int64_t order_id;
  std::string carrier;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("orders-shipments");
  auto orders = job.source<Order>("orders")
                    .values({{1, "book", 1000}, {2, "lamp", 2000}, {3, "desk", 5000}, {4, "pen", 30000}})
                    .watermark(dfc::WatermarkStrategy::for_monotonous_timestamps()
                                   .with_timestamp_column(&Order::ts)
                                   .emit_per_record());
  auto shipments = job.source<Shipment>("shipments")
                       .values({{1, "ups", 3000}, {2, "dhl", 13000}, {3, "fedex", 15000}, {4, "ups", 30000}})
                       .watermark(dfc::WatermarkStrategy::for_monotonous_timestamps()
                                      .with_timestamp_column(&Shipment::ts)
                                      .emit_per_record());
  // Without a function the joined rows are the order's columns, then the shipment's (its `ts` and
  // `order_id` become `ts0` and `order_id0`).
  orders.key_by(&Order::order_id)
      .interval_join(shipments.key_by(&Shipment::order_id))
      .between("0s", "10s")
      .apply("shipped")
      .select("report", {"order_id", "product", "carrier", "ts AS ordered", "ts0 AS shipped"})
      .sink("out").file("shipped.csv").format("csv");
  return job.execute();
}
