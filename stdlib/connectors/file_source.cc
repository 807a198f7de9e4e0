// FileSource: one byte-range split of a line-oriented file (see dfc/connectors.h).
//
// Reading is buffered (up to 1 MiB, grown only for longer lines) with pread and memchr, and lines
// are handed to the parsers as views into the buffer: no allocation per line. Line numbers are
// only needed for error messages, so a subtask that starts mid-file does not count the newlines
// of the bytes before its split until its first bad record (then once, with pread).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "dfc/connectors.h"
#include "stdlib/connectors/fd_io.h"

namespace dfc::rt {

namespace {

using internal::WriteAll;

constexpr size_t kMaxBuffer = size_t{1} << 20;
constexpr size_t kMinBuffer = 4096;

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

struct FileSource::Impl {
  RowDesc desc;
  FileSourceOptions opt;
  OperatorMetrics* metrics;

  int fd = -1;
  int dead_letter_fd = -1;
  int64_t file_size = 0;
  int64_t split_start = 0;
  int64_t split_end = 0;

  std::unique_ptr<char[]> buf;
  size_t cap = 0;
  size_t beg = 0;       // first unread byte of the buffer
  size_t lim = 0;       // end of valid bytes
  int64_t buf_off = 0;  // file offset of buf[0]
  bool eof = false;

  // Line numbering: the line at file offset base_off has number base_line (-1: not yet counted).
  int64_t base_off = 0;
  int64_t base_line = 1;
  int64_t lines_since_base = 0;  // lines consumed since base_off

  std::string error;
  std::string message;

  Impl(const RowDesc& d, FileSourceOptions o, OperatorMetrics* m)
      : desc(d), opt(std::move(o)), metrics(m) {}

  ~Impl() {
    if (fd >= 0) ::close(fd);
    if (dead_letter_fd >= 0) ::close(dead_letter_fd);
  }

  std::string Prefix() const { return "source '" + opt.source_id + "': "; }

  [[noreturn]] void ThrowIo(const std::string& what, int err) {
    throw SourceError(Prefix() + what + " '" + opt.path + "': " + ErrnoText(err));
  }

  // Reads more bytes after lim, first moving the unread tail to the front (and growing the
  // buffer when one line fills it). Returns false at end of file.
  bool Refill() {
    if (eof) return false;
    if (beg > 0) {
      std::memmove(buf.get(), buf.get() + beg, lim - beg);
      buf_off += static_cast<int64_t>(beg);
      lim -= beg;
      beg = 0;
    }
    if (lim == cap) {
      const size_t new_cap = cap * 2;
      std::unique_ptr<char[]> bigger(new char[new_cap]);
      std::memcpy(bigger.get(), buf.get(), lim);
      buf = std::move(bigger);
      cap = new_cap;
    }
    for (;;) {
      const ssize_t r = ::pread(fd, buf.get() + lim, cap - lim, buf_off + static_cast<int64_t>(lim));
      if (r < 0) {
        if (errno == EINTR) continue;
        ThrowIo("cannot read", errno);
      }
      if (r == 0) {
        eof = true;
        return false;
      }
      lim += static_cast<size_t>(r);
      return true;
    }
  }

  void ResetBufferAt(int64_t offset) {
    buf_off = offset;
    beg = lim = 0;
    eof = false;
  }

  // Positions at the first line starting at or after split_start: a line starts at 0 or right
  // after a '\n', so look for the first '\n' at or after split_start - 1.
  void SkipToFirstLine() {
    ResetBufferAt(split_start - 1);
    size_t scanned = 0;
    for (;;) {
      const char* nl =
          static_cast<const char*>(std::memchr(buf.get() + beg + scanned, '\n', lim - beg - scanned));
      if (nl != nullptr) {
        beg = static_cast<size_t>(nl - buf.get()) + 1;
        return;
      }
      // Nothing before the newline is needed: drop it so the buffer never grows here.
      buf_off += static_cast<int64_t>(lim);
      beg = lim = 0;
      if (!Refill()) return;
    }
  }

  int64_t Position() const { return buf_off + static_cast<int64_t>(beg); }

  // Next line of the split (without '\n'); `*offset` is its file offset.
  bool NextLine(std::string_view* line, int64_t* offset) {
    *offset = Position();
    if (*offset >= split_end) return false;
    size_t scanned = 0;
    for (;;) {
      const char* start = buf.get() + beg;
      const char* nl = static_cast<const char*>(std::memchr(start + scanned, '\n', lim - beg - scanned));
      if (nl != nullptr) {
        *line = std::string_view(start, nl - start);
        beg += static_cast<size_t>(nl - start) + 1;
        return true;
      }
      scanned = lim - beg;
      if (!Refill()) {
        if (lim > beg) {  // last line without '\n'
          *line = std::string_view(buf.get() + beg, lim - beg);
          beg = lim;
          return true;
        }
        return false;
      }
    }
  }

  int64_t CountNewlinesBefore(int64_t end) {
    std::unique_ptr<char[]> tmp(new char[kMaxBuffer]);
    int64_t count = 0;
    for (int64_t off = 0; off < end;) {
      const size_t want = static_cast<size_t>(std::min<int64_t>(kMaxBuffer, end - off));
      const ssize_t r = ::pread(fd, tmp.get(), want, off);
      if (r < 0) {
        if (errno == EINTR) continue;
        ThrowIo("cannot read", errno);
      }
      if (r == 0) break;
      count += std::count(tmp.get(), tmp.get() + r, '\n');
      off += r;
    }
    return count;
  }

