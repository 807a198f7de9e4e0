// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main() {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  // CHECK: {{.*}}compile_error.cpp:[[@LINE+2]]:52: error: no member named 'txt' in 'Line'; did you mean 'text'?
  // CHECK: {{.*}}compile_error.cpp:5:15: note: 'text' declared here
  lines.map("m", [](const Line& l) { return Line{l.txt}; }).sink("out").print();
  // Nothing is lowered from a file with C++ errors.
  // CHECK-NOT: error
  return job.execute();
}
