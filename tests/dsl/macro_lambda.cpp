// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

#define IDENTITY [](const Line& l) { return l; }

int main() {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  // CHECK: {{.*}}macro_lambda.cpp:[[@LINE+1]]:18: error: unsupported: a user function written through a macro; write it out in the job file
  lines.map("m", IDENTITY).sink("out").print();
  return job.execute();
}
