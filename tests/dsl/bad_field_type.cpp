// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Reading {
  std::string sensor;
  // CHECK: {{.*}}bad_field_type.cpp:[[@LINE+1]]:9: error: field 'value' of row type 'Reading' has C++ type 'float', which has no SQL type: use bool (BOOLEAN), int32_t (INT), int64_t (BIGINT), double (DOUBLE), std::string (STRING) or dfc::Timestamp (TIMESTAMP(3))
  float value;
  dfc::Timestamp ts;
};

int main() {
  dfc::Job job("j");
  // CHECK: {{.*}}bad_field_type.cpp:[[@LINE+1]]:7: note: row type 'Reading' is used here
  job.source<Reading>("readings").file("r.csv").format("csv").sink("out").print();
  return job.execute();
}
