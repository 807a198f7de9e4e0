// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

#include <thread>

struct Line {
  std::string text;
};

constexpr int kSinkParallelism = 1;  // a constant is fine

int main() {
  dfc::Job job("j");
  int n = static_cast<int>(std::thread::hardware_concurrency());
  // CHECK: {{.*}}runtime_parallelism.cpp:[[@LINE+1]]:37: error: a config value must be a literal or a constant (string, number or bool): dfc reads the job graph from the source without running it
  job.config("parallelism.default", n);
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  lines.sink("out").print().parallelism(kSinkParallelism);
  // CHECK-NOT: error
  return job.execute();
}
