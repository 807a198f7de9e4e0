// The shared lowering's checks report job.cpp locations too.
// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main() {
  dfc::Job job("j");
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  // CHECK: {{.*}}duplicate_id.cpp:[[@LINE+1]]:14: error: {{.*}}'lines'
  lines.sink("lines").print();
  return job.execute();
}
