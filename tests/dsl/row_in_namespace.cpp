// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

namespace app {
// CHECK: {{.*}}row_in_namespace.cpp:[[@LINE+1]]:8: error: unsupported: row type 'Line' must be declared at global scope (its name is the row type's name in the job)
struct Line {
  std::string text;
};
}  // namespace app

int main() {
  dfc::Job job("j");
  job.source<app::Line>("lines").file("in.txt").format("text").sink("out").print();
  return job.execute();
}
