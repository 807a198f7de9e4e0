// The exactly-once file sink (two-phase commit, Flink's FileSink): each subtask writes one
// in-progress file per checkpoint interval, stages it at the barrier and publishes it by an atomic
// rename when the checkpoint completes.
//
// Files in the sink's directory `path` (S = the subtask that wrote it, N = a checkpoint id):
//   .part-S-B.inprogress   being written (B = the checkpoint after which it was started)
//   part-S-N<ext>          published: the records S wrote between barriers N-1 and N
//   part-S-end<ext>        published at the end of a bounded input
// ext: .csv / .jsonl / .txt by format.
//
// Protocol:
//   write      rows go to the in-progress file (opened lazily; no empty files);
//   barrier N  flush, fsync the file, fsync the directory; remember (in-progress name, part-S-N)
//              as pending; the state entry lists every pending pair (and S);
//   complete N rename every pending pair up to N, fsync the directory;
//   end input  stage the open file as part-S-end and publish everything pending;
//   restore M  for each pending pair of the restored entries: rename if the in-progress file is
//              there, accept if the published name is there (an earlier commit), else fail
//              (the output would be incomplete); then delete what this subtask owns that is not
//              covered by checkpoint M: part-S-N with N > M, part-S-end, and every in-progress
//              file. Ownership: S mod parallelism == this subtask — the same rule that hands old
//              subtask S's entry to new subtask S mod p, so no two subtasks touch one file.
// Committed output therefore holds each record exactly once. A published file is only ever
// deleted when the job restarts from a checkpoint older than the one it was published for (the
// latest checkpoint was unusable, or the job crashed while finishing).
//
// Threading: one instance per subtask, used on its thread only.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "dfc/checkpoint.h"
#include "dfc/connectors.h"
#include "runtime/src/checkpoint_storage.h"
#include "runtime/src/failpoint.h"
#include "stdlib/connectors/fd_io.h"

namespace dfc::rt {

std::unique_ptr<RowSink> OpenTransactionalFileSink(const RowDesc& desc, const SinkOptions& options,
                                                   int subtask, int parallelism);

namespace {

constexpr size_t kChunk = 64 * 1024;

// Parses "part-S-N<ext>" / "part-S-end<ext>" (N = -1 for end) or ".part-S-B.inprogress".
bool ParseName(const std::string& name, const std::string& ext, bool* inprogress, int64_t* s,
               int64_t* n) {
  std::string rest;
  if (name.rfind(".part-", 0) == 0 && name.size() > 17 &&
      name.compare(name.size() - 11, 11, ".inprogress") == 0) {
    *inprogress = true;
    rest = name.substr(6, name.size() - 17);
  } else if (name.rfind("part-", 0) == 0 && name.size() > 5 + ext.size() &&
             name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
    *inprogress = false;
    rest = name.substr(5, name.size() - 5 - ext.size());
  } else {
    return false;
  }
  const size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= rest.size()) return false;
  auto num = [](const std::string& t, int64_t* v) {
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos) return false;
    *v = std::stoll(t);
    return true;
  };
  if (!num(rest.substr(0, dash), s)) return false;
  const std::string tail = rest.substr(dash + 1);
  if (!*inprogress && tail == "end") {
    *n = -1;
    return true;
  }
  return num(tail, n);
}

class TransactionalFileSink final : public RowSink {
 public:
  TransactionalFileSink(const RowDesc& desc, const SinkOptions& options, int subtask,
                        int parallelism)
      : desc_(desc), options_(options), subtask_(subtask), parallelism_(parallelism) {
    switch (options_.format) {
      case Format::kCsv: ext_ = ".csv"; break;
      case Format::kJsonLines: ext_ = ".jsonl"; break;
      case Format::kText: ext_ = ".txt"; break;
    }
    buf_.reserve(kChunk + 4096);
  }

  ~TransactionalFileSink() override {
    // Not closed (failure or cancellation): the in-progress file is abandoned; a restore
    // discards it.
    if (fd_ >= 0) ::close(fd_);
  }

