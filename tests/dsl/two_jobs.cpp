// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

int main() {
  dfc::Job first("a");
  // CHECK: {{.*}}two_jobs.cpp:[[@LINE+2]]:12: error: a job file describes one job: found a second dfc::Job
  // CHECK: {{.*}}two_jobs.cpp:[[@LINE-2]]:12: note: the first dfc::Job is declared here
  dfc::Job second("b");
  return first.execute() + second.execute();
}
