// The print and file sinks (see dfc/connectors.h).
//
// Threading model: one RowSink per subtask, used by that subtask's thread only. Subtasks of one
// sink node writing the same path share a process-wide SharedFile (fd + mutex): each formats
// into its own ~64 KiB buffer and appends whole chunks under the mutex, so lines never
// interleave and the lock is taken once per chunk, not per record. stdout is one SharedFile too.
//
// The file is truncated by the first subtask to open it. It is closed (after fsync) only when
// all `parallelism` subtasks have opened AND closed it: counting opens, not just live users,
// keeps a fast subtask that finishes before a slow one has even opened from closing the file
// and having the slow one truncate it again.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "dfc/connectors.h"
#include "stdlib/connectors/fd_io.h"

namespace dfc::rt {

// transactional_sink.cc
std::unique_ptr<RowSink> OpenTransactionalFileSink(const RowDesc& desc, const SinkOptions& options,
                                                   int subtask, int parallelism);

namespace {

constexpr size_t kChunk = 64 * 1024;

struct SharedFile {
  std::mutex mu;  // held while a chunk is written
  int fd = -1;
  std::string path;
  std::string sink_id;
  int expected = 1;  // parallelism: how many subtasks will open it
  int opens = 0;     // guarded by the registry mutex
  int active = 0;    // opened and not yet closed; guarded by the registry mutex
};

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, std::shared_ptr<SharedFile>>& Registry() {
  static auto* files = new std::map<std::string, std::shared_ptr<SharedFile>>();
  return *files;
}

std::shared_ptr<SharedFile> Stdout() {
  static auto* file = [] {
    auto f = new std::shared_ptr<SharedFile>(std::make_shared<SharedFile>());
    (*f)->fd = STDOUT_FILENO;
    (*f)->path = "<stdout>";
    return f;
  }();
  return *file;
}

std::shared_ptr<SharedFile> AcquireFile(const SinkOptions& o, int parallelism) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto& files = Registry();
  auto it = files.find(o.path);
  if (it != files.end()) {
    SharedFile& f = *it->second;
    if (f.sink_id != o.sink_id) {
      throw SourceError("sink '" + o.sink_id + "': file '" + o.path +
                        "' is already being written by sink '" + f.sink_id + "'");
    }
    if (f.opens >= f.expected) {
      throw SourceError("sink '" + o.sink_id + "': file '" + o.path + "' opened by more than " +
                        std::to_string(f.expected) + " subtasks");
    }
    ++f.opens;
    ++f.active;
    return it->second;
  }
  auto f = std::make_shared<SharedFile>();
  f->fd = ::open(o.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (f->fd < 0) {
    throw SourceError("sink '" + o.sink_id + "': cannot open '" + o.path +
                      "': " + std::strerror(errno));
  }
  f->path = o.path;
  f->sink_id = o.sink_id;
  f->expected = parallelism;
  f->opens = 1;
  f->active = 1;
  files.emplace(o.path, f);
  return f;
}

// Returns the errno of a failed fsync/close by the last closer, or 0. `sync` is false after a
// failed write: the data is incomplete anyway, and the write error is what gets reported.
int ReleaseFile(const std::shared_ptr<SharedFile>& f, bool sync) {
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    if (--f->active > 0 || f->opens < f->expected) return 0;
    Registry().erase(f->path);
  }
  int err = 0;
  // EINVAL/EROFS: the file does not support syncing (a pipe, /dev/null); nothing to make durable.
  if (sync && ::fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS) err = errno;
  if (::close(f->fd) != 0 && err == 0 && errno != EINTR) err = errno;
  f->fd = -1;
  return err;
}

class BufferedSink final : public RowSink {
 public:
  BufferedSink(const RowDesc& desc, const SinkOptions& options, std::shared_ptr<SharedFile> file,
               bool print, std::string prefix)
      : desc_(desc),
        options_(options),
        file_(std::move(file)),
        print_(print),
        prefix_(std::move(prefix)) {
    buf_.reserve(kChunk + 4096);
  }

