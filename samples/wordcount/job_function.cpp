// Word count with the C++ DSL, user functions written as plain functions (Flink: a method
// reference). Same graph and output as job.json and job.cpp.
#include <cctype>
#include <cstdint>
#include <string>

#include <dfc/dsl.h>

struct Line {
  std::string text;
};

struct WordCount {
  std::string word;
  int64_t n;
};

// Splits a line into lower-case alphanumeric words.
void Tokenize(const Line& line, dfc::Collector<WordCount>& out) {
  std::string w;
  for (char c : line.text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.emit(WordCount{w, 1});
      w.clear();
    }
  }
  if (!w.empty()) out.emit(WordCount{w, 1});
}

WordCount Sum(WordCount a, const WordCount& b) {
  a.n += b.n;
  return a;
}

int main() {
  dfc::Job job("wordcount");
  job.config("parallelism.default", 2);

  auto lines = job.source<Line>("lines").file("input.txt").format("text");
  auto words = lines.flat_map("words", Tokenize);
  words.key_by("by_word", &WordCount::word).reduce("counts", Sum).sink("out").file("counts.csv").format("csv");
  return job.execute();
}
