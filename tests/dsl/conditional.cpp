// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main(int argc, char** argv) {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  if (argc > 1) {
    // CHECK: {{.*}}conditional.cpp:[[@LINE+1]]:11: error: the job graph must be static: builder call inside an if statement
    lines.filter("f", "text <> ''").sink("out").print();
  }
  // CHECK: {{.*}}conditional.cpp:[[@LINE+1]]:37: error: the job graph must be static: builder call inside a conditional expression
  auto s = argc > 2 ? lines : lines.filter("g", "text <> ''");
  return job.execute();
}
