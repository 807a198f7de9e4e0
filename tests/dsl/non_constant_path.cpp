// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main(int argc, char** argv) {
  dfc::Job job("j");
  // CHECK: {{.*}}non_constant_path.cpp:[[@LINE+1]]:47: error: the path must be a string literal or a constant: dfc reads the job graph from the source without running it
  auto lines = job.source<Line>("lines").file(argv[1]).format("text");
  lines.sink("out").print();
  return job.execute();
}
