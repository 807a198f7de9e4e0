#include "runtime/src/checkpoint_storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dfc/checkpoint.h"
#include "runtime/src/crc32c.h"

namespace dfc::rt {
namespace {

namespace fs = std::filesystem;

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(Crc32c("123456789", 9), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(Crc32c("", 0), 0u);
  std::string zeros(32, '\0');
  EXPECT_EQ(Crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
  // Incremental == one shot.
  EXPECT_EQ(Crc32c("6789", 4, Crc32c("12345", 5)), 0xE3069283u);
}

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("dfc_storage_test_" + std::to_string(::getpid()));
    fs::remove_all(base_);
  }
  void TearDown() override { fs::remove_all(base_); }

  // Two subtasks of one vertex: operator entries and keyed blobs.
  std::string WriteCheckpoint(int64_t id) {
    const std::string dir = (base_ / ("chk-" + std::to_string(id))).string();
    CheckpointWriter w(dir);
    EXPECT_EQ(w.Begin(), "");
    SnapshotWriter s0(id), s1(id);
    *s0.AddOperatorEntry("src uid") = "split-0";
    *s1.AddOperatorEntry("src uid") = "split-1";
    *s1.AddOperatorEntry("src uid") = "split-2";
    *s0.KeyGroup("sum", 3) = "kg3";
    *s1.KeyGroup("sum", 100) = "kg100";
    EXPECT_EQ(w.AddSubtask(0, 0, s0), "");
    EXPECT_EQ(w.AddSubtask(0, 1, s1), "");
    CheckpointInfo info;
    info.id = id;
    info.job_name = "job with spaces";
    info.max_parallelism = 128;
    info.uids = {"src uid", "sum"};
    EXPECT_EQ(w.Finish(info), "");
    return dir;
  }

  fs::path base_;
};

TEST_F(StorageTest, RoundTripAndRedistribution) {
  const std::string dir = WriteCheckpoint(7);
  RestoredState::Data data;
  CheckpointInfo info;
  ASSERT_EQ(LoadCheckpoint(dir, &data, &info), "");
  EXPECT_EQ(info.id, 7);
  EXPECT_EQ(info.job_name, "job with spaces");
  EXPECT_EQ(info.max_parallelism, 128);
  EXPECT_EQ(data.checkpoint_id, 7);

  // Round-robin over (old subtask, entry): split-0, split-1, split-2 -> new subtasks 0, 1, 0.
  RestoredState r0, r1;
  r0.Reset(&data, 0, 2, 128);
  r1.Reset(&data, 1, 2, 128);
  ASSERT_EQ(r0.Entries("src uid").size(), 2u);
  EXPECT_EQ(r0.Entries("src uid")[0], "split-0");
  EXPECT_EQ(r0.Entries("src uid")[1], "split-2");
  ASSERT_EQ(r1.Entries("src uid").size(), 1u);
  EXPECT_EQ(r1.Entries("src uid")[0], "split-1");
  EXPECT_EQ(r1.UnionEntries("src uid").size(), 3u);
  // Key groups by range: subtask 0 of 2 owns [0, 63], subtask 1 [64, 127].
  EXPECT_EQ(r0.first_key_group(), 0);
  EXPECT_EQ(r0.last_key_group(), 63);
  EXPECT_EQ(r0.KeyGroup("sum", 3), "kg3");
  EXPECT_EQ(r1.KeyGroup("sum", 100), "kg100");
  EXPECT_EQ(r1.KeyGroup("sum", 101), "");
  EXPECT_FALSE(r0.HasOperator("gone"));

  auto list = ListCheckpoints(base_.string());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].first, 7);
}

TEST_F(StorageTest, DetectsDamageNamingTheFile) {
  const std::string dir = WriteCheckpoint(1);
  RestoredState::Data data;
  CheckpointInfo info;
  // Flip a bit of a state file.
  {
    std::fstream f(dir + "/0-1.state", std::ios::in | std::ios::out | std::ios::binary);
    char c;
    f.seekg(2);
    f.get(c);
    f.seekp(2);
    f.put(static_cast<char>(c ^ 1));
  }
  std::string e = LoadCheckpoint(dir, &data, &info);
  EXPECT_NE(e.find("0-1.state"), std::string::npos) << e;
  EXPECT_NE(e.find("CRC32C"), std::string::npos) << e;
  // Truncated manifest.
  const std::string dir2 = WriteCheckpoint(2);
  fs::resize_file(dir2 + "/_metadata", fs::file_size(dir2 + "/_metadata") - 3);
  e = LoadCheckpoint(dir2, &data, &info);
  EXPECT_NE(e.find("_metadata"), std::string::npos) << e;
  // Missing file.
  const std::string dir3 = WriteCheckpoint(3);
  fs::remove(dir3 + "/0-0.state");
  e = LoadCheckpoint(dir3, &data, &info);
  EXPECT_NE(e.find("0-0.state"), std::string::npos) << e;
}

TEST(StateCodingTest, SplitsAndValues) {
  SourceSplit s{3, 4, 1234, false};
  SourceSplit d = DecodeSplit(EncodeSplit(s), "u");
  EXPECT_EQ(d.start, 3);
  EXPECT_EQ(d.step, 4);
  EXPECT_EQ(d.next, 1234);
  EXPECT_FALSE(d.done);
  EXPECT_THROW(DecodeSplit("short", "u"), StateError);
  std::string b;
  StateOut o(&b);
  o.Put(std::string("héllo"));
  o.Put(std::make_tuple(int64_t{5}, std::string("k"), true));
  StateIn in(b);
  std::string x;
  std::tuple<int64_t, std::string, bool> t;
  in.Get(&x);
  in.Get(&t);
  EXPECT_EQ(x, "héllo");
  EXPECT_EQ(std::get<1>(t), "k");
  EXPECT_TRUE(in.empty());
  EXPECT_THROW(in.Get(&x), StateError);
}

}  // namespace
}  // namespace dfc::rt