  void InitializeState(const std::vector<std::string_view>& entries, int64_t restored_id) override {
    std::error_code ec;
    std::filesystem::create_directories(options_.path, ec);
    if (ec) Fail("cannot create directory '" + options_.path + "': " + ec.message());
    for (std::string_view e : entries) {
      StateIn in(e);
      int64_t old_subtask = 0, n = 0;
      try {
        in.Get(&old_subtask);
        in.Get(&n);
        for (int64_t i = 0; i < n; ++i) {
          Pending p;
          in.Get(&p.id);
          in.Get(&p.inprogress);
          in.Get(&p.final_name);
          if (p.inprogress.find('/') != std::string::npos || p.final_name.find('/') != std::string::npos)
            throw StateError("bad file name");
          pending_.push_back(std::move(p));
        }
      } catch (const StateError& err) {
        Fail(std::string("restored state is malformed: ") + err.what());
      }
    }
    // Re-commit what the checkpoint staged (idempotent), then discard the rest.
    CommitUpTo(INT64_MAX, /*restoring=*/true);
    DIR* d = ::opendir(options_.path.c_str());
    if (d == nullptr) Fail(Errno("cannot list", options_.path));
    std::vector<std::string> doomed;
    while (dirent* de = ::readdir(d)) {
      const std::string name = de->d_name;
      bool inprogress = false;
      int64_t s = 0, n = 0;
      if (!ParseName(name, ext_, &inprogress, &s, &n)) continue;
      if (s % parallelism_ != subtask_) continue;
      if (inprogress || n < 0 || n > restored_id) doomed.push_back(name);
    }
    ::closedir(d);
    for (const std::string& name : doomed) {
      const std::string path = options_.path + "/" + name;
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) Fail(Errno("cannot delete", path));
    }
    if (!doomed.empty()) SyncDir();
    base_ = restored_id;
  }

  void Write(const void* row) override {
    if (fd_ < 0) OpenInProgress();
    switch (options_.format) {
      case Format::kCsv: FormatCsv(desc_, row, options_.delimiter, &buf_); break;
      case Format::kJsonLines: FormatJson(desc_, row, &buf_); break;
      case Format::kText: FormatText(desc_, row, &buf_); break;
    }
    buf_.push_back('\n');
    if (buf_.size() >= kChunk) WriteBuffer();
  }

  void Flush() override {
    if (fd_ >= 0) WriteBuffer();
  }

  void SnapshotState(int64_t checkpoint_id, std::string* entry) override {
    if (fd_ >= 0) Stage(FinalName(std::to_string(checkpoint_id)), checkpoint_id);
    base_ = checkpoint_id;
    StateOut o(entry);
    o.Put(static_cast<int64_t>(subtask_));
    o.Put(static_cast<int64_t>(pending_.size()));
    for (const Pending& p : pending_) {
      o.Put(p.id);
      o.Put(p.inprogress);
      o.Put(p.final_name);
    }
  }

  void NotifyCheckpointComplete(int64_t checkpoint_id) override {
    CommitUpTo(checkpoint_id, /*restoring=*/false);
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    // End of a bounded input: publish everything. part-S-end lies beyond any checkpoint, so a
    // restart from one (a crash while the job finishes) deletes it and writes it again.
    if (fd_ >= 0) Stage(FinalName("end"), INT64_MAX);
    CommitUpTo(INT64_MAX, /*restoring=*/false);
  }

 private:
  struct Pending {
    int64_t id = 0;
    std::string inprogress;
    std::string final_name;
  };

  std::string Prefix() const { return "sink '" + options_.sink_id + "': "; }
  [[noreturn]] void Fail(const std::string& what) const { throw SourceError(Prefix() + what); }
  static std::string Errno(const std::string& what, const std::string& path) {
    return what + " '" + path + "': " + std::strerror(errno);
  }
  std::string FinalName(const std::string& n) const {
    return "part-" + std::to_string(subtask_) + "-" + n + ext_;
  }
  void SyncDir() {
    if (std::string e = FsyncDir(options_.path); !e.empty()) Fail(e);
  }

  void OpenInProgress() {
    inprogress_ = ".part-" + std::to_string(subtask_) + "-" + std::to_string(base_) + ".inprogress";
    const std::string path = options_.path + "/" + inprogress_;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) Fail(Errno("cannot create", path));
  }

  void WriteBuffer() {
    if (buf_.empty()) return;
    size_t written = 0;
    const int err = internal::WriteAll(fd_, buf_.data(), buf_.size(), &written);
    buf_.erase(0, written);
    if (err != 0) {
      Fail("write to '" + options_.path + "/" + inprogress_ + "' failed: " + std::strerror(err));
    }
  }

  // Pre-commit: the in-progress file becomes durable and pending under `final_name`.
  void Stage(const std::string& final_name, int64_t id) {
    WriteBuffer();
    const std::string path = options_.path + "/" + inprogress_;
    if (DFC_FAILPOINT("sink.precommit.fsync") || ::fsync(fd_) != 0) {
      const int e = errno == 0 ? EIO : errno;
      ::close(fd_);
      fd_ = -1;
      Fail("fsync of '" + path + "' failed: " + std::strerror(e));
    }
    ::close(fd_);
    fd_ = -1;
    SyncDir();  // the in-progress file's directory entry is durable too
    pending_.push_back(Pending{id, inprogress_, final_name});
  }

  void CommitUpTo(int64_t id, bool restoring) {
    bool any = false;
    size_t keep = 0;
    for (size_t i = 0; i < pending_.size(); ++i) {
      Pending& p = pending_[i];
      if (p.id > id) {
        pending_[keep++] = std::move(p);
        continue;
      }
      const std::string from = options_.path + "/" + p.inprogress;
      const std::string to = options_.path + "/" + p.final_name;
      if (DFC_FAILPOINT("sink.commit.rename")) Fail("cannot publish '" + to + "': injected failure");
      if (::rename(from.c_str(), to.c_str()) != 0) {
        struct stat st;
        // Committed before (a crash after the rename, or a notification repeated): done.
        if (errno != ENOENT || ::stat(to.c_str(), &st) != 0) {
          Fail(restoring ? "pending file '" + from + "' of the restored checkpoint is missing; "
                                                     "the committed output would be incomplete"
                         : Errno("cannot publish", from));
        }
      }
      any = true;
    }
    pending_.resize(keep);
    if (any) SyncDir();
  }

  const RowDesc desc_;
  const SinkOptions options_;
  const int subtask_, parallelism_;
  std::string ext_;
  std::string buf_;
  int fd_ = -1;
  std::string inprogress_;
  int64_t base_ = 0;
  std::vector<Pending> pending_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<RowSink> OpenTransactionalFileSink(const RowDesc& desc, const SinkOptions& options,
                                                   int subtask, int parallelism) {
  return std::make_unique<TransactionalFileSink>(desc, options, subtask, parallelism);
}

}  // namespace dfc::rt
