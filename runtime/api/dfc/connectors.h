// Formats and connectors of the prebuilt runtime library, reached by generated code through
// type-erased rows (RowDesc + void*). Per-record formatting and parsing cost dominates a virtual
// call, so these live in the library and are compiled once, not per job.
//
// Errors: a source that meets a malformed record applies its on_error policy:
//   kFail        throw SourceError naming the source, file, line number and byte offset;
//   kSkip        count it (OperatorMetrics::errors_skipped) and go on;
//   kDeadLetter  count it and append `<file>:<line>:<offset>: <reason>\t<raw record>` to the
//                dead-letter file, then go on.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "dfc/metrics.h"
#include "dfc/row.h"

namespace dfc::rt {

enum class Format { kText, kCsv, kJsonLines };
enum class OnError { kFail, kSkip, kDeadLetter };

// Parses "text" | "csv" | "jsonl" (also "json"); throws std::invalid_argument otherwise.
Format ParseFormat(std::string_view s);
OnError ParseOnError(std::string_view s);  // "fail" | "skip" | "dead_letter"

// A malformed record under on_error=fail, or an I/O error of a connector.
class SourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- formats: one record <-> one line (no line terminator) ----
// CSV is RFC 4180: fields separated by `delim`, quoted with '"' when they contain the delimiter,
// a quote, CR or LF ('""' inside quotes); no header row. Booleans are true/false, timestamps
// epoch milliseconds. Returns false and sets `*error` (naming the field) on malformed input.
bool ParseCsv(std::string_view line, char delim, const RowDesc& desc, void* row, std::string* error);
void FormatCsv(const RowDesc& desc, const void* row, char delim, std::string* out);  // appends
// JSON lines: one object per line, keys = column names; fields written in declared order;
// unknown keys are ignored on input, missing keys are an error.
bool ParseJson(std::string_view line, const RowDesc& desc, void* row, std::string* error);
void FormatJson(const RowDesc& desc, const void* row, std::string* out);  // appends
// Text: the row type has exactly one STRING column; the line is its value.
bool ParseText(std::string_view line, const RowDesc& desc, void* row, std::string* error);
// Flink's print format: `+I[v1, v2, ...]`.
void FormatPrint(const RowDesc& desc, const void* row, std::string* out);  // appends

struct FileSourceOptions {
  std::string source_id;    // node id, for errors
  std::string path;
  Format format = Format::kCsv;
  char delimiter = ',';
  OnError on_error = OnError::kFail;
  std::string dead_letter_path;  // required for kDeadLetter
};

// Reads one split of a file: subtask i of n reads the lines that START in the byte range
// [i*size/n, (i+1)*size/n), so every line is read by exactly one subtask. Lines end at '\n'
// ("\r\n" accepted); a last line without '\n' is still a line. CSV records do not span lines.
class FileSource {
 public:
  FileSource(const RowDesc& desc, FileSourceOptions options, OperatorMetrics* metrics);
  ~FileSource();
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Opens the split; throws SourceError when the file cannot be opened.
  void Open(int subtask, int parallelism);
  // Fills `*row` (a pointer to the row struct) with the next record; false at the end of the
  // split. Malformed records follow on_error.
  bool Next(void* row);
  // Byte offset of the next unread line (the position a checkpoint records).
  int64_t position() const;
  // Continues reading at `offset` (restore); must be inside this subtask's split.
  void Seek(int64_t offset);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A sink writing formatted rows. Subtasks of one sink node that share a path append whole
// buffered chunks under a lock, so lines never interleave. Write() buffers; Close() flushes and
// fsyncs. Throws SourceError (I/O) on failure.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Write(const void* row) = 0;
  virtual void Flush() = 0;
  virtual void Close() = 0;
};

struct SinkOptions {
  std::string sink_id;
  std::string connector;  // "file" | "print"
  std::string path;       // file
  Format format = Format::kCsv;
  char delimiter = ',';
};

// `print` writes FormatPrint lines to stdout, prefixed with "<subtask+1>> " when parallelism > 1
// (as Flink's print sink does); `file` writes csv/jsonl lines to `path` (truncated at start).
std::unique_ptr<RowSink> OpenSink(const RowDesc& desc, const SinkOptions& options, int subtask,
                                  int parallelism);

}  // namespace dfc::rt