  ~BufferedSink() override {
    if (closed_) return;
    // Not closed: the subtask is being torn down (usually after a failure). Still flush what we
    // have, but a destructor must not throw, so report on stderr rather than lose it silently.
    try {
      Close();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dfc: %s\n", e.what());
    }
  }

  void Write(const void* row) override {
    buf_.append(prefix_);
    if (print_) {
      FormatPrint(desc_, row, &buf_);
    } else {
      switch (options_.format) {
        case Format::kCsv:
          FormatCsv(desc_, row, options_.delimiter, &buf_);
          break;
        case Format::kJsonLines:
          FormatJson(desc_, row, &buf_);
          break;
        case Format::kText:
          FormatText(desc_, row, &buf_);
          break;
      }
    }
    buf_.push_back('\n');
    if (buf_.size() >= kChunk) Flush();
  }

  void Flush() override {
    if (buf_.empty()) return;
    if (closed_) throw std::logic_error("sink '" + options_.sink_id + "': Flush() after Close()");
    size_t written = 0;
    int err;
    {
      std::lock_guard<std::mutex> lock(file_->mu);
      err = internal::WriteAll(file_->fd, buf_.data(), buf_.size(), &written);
    }
    // Keep only the unwritten tail, so a retry (e.g. Close after a failed Flush) neither
    // duplicates nor drops bytes.
    buf_.erase(0, written);
    if (err != 0) {
      failed_ = true;
      throw SourceError("sink '" + options_.sink_id + "': write to '" + file_->path +
                        "' failed: " + std::strerror(err));
    }
  }

  void Close() override {
    if (closed_) return;
    try {
      Flush();
    } catch (...) {
      closed_ = true;
      if (!print_) ReleaseFile(file_, /*sync=*/false);
      throw;
    }
    closed_ = true;
    if (print_) return;  // stdout stays open and is not ours to sync
    if (const int err = ReleaseFile(file_, /*sync=*/!failed_)) {
      throw SourceError("sink '" + options_.sink_id + "': fsync/close of '" + file_->path +
                        "' failed: " + std::strerror(err));
    }
  }

 private:
  const RowDesc desc_;
  const SinkOptions options_;
  const std::shared_ptr<SharedFile> file_;
  const bool print_;
  const std::string prefix_;  // "N> " for a parallel print sink
  std::string buf_;
  bool closed_ = false;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<RowSink> OpenSink(const RowDesc& desc, const SinkOptions& options, int subtask,
                                  int parallelism) {
  if (parallelism < 1 || subtask < 0 || subtask >= parallelism) {
    throw std::invalid_argument("sink '" + options.sink_id + "': bad subtask " +
                                std::to_string(subtask) + " of " + std::to_string(parallelism));
  }
  if (options.connector == "print") {
    std::string prefix = parallelism > 1 ? std::to_string(subtask + 1) + "> " : "";
    return std::make_unique<BufferedSink>(desc, options, Stdout(), /*print=*/true,
                                          std::move(prefix));
  }
  if (options.connector == "file") {
    if (options.path.empty()) {
      throw std::invalid_argument("sink '" + options.sink_id + "': file sink needs a path");
    }
    if (options.format == Format::kText &&
        (desc.num_fields != 1 || desc.fields[0].type != FieldType::kString)) {
      throw std::invalid_argument("sink '" + options.sink_id +
                                  "': text format needs a row type with exactly one STRING column");
    }
    if (options.exactly_once) return OpenTransactionalFileSink(desc, options, subtask, parallelism);
    return std::make_unique<BufferedSink>(desc, options, AcquireFile(options, parallelism),
                                          /*print=*/false, "");
  }
  throw std::invalid_argument("sink '" + options.sink_id + "': unknown connector '" +
                              options.connector + "' (expected file or print)");
}

}  // namespace dfc::rt
