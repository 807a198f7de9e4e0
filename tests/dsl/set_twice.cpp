// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main() {
  dfc::Job job("j");
  // CHECK: {{.*}}set_twice.cpp:[[@LINE+1]]:72: error: 'format' is already set for node 'lines'
  auto lines = job.source<Line>("lines").file("in.txt").format("text").format("csv");
  lines.sink("out").print();
  return job.execute();
}
