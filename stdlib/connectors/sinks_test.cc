#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dfc/connectors.h"
#include "stdlib/connectors/test_rows.h"

namespace dfc::rt {
namespace {

using testing::kPairDesc;
using testing::Pair;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using ::testing::HasSubstr;

SinkOptions FileOptions(const std::string& path, Format format = Format::kCsv) {
  SinkOptions o;
  o.sink_id = "out";
  o.connector = "file";
  o.path = path;
  o.format = format;
  return o;
}

TEST(FileSink, WritesCsvTruncatingTheFile) {
  const std::string path = TempDir() + "/out.csv";
  WriteFile(path, "old content that must disappear\n");
  auto sink = OpenSink(kPairDesc, FileOptions(path), 0, 1);
  Pair p{1, "one"};
  sink->Write(&p);
  p = {2, "t,wo"};
  sink->Write(&p);
  sink->Close();
  sink->Close();  // idempotent
  EXPECT_EQ(ReadFile(path), "1,one\n2,\"t,wo\"\n");
}

TEST(FileSink, WritesJsonLinesAndText) {
  const std::string dir = TempDir();
  auto sink = OpenSink(kPairDesc, FileOptions(dir + "/out.jsonl", Format::kJsonLines), 0, 1);
  Pair p{7, "q\""};
  sink->Write(&p);
  sink->Flush();
  EXPECT_EQ(ReadFile(dir + "/out.jsonl"), "{\"id\":7,\"name\":\"q\\\"\"}\n");  // Flush reaches the file
  sink->Close();

  testing::Line l{"raw, \"text\""};
  auto text = OpenSink(testing::kLineDesc, FileOptions(dir + "/out.txt", Format::kText), 0, 1);
  text->Write(&l);
  text->Close();
  EXPECT_EQ(ReadFile(dir + "/out.txt"), "raw, \"text\"\n");
  EXPECT_THROW(OpenSink(kPairDesc, FileOptions(dir + "/bad.txt", Format::kText), 0, 1),
               std::invalid_argument);
}

// 4 subtasks of one sink node append to one file concurrently: every line arrives whole, once.
TEST(FileSink, SubtasksShareOneFileWithoutInterleaving) {
  const std::string path = TempDir() + "/shared.csv";
  constexpr int kThreads = 4;
  constexpr int kRows = 30000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto sink = OpenSink(kPairDesc, FileOptions(path), t, kThreads);
      Pair p;
      for (int k = 0; k < kRows; ++k) {
        p.id = static_cast<int64_t>(t) * kRows + k;
        p.name = std::string(p.id % 97, static_cast<char>('a' + t)) + "|" + std::to_string(p.id);
        sink->Write(&p);
      }
      sink->Close();
    });
  }
  for (auto& th : threads) th.join();
  std::istringstream in(ReadFile(path));
  std::string line;
  std::set<int64_t> seen;
  while (std::getline(in, line)) {
    Pair p;
    std::string err;
    ASSERT_TRUE(ParseCsv(line, ',', kPairDesc, &p, &err)) << line << ": " << err;
    const int t = static_cast<int>(p.id / kRows);
    ASSERT_EQ(p.name, std::string(p.id % 97, static_cast<char>('a' + t)) + "|" +
                          std::to_string(p.id));
    ASSERT_TRUE(seen.insert(p.id).second) << "duplicate " << p.id;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kRows));
}

// A subtask that finishes before another has opened must not let that one truncate the file.
TEST(FileSink, LateSubtaskDoesNotTruncate) {
  const std::string path = TempDir() + "/late.csv";
  Pair p{1, "early"};
  {
    auto first = OpenSink(kPairDesc, FileOptions(path), 0, 2);
    first->Write(&p);
    first->Close();
  }
  auto second = OpenSink(kPairDesc, FileOptions(path), 1, 2);
  p = {2, "late"};
  second->Write(&p);
  second->Close();
  EXPECT_EQ(ReadFile(path), "1,early\n2,late\n");
  // All subtasks closed: the next run starts a fresh file.
  auto again = OpenSink(kPairDesc, FileOptions(path), 0, 1);
  again->Close();
  EXPECT_EQ(ReadFile(path), "");
}

TEST(FileSink, AnotherSinkOnTheSamePathIsAnError) {
  const std::string path = TempDir() + "/taken.csv";
  auto a = OpenSink(kPairDesc, FileOptions(path), 0, 1);
  SinkOptions other = FileOptions(path);
  other.sink_id = "other";
  try {
    OpenSink(kPairDesc, other, 0, 1);
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()),
              "sink 'other': file '" + path + "' is already being written by sink 'out'");
  }
  a->Close();
}

TEST(FileSink, WriteErrorsThrowNamingSinkAndPath) {
  auto sink = OpenSink(kPairDesc, FileOptions("/dev/full"), 0, 1);
  Pair p{1, "x"};
  sink->Write(&p);
  try {
    sink->Flush();
    FAIL() << "expected ENOSPC";
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()),
              "sink 'out': write to '/dev/full' failed: No space left on device");
  }
  EXPECT_THROW(sink->Close(), SourceError);  // the data is still pending: never dropped silently
  EXPECT_NO_THROW(sink->Close());

  try {
    OpenSink(kPairDesc, FileOptions("/nonexistent/dir/x.csv"), 0, 1);
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("sink 'out': cannot open '/nonexistent/dir/x.csv'"));
  }
  SinkOptions bad = FileOptions("x");
  bad.connector = "kafka";
  EXPECT_THROW(OpenSink(kPairDesc, bad, 0, 1), std::invalid_argument);
}

// Runs `body` with stdout redirected to a file; returns what was written.
template <class F>
std::string CaptureStdout(F body) {
  const std::string path = TempDir() + "/stdout.txt";
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  body();
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  return ReadFile(path);
}

TEST(PrintSink, FlinkFormatWithSubtaskPrefix) {
  SinkOptions o;
  o.sink_id = "print";
  o.connector = "print";
  const std::string single = CaptureStdout([&] {
    auto sink = OpenSink(kPairDesc, o, 0, 1);
    Pair p{1, "a b"};
    sink->Write(&p);
    sink->Close();
  });
  EXPECT_EQ(single, "+I[1, a b]\n");
  const std::string parallel = CaptureStdout([&] {
    auto s0 = OpenSink(kPairDesc, o, 0, 2);
    auto s1 = OpenSink(kPairDesc, o, 1, 2);
    Pair p{2, "x"};
    s1->Write(&p);
    s1->Close();
    p = {3, "y"};
    s0->Write(&p);
    s0->Close();
  });
  EXPECT_EQ(parallel, "2> +I[2, x]\n1> +I[3, y]\n");
}

}  // namespace
}  // namespace dfc::rt
