#include <map>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dfc/connectors.h"
#include "stdlib/connectors/test_rows.h"

namespace dfc::rt {
namespace {

using testing::kLineDesc;
using testing::kPairDesc;
using testing::Line;
using testing::Pair;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using ::testing::HasSubstr;

FileSourceOptions Options(const std::string& path, Format format = Format::kCsv) {
  FileSourceOptions o;
  o.source_id = "src";
  o.path = path;
  o.format = format;
  return o;
}

std::vector<std::string> ReadAllLines(const std::string& path, int subtask, int parallelism) {
  FileSource src(kLineDesc, Options(path, Format::kText), nullptr);
  src.Open(subtask, parallelism);
  std::vector<std::string> out;
  Line l;
  while (src.Next(&l)) out.push_back(l.s);
  return out;
}

TEST(FileSource, EverySplitReadsEveryLineOnce) {
  const std::string dir = TempDir();
  std::mt19937 rng(11);
  for (int file_no = 0; file_no < 30; ++file_no) {
    // Random line lengths (including empty lines and lines longer than a split), with or
    // without a final '\n', some "\r\n".
    std::vector<std::string> lines;
    std::string content;
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) {
      std::string line = "L" + std::to_string(k) + std::string(rng() % (file_no % 3 == 0 ? 300 : 8), 'x');
      if (rng() % 7 == 0) line.clear();
      lines.push_back(line);
      content += line;
      content += (rng() % 5 == 0) ? "\r\n" : "\n";
    }
    if (n > 0 && file_no % 2 == 1 && !lines.back().empty()) content.pop_back();  // no final '\n'
    const std::string path = dir + "/f" + std::to_string(file_no) + ".txt";
    WriteFile(path, content);
    for (int p = 1; p <= 5; ++p) {
      std::vector<std::string> all;
      for (int s = 0; s < p; ++s) {
        for (auto& l : ReadAllLines(path, s, p)) all.push_back(l);
      }
      EXPECT_EQ(all, lines) << "file " << file_no << " parallelism " << p;
    }
  }
}

TEST(FileSource, LongLinesAcrossBufferRefills) {
  const std::string dir = TempDir();
  const std::string path = dir + "/long.txt";
  std::vector<std::string> lines;
  std::string content;
  for (int k = 0; k < 6; ++k) {
    lines.push_back(std::string((k + 1) * 700000, static_cast<char>('a' + k)));
    content += lines.back() + "\n";
  }
  WriteFile(path, content);
  for (int p = 1; p <= 3; ++p) {
    std::vector<std::string> all;
    for (int s = 0; s < p; ++s) {
      for (auto& l : ReadAllLines(path, s, p)) all.push_back(l);
    }
    EXPECT_EQ(all, lines);
  }
}

TEST(FileSource, ParsesCsvAndJsonAndSkipsBlankLines) {
  const std::string dir = TempDir();
  WriteFile(dir + "/a.csv", "1,one\r\n\n2,\"t,wo\"\n3,three");
  FileSource src(kPairDesc, Options(dir + "/a.csv"), nullptr);
  src.Open(0, 1);
  Pair p;
  std::vector<std::string> got;
  while (src.Next(&p)) got.push_back(std::to_string(p.id) + "=" + p.name);
  EXPECT_THAT(got, ::testing::ElementsAre("1=one", "2=t,wo", "3=three"));

  WriteFile(dir + "/a.jsonl", "{\"id\":1,\"name\":\"a\"}\n   \n{\"name\":\"b\",\"id\":2}\n");
  FileSource js(kPairDesc, Options(dir + "/a.jsonl", Format::kJsonLines), nullptr);
  js.Open(0, 1);
  got.clear();
  while (js.Next(&p)) got.push_back(std::to_string(p.id) + "=" + p.name);
  EXPECT_THAT(got, ::testing::ElementsAre("1=a", "2=b"));
}

TEST(FileSource, PositionAndSeek) {
  const std::string dir = TempDir();
  const std::string path = dir + "/s.csv";
  WriteFile(path, "1,a\n2,b\n3,c\n4,d\n");
  FileSource src(kPairDesc, Options(path), nullptr);
  src.Open(0, 1);
  EXPECT_EQ(src.position(), 0);
  Pair p;
  ASSERT_TRUE(src.Next(&p));
  ASSERT_TRUE(src.Next(&p));
  EXPECT_EQ(src.position(), 8);
  ASSERT_TRUE(src.Next(&p));
  EXPECT_EQ(p.id, 3);
  src.Seek(8);  // restore
  ASSERT_TRUE(src.Next(&p));
  EXPECT_EQ(p.id, 3);
  ASSERT_TRUE(src.Next(&p));
  EXPECT_EQ(p.id, 4);
  EXPECT_FALSE(src.Next(&p));
  EXPECT_EQ(src.position(), 16);

  // The second half's split starts mid-line: its first line is "3,c" at offset 8.
  FileSource second(kPairDesc, Options(path), nullptr);
  second.Open(1, 2);
  EXPECT_EQ(second.position(), 8);
  EXPECT_THROW(second.Seek(4), SourceError);
  second.Seek(12);
  ASSERT_TRUE(second.Next(&p));
  EXPECT_EQ(p.id, 4);
  EXPECT_FALSE(second.Next(&p));
}

TEST(FileSource, FailNamesSourceFileLineAndOffset) {
  const std::string dir = TempDir();
  const std::string path = dir + "/bad.csv";
  // 8 lines of 4 bytes; line 7 (offset 24) is bad.
  WriteFile(path, "1,a\n2,b\n3,c\n4,d\n5,e\n6,f\nx,g\n8,h\n");
  for (int parallelism : {1, 2, 3}) {
    OperatorMetrics m;
    std::string message;
    int good = 0;
    for (int s = 0; s < parallelism; ++s) {
      FileSource src(kPairDesc, Options(path), &m);
      src.Open(s, parallelism);
      Pair p;
      try {
        while (src.Next(&p)) ++good;
      } catch (const SourceError& e) {
        message = e.what();
      }
    }
    EXPECT_EQ(message, "source 'src': " + path +
                           ":7 (byte offset 24): field 'id' (1): cannot parse 'x' as BIGINT");
    EXPECT_EQ(m.errors_skipped.load(), 0u);
  }
  // After a Seek the line number is still the true one.
  FileSource src(kPairDesc, Options(path), nullptr);
  src.Open(0, 1);
  src.Seek(20);
  Pair p;
  ASSERT_TRUE(src.Next(&p));
  try {
    src.Next(&p);
    FAIL() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ":7 (byte offset 24)"));
  }
}

