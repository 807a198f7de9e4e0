// RUN: not %dfc check %s 2>&1 | FileCheck %s
// CHECK: {{.*}}no_job.cpp:1:1: error: no dfc::Job in this file: declare one in main, e.g. dfc::Job job("name");
#include <dfc/dsl.h>

int main() { return 0; }
