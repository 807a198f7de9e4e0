// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct Line {
  std::string text;
};

int main() {
  dfc::Job job("j");
  std::string suffix = "!";
  auto lines = job.source<Line>("lines").file("in.txt").format("text");
  // CHECK: {{.*}}lambda_captures_local.cpp:[[@LINE+1]]:63: error: the user function uses 'suffix', a local variable of 'main': the generated job runs the function without it; make it a constant at namespace scope
  lines.map("loud", [&](const Line& l) { return Line{l.text + suffix}; }).sink("out").print();
  return job.execute();
}