  // 1-based number of the line just consumed.
  int64_t CurrentLineNumber() {
    if (base_line < 0) base_line = CountNewlinesBefore(base_off) + 1;
    return base_line + lines_since_base - 1;
  }

  bool Parse(std::string_view line, void* row) {
    switch (opt.format) {
      case Format::kCsv:
        return ParseCsv(line, opt.delimiter, desc, row, &error);
      case Format::kJsonLines:
        return ParseJson(line, desc, row, &error);
      case Format::kText:
        return ParseText(line, desc, row, &error);
    }
    return false;
  }

  void BadRecord(std::string_view line, int64_t offset) {
    const int64_t line_no = CurrentLineNumber();
    if (opt.on_error == OnError::kFail) {
      throw SourceError(Prefix() + opt.path + ":" + std::to_string(line_no) + " (byte offset " +
                        std::to_string(offset) + "): " + error);
    }
    if (metrics != nullptr) metrics->errors_skipped.fetch_add(1, std::memory_order_relaxed);
    if (opt.on_error == OnError::kDeadLetter) {
      message.assign(opt.path);
      message.append(":" + std::to_string(line_no) + ":" + std::to_string(offset) + ": ");
      message.append(error);
      message.push_back('\t');
      message.append(line);
      message.push_back('\n');
      // One write per record: O_APPEND keeps lines of concurrent subtasks whole.
      if (const int err = WriteAll(dead_letter_fd, message.data(), message.size())) {
        throw SourceError(Prefix() + "cannot write dead-letter file '" + opt.dead_letter_path +
                          "': " + ErrnoText(err));
      }
    }
  }
};

FileSource::FileSource(const RowDesc& desc, FileSourceOptions options, OperatorMetrics* metrics)
    : impl_(std::make_unique<Impl>(desc, std::move(options), metrics)) {}

FileSource::~FileSource() = default;

void FileSource::Open(int subtask, int parallelism) {
  Impl& s = *impl_;
  if (parallelism < 1 || subtask < 0 || subtask >= parallelism) {
    throw std::invalid_argument(s.Prefix() + "bad split " + std::to_string(subtask) + " of " +
                                std::to_string(parallelism));
  }
  if (s.opt.format == Format::kText &&
      (s.desc.num_fields != 1 || s.desc.fields[0].type != FieldType::kString)) {
    throw SourceError(s.Prefix() + "text format needs a row type with exactly one STRING column");
  }
  if (s.opt.on_error == OnError::kDeadLetter && s.opt.dead_letter_path.empty()) {
    throw SourceError(s.Prefix() + "on_error=dead_letter needs a dead_letter_path");
  }
  if (s.fd >= 0) ::close(s.fd);
  s.fd = ::open(s.opt.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s.fd < 0) s.ThrowIo("cannot open", errno);
  struct stat st;
  if (::fstat(s.fd, &st) != 0) s.ThrowIo("cannot stat", errno);
  s.file_size = st.st_size;
  ::posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  // 128-bit products: size * subtask must not overflow for huge files.
  s.split_start = static_cast<int64_t>(static_cast<__int128>(s.file_size) * subtask / parallelism);
  s.split_end =
      static_cast<int64_t>(static_cast<__int128>(s.file_size) * (subtask + 1) / parallelism);
  s.cap = static_cast<size_t>(
      std::clamp<int64_t>(s.split_end - s.split_start + 1, kMinBuffer, kMaxBuffer));
  s.buf.reset(new char[s.cap]);
  if (s.split_start == 0) {
    s.ResetBufferAt(0);
  } else {
    s.SkipToFirstLine();
  }
  s.base_off = s.Position();
  s.base_line = s.base_off == 0 ? 1 : -1;
  s.lines_since_base = 0;
  if (s.opt.on_error == OnError::kDeadLetter && s.dead_letter_fd < 0) {
    s.dead_letter_fd =
        ::open(s.opt.dead_letter_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (s.dead_letter_fd < 0) {
      throw SourceError(s.Prefix() + "cannot open dead-letter file '" + s.opt.dead_letter_path +
                        "': " + ErrnoText(errno));
    }
  }
}

bool FileSource::Next(void* row) {
  Impl& s = *impl_;
  if (s.fd < 0) throw std::logic_error(s.Prefix() + "Next() before Open()");
  std::string_view line;
  int64_t offset;
  while (s.NextLine(&line, &offset)) {
    ++s.lines_since_base;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Blank lines are not records in CSV / JSON lines (FormatCsv quotes an empty single column).
    if (s.opt.format != Format::kText &&
        line.find_first_not_of(" \t") == std::string_view::npos) {
      if (line.empty() || s.opt.format == Format::kJsonLines) continue;
    }
    if (s.Parse(line, row)) return true;
    s.BadRecord(line, offset);
  }
  return false;
}

int64_t FileSource::position() const { return impl_->fd < 0 ? 0 : impl_->Position(); }

void FileSource::Seek(int64_t offset) {
  Impl& s = *impl_;
  if (s.fd < 0) throw std::logic_error(s.Prefix() + "Seek() before Open()");
  if (offset < s.split_start || offset > std::max(s.split_end, s.file_size)) {
    throw SourceError(s.Prefix() + "cannot seek '" + s.opt.path + "' to byte offset " +
                      std::to_string(offset) + ": outside this subtask's split [" +
                      std::to_string(s.split_start) + ", " + std::to_string(s.split_end) + ")");
  }
  s.ResetBufferAt(offset);
  s.base_off = offset;
  s.base_line = offset == 0 ? 1 : -1;
  s.lines_since_base = 0;
}

}  // namespace dfc::rt
