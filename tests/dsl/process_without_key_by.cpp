// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Click {
  std::string user;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  auto clicks = job.source<Click>("clicks").file("c.csv").format("csv");
  // CHECK: {{.*}}process_without_key_by.cpp:[[@LINE+2]]:10: error: process needs a keyed stream: call key_by("id", ...) before process (state and timers are per key)
  // CHECK: {{.*}}process_without_key_by.cpp:[[@LINE+1]]:3: note: this stream ('clicks') is not keyed
  clicks.process("p", [](const Click&, auto&, dfc::Collector<Click>&) {}).sink("out").print();
  return job.execute();
}
