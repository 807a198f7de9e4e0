// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

dfc::DataStream<Line> NonEmpty(dfc::DataStream<Line> s) {
  // CHECK-DAG: {{.*}}helper_function.cpp:[[@LINE+1]]:12: error: this builder call is not part of the job graph dfc reads: write builder calls in straight-line code of 'main', the function that declares the dfc::Job
  return s.filter("non_empty", "text <> ''");
}

int main() {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  // CHECK-DAG: {{.*}}helper_function.cpp:[[@LINE+1]]:3: error: unsupported construct in the job graph: a stream computed by an expression dfc cannot read
  NonEmpty(lines).sink("out").print();
  return job.execute();
}
