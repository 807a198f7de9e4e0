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
#include <vector>

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
// Values are written the same way by CSV, JSON and print (JSON quotes timestamps and non-finite
// doubles):
//   BOOLEAN    true / false (case-insensitive on input)
//   INT/BIGINT decimal; input is strict (std::from_chars, optional '+', no spaces or trailing
//              junk) and range-checked: `field 'n' (2): '3000000000' is out of range for INT`
//   DOUBLE     shortest round-trip digits in Java's Double.toString layout, as Flink prints:
//              1.0, 0.001, 1234567.5, 1.0E7, 1.5E-4, NaN, Infinity, -Infinity
//   TIMESTAMP  `YYYY-MM-DD HH:MM:SS.fff` (UTC, always 3 fractional digits, Flink's SQL form);
//              input accepts that form (' ' or 'T', 0-9 fractional digits truncated to
//              milliseconds, optional 'Z') or epoch milliseconds as an integer
// Parse errors set `*error` naming the field and quoting the bad text, e.g.
// `field 'price' (3): cannot parse 'abc' as BIGINT` (1-based column number).
//
// CSV is RFC 4180: fields separated by `delim`, quoted with '"' when they contain the delimiter,
// a quote, CR or LF ('""' inside quotes); no header row, no trimming. A quote inside an unquoted
// field is kept literally. An empty STRING that is the only column is written as `""`, since
// FileSource skips empty lines of CSV and JSON files. Returns false and sets `*error` on
// malformed input.
bool ParseCsv(std::string_view line, char delim, const RowDesc& desc, void* row, std::string* error);
void FormatCsv(const RowDesc& desc, const void* row, char delim, std::string* out);  // appends
// JSON lines: one object per line, keys = column names; fields written in declared order;
// unknown keys (with any nested value) are ignored on input; missing keys, duplicate keys and null
// are errors (columns are NOT NULL). Strict RFC 8259 syntax; \u escapes incl. surrogate pairs
// decode to UTF-8 (other bytes pass through unvalidated). Output is compact (`{"a":1,"b":"x"}`);
// strings escape '"', '\\', \b \f \n \r \t and other control characters as \u00XX.
// Input leniency (as Flink's JSON format): a quoted value for a non-STRING column is parsed as
// CSV text ("42", "NaN"), and a non-string value for a STRING column keeps its JSON text.
bool ParseJson(std::string_view line, const RowDesc& desc, void* row, std::string* error);
void FormatJson(const RowDesc& desc, const void* row, std::string* out);  // appends
// Text: the row type has exactly one STRING column; the line is its value.
bool ParseText(std::string_view line, const RowDesc& desc, void* row, std::string* error);
// Addition: the text format's writer (the single STRING column's value, unescaped).
void FormatText(const RowDesc& desc, const void* row, std::string* out);  // appends
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
// Empty lines (and whitespace-only lines in JSON lines) are skipped, except in the text format.
// Error messages name the source id, the path, the true 1-based line number within the file (a
// subtask starting mid-file counts the newlines before its split lazily, at its first bad record)
// and the byte offset of the line. The dead-letter file is opened for append (O_APPEND, one
// write per record, so subtasks sharing it do not interleave). Not thread-safe: one per subtask.
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

  // ---- checkpoints (two-phase commit; only the exactly-once file sink does anything) ----
  // Before the first Write: start from this subtask's share of the restored entries (empty on a
  // fresh start) of checkpoint `restored_id` (0 = fresh): re-commit what they list as pending,
  // discard everything else this subtask owns.
  virtual void InitializeState(const std::vector<std::string_view>& entries, int64_t restored_id) {}
  // Pre-commit at barrier `checkpoint_id`: make the output so far durable and stage it; writes
  // this subtask's one state entry into `*entry`.
  virtual void SnapshotState(int64_t checkpoint_id, std::string* entry) {}
  // Checkpoint `checkpoint_id` completed: publish everything staged up to it.
  virtual void NotifyCheckpointComplete(int64_t checkpoint_id) {}
};

struct SinkOptions {
  std::string sink_id;
  std::string connector;  // "file" | "print"
  std::string path;       // file
  Format format = Format::kCsv;
  char delimiter = ',';
  // With checkpointing, `file` becomes the exactly-once file sink: `path` is a directory of part
  // files (docs/CHECKPOINTS.md, "The exactly-once file sink").
  bool exactly_once = false;
};

// `print` writes FormatPrint lines to stdout, prefixed with "<subtask+1>> " when parallelism > 1
// (as Flink's print sink does); `file` writes csv/jsonl (or text) lines to `path` (truncated at
// start). Each subtask buffers ~64 KiB and writes whole chunks (one write() per chunk, short
// writes and EINTR retried) under a per-file lock; Flush() hands the buffer to the kernel, it
// does not fsync. The `parallelism` subtasks of one sink node share the file: the first to open
// it truncates it, and the last of the `parallelism` subtasks to Close() fsyncs and closes it.
// Another sink id opening a path in use throws SourceError. Errors name the sink id and path.
// A RowSink destroyed without Close() flushes best-effort and reports failures on stderr.
std::unique_ptr<RowSink> OpenSink(const RowDesc& desc, const SinkOptions& options, int subtask,
                                  int parallelism);

}  // namespace dfc::rt