TEST(FileSource, SkipCountsAndGoesOn) {
  const std::string dir = TempDir();
  const std::string path = dir + "/bad.csv";
  WriteFile(path, "1,a\nx,b\n3,c\n4\n5,e\n");
  FileSourceOptions o = Options(path);
  o.on_error = OnError::kSkip;
  OperatorMetrics m;
  FileSource src(kPairDesc, o, &m);
  src.Open(0, 1);
  Pair p;
  std::vector<int64_t> ids;
  while (src.Next(&p)) ids.push_back(p.id);
  EXPECT_THAT(ids, ::testing::ElementsAre(1, 3, 5));
  EXPECT_EQ(m.errors_skipped.load(), 2u);
}

TEST(FileSource, DeadLetterWritesReasonAndRecord) {
  const std::string dir = TempDir();
  const std::string path = dir + "/bad.jsonl";
  const std::string dlq = dir + "/dead.txt";
  WriteFile(path, "{\"id\":1,\"name\":\"a\"}\n{\"id\":\"x\",\"name\":\"b\"}\r\n{\"id\":3}\n"
                  "{\"id\":4,\"name\":\"d\"}\n");
  FileSourceOptions o = Options(path, Format::kJsonLines);
  o.on_error = OnError::kDeadLetter;
  o.dead_letter_path = dlq;
  OperatorMetrics m;
  std::vector<int64_t> ids;
  for (int s = 0; s < 2; ++s) {
    FileSource src(kPairDesc, o, &m);
    src.Open(s, 2);
    Pair p;
    while (src.Next(&p)) ids.push_back(p.id);
  }
  EXPECT_THAT(ids, ::testing::ElementsAre(1, 4));
  EXPECT_EQ(m.errors_skipped.load(), 2u);
  EXPECT_EQ(ReadFile(dlq), path + ":2:20: field 'id' (1): cannot parse 'x' as BIGINT\t"
                                  "{\"id\":\"x\",\"name\":\"b\"}\n" +
                               path + ":3:43: field 'name' (2): missing\t{\"id\":3}\n");

  FileSourceOptions no_path = o;
  no_path.dead_letter_path.clear();
  FileSource bad(kPairDesc, no_path, nullptr);
  EXPECT_THROW(bad.Open(0, 1), SourceError);
}

TEST(FileSource, OpenErrors) {
  FileSource missing(kPairDesc, Options("/nonexistent/dir/file.csv"), nullptr);
  try {
    missing.Open(0, 1);
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()),
              "source 'src': cannot open '/nonexistent/dir/file.csv': No such file or directory");
  }
  const std::string dir = TempDir();
  WriteFile(dir + "/t.txt", "x\n");
  FileSource text(kPairDesc, Options(dir + "/t.txt", Format::kText), nullptr);
  EXPECT_THROW(text.Open(0, 1), SourceError);
}

TEST(FileSource, EmptyFileAndMoreSubtasksThanBytes) {
  const std::string dir = TempDir();
  WriteFile(dir + "/empty.txt", "");
  EXPECT_TRUE(ReadAllLines(dir + "/empty.txt", 0, 1).empty());
  WriteFile(dir + "/tiny.txt", "a\nb\n");
  std::vector<std::string> all;
  for (int s = 0; s < 7; ++s) {
    for (auto& l : ReadAllLines(dir + "/tiny.txt", s, 7)) all.push_back(l);
  }
  EXPECT_THAT(all, ::testing::ElementsAre("a", "b"));
}

}  // namespace
}  // namespace dfc::rt
