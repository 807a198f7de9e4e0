// Word count with the C++ DSL, user functions written as classes implementing dfc's function
// interfaces (Flink: FlatMapFunction / ReduceFunction). Same graph and output as job.json.
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

class Tokenizer : public dfc::FlatMapFunction<Line, WordCount> {
 public:
  void flat_map(const Line& line, dfc::Collector<WordCount>& out) override {
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
};

class Sum : public dfc::ReduceFunction<WordCount> {
 public:
  WordCount reduce(const WordCount& acc, const WordCount& value) override {
    return WordCount{acc.word, acc.n + value.n};
  }
};

int main() {
  dfc::Job job("wordcount");
  job.config("parallelism.default", 2);

  auto lines = job.source<Line>("lines").file("input.txt").format("text");
  auto words = lines.flat_map("words", Tokenizer{});
  auto counts = words.key_by("by_word", &WordCount::word).reduce("counts", Sum{});
  counts.sink("out").file("counts.csv").format("csv");
  return job.execute();
}
