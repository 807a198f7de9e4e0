// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main() {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  for (int i = 0; i < 3; ++i) {
    // CHECK: {{.*}}loop.cpp:[[@LINE+1]]:11: error: the job graph must be static: builder call inside a for loop
    lines.sink("out").print();
  }
  return job.execute();
}
