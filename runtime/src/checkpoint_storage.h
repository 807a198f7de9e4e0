// Checkpoint storage: the on-disk layout of checkpoints and savepoints, durable writing, and
// verified loading (docs/CHECKPOINTS.md has the format).
//
//   <dir>/chk-<id>/            a checkpoint (savepoints: any directory, same content)
//       <vertex>-<subtask>.state  the state one subtask acknowledged: concatenated blobs
//       _metadata                 the manifest, written last: the commit point
//
// A state file holds no structure of its own; the manifest lists every file with its length and
// CRC32C and indexes each blob (operator entry or key group of an operator uid) as (file, offset,
// length), so a subtask restoring at another parallelism finds its key groups in any old file.
// The manifest is text, one record per line, ending with `crc <crc32c of all lines before>`.
//
// Durability (RELIABILITY.md): state files are written and fsynced; the manifest is written to
// `_metadata.tmp`, fsynced, renamed to `_metadata`, and the checkpoint directory and its parent
// are fsynced. A directory without a valid `_metadata` is not a checkpoint. A failed write or
// fsync fails the checkpoint; nothing is retried.
//
// Threading: a CheckpointWriter is used by one thread (the coordinator's I/O); loading functions
// are stateless.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dfc/checkpoint.h"

namespace dfc::rt {

// What a manifest says besides the state index.
struct CheckpointInfo {
  int64_t id = 0;
  bool savepoint = false;
  std::string job_name;
  int max_parallelism = 0;
  int64_t time_ms = 0;           // wall clock when completed
  int64_t size_bytes = 0;        // sum of the state files
  std::vector<std::string> uids;  // operators with state in it
};

class CheckpointWriter {
 public:
  // `dir` is the checkpoint's own directory (created, must not hold a manifest yet).
  explicit CheckpointWriter(std::string dir) : dir_(std::move(dir)) {}
  // Creates the directory. Returns an error message, or "".
  std::string Begin();
  // Serializes one subtask's snapshot into `<vertex>-<subtask>.state` (write + fsync) and indexes
  // its blobs. Returns an error message, or "".
  std::string AddSubtask(int vertex, int subtask, const SnapshotWriter& snapshot);
  // Writes the manifest durably (the commit point). Returns an error message, or "".
  std::string Finish(CheckpointInfo info);
  const std::string& dir() const { return dir_; }
  int64_t size_bytes() const { return size_; }

 private:
  struct FileMeta {
    std::string name;
    uint64_t length;
    uint32_t crc;
  };
  std::string dir_;
  std::vector<FileMeta> files_;
  std::vector<std::string> index_;  // manifest lines "op ..." / "kg ..."
  int64_t size_ = 0;
};

// Reads and verifies the checkpoint or savepoint in `dir` (manifest CRC, every file's length and
// CRC32C) into `data` / `info`. Returns "" or an error naming the bad file.
std::string LoadCheckpoint(const std::string& dir, RestoredState::Data* data,
                           CheckpointInfo* info);

// The checkpoints under `base` (chk-<id> directories, whether valid or not), newest first.
std::vector<std::pair<int64_t, std::string>> ListCheckpoints(const std::string& base);

// Deletes a checkpoint directory: the manifest first (so a crash midway leaves no checkpoint
// that looks valid), then the rest.
void DeleteCheckpoint(const std::string& dir);
// Whether two paths name the same checkpoint directory (after resolving "..", symlinks and a
// trailing '/'); false when either is empty.
bool SameCheckpointDir(const std::string& a, const std::string& b);

// Copies every file of a loaded checkpoint into `target` (a new directory) durably: a savepoint
// is self-contained. Returns an error message, or "".
std::string CopyCheckpoint(const std::string& from, const std::string& target);

// Durable-write helpers shared with sinks' tests: write + fsync a whole file; fsync a directory.
std::string WriteFileDurably(const std::string& path, const std::string& bytes,
                             const char* failpoint_prefix);
std::string FsyncDir(const std::string& dir);

}  // namespace dfc::rt
