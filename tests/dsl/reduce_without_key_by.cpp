// RUN: not %dfc check %s 2>&1 | FileCheck %s
#include <dfc/dsl.h>

struct WordCount {
  std::string word;
  int64_t n;
};

int main() {
  dfc::Job job("j");
  auto words = job.source<WordCount>("words").file("w.csv").format("csv");
  // CHECK: {{.*}}reduce_without_key_by.cpp:[[@LINE+2]]:9: error: reduce needs a keyed stream: call key_by(...) before reduce
  // CHECK: {{.*}}reduce_without_key_by.cpp:[[@LINE+1]]:3: note: this stream ('words') is not keyed
  words.reduce("counts", [](WordCount a, const WordCount& b) { a.n += b.n; return a; });
  return job.execute();
}
