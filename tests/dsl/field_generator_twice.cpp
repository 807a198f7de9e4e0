// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Event {
  int64_t id;
  int64_t price;
};

int main() {
  dfc::Job job("j");
  auto events = job.source<Event>("events").datagen().count(10)
      .field(&Event::id, dfc::gen::sequence(0))
      .field("price", dfc::gen::random(1, 100))
  // CHECK: {{.*}}field_generator_twice.cpp:[[@LINE+1]]:14: error: the generator of column 'id' is already set
      .field("id", dfc::gen::sequence(1, 2));
  events.sink("out").print();
  return job.execute();
}
