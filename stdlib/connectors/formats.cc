// CSV, JSON lines, text and print formats over type-erased rows (see dfc/connectors.h for the
// contract and the exact textual forms of each SQL type).
//
// Everything here is on the per-record path: no allocation beyond what the row's strings need
// (std::string::assign reuses capacity), numbers via std::from_chars / std::to_chars, and error
// text is only built once a record is already known to be bad.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "dfc/connectors.h"

namespace dfc::rt {

Format ParseFormat(std::string_view s) {
  if (s == "text") return Format::kText;
  if (s == "csv") return Format::kCsv;
  if (s == "jsonl" || s == "json") return Format::kJsonLines;
  throw std::invalid_argument("unknown format '" + std::string(s) +
                              "' (expected text, csv, jsonl or json)");
}

OnError ParseOnError(std::string_view s) {
  if (s == "fail") return OnError::kFail;
  if (s == "skip") return OnError::kSkip;
  if (s == "dead_letter") return OnError::kDeadLetter;
  throw std::invalid_argument("unknown on_error policy '" + std::string(s) +
                              "' (expected fail, skip or dead_letter)");
}

namespace {

inline void* FieldAddr(const FieldDesc& f, const void* row) {
  return f.access(const_cast<void*>(row));
}

// Bad input can be megabytes long; error messages quote only its start.
constexpr size_t kMaxQuotedInError = 80;

void AppendSnippet(std::string_view text, std::string* out) {
  out->push_back('\'');
  if (text.size() > kMaxQuotedInError) {
    out->append(text.substr(0, kMaxQuotedInError));
    out->append("...");
  } else {
    out->append(text);
  }
  out->push_back('\'');
}

// "field 'price' (3): " — the 1-based column number helps with headerless CSV.
void StartFieldError(const RowDesc& desc, int i, std::string* error) {
  error->assign("field '");
  error->append(desc.fields[i].name);
  error->append("' (");
  error->append(std::to_string(i + 1));
  error->append("): ");
}

void SetCannotParse(const RowDesc& desc, int i, std::string_view text, std::string* error) {
  StartFieldError(desc, i, error);
  error->append("cannot parse ");
  AppendSnippet(text, error);
  error->append(" as ");
  error->append(FieldTypeName(desc.fields[i].type));
}

void SetOutOfRange(const RowDesc& desc, int i, std::string_view text, std::string* error) {
  StartFieldError(desc, i, error);
  AppendSnippet(text, error);
  error->append(" is out of range for ");
  error->append(FieldTypeName(desc.fields[i].type));
}

// ---- scalar parsing (shared by CSV and JSON) ----

enum class ScalarResult { kOk, kBad, kOutOfRange };

// from_chars rejects a leading '+'; people write it, so accept one before a digit or '.'.
inline std::string_view SkipPlus(std::string_view s) {
  if (s.size() >= 2 && s[0] == '+' && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.'))
    s.remove_prefix(1);
  return s;
}

template <class T>
ScalarResult ParseInteger(std::string_view s, T* out) {
  s = SkipPlus(s);
  if (s.empty()) return ScalarResult::kBad;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc::result_out_of_range) {
    // Only "out of range" when the whole text is a number; "99999999999x" is just bad.
    const char* p = s.data() + (s[0] == '-' ? 1 : 0);
    const char* end = s.data() + s.size();
    while (p < end && *p >= '0' && *p <= '9') ++p;
    return p == end ? ScalarResult::kOutOfRange : ScalarResult::kBad;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) return ScalarResult::kBad;
  return ScalarResult::kOk;
}

ScalarResult ParseDouble(std::string_view s, double* out) {
  s = SkipPlus(s);
  if (s.empty()) return ScalarResult::kBad;
  // from_chars also accepts inf/infinity/nan in any case, which covers our own NaN/Infinity output.
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, std::chars_format::general);
  if (ptr != s.data() + s.size()) return ScalarResult::kBad;
  if (ec == std::errc::result_out_of_range) return ScalarResult::kOutOfRange;
  if (ec != std::errc()) return ScalarResult::kBad;
  return ScalarResult::kOk;
}

inline bool EqualsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

ScalarResult ParseBool(std::string_view s, bool* out) {
  if (EqualsIgnoreCase(s, "true")) {
    *out = true;
    return ScalarResult::kOk;
  }
  if (EqualsIgnoreCase(s, "false")) {
    *out = false;
    return ScalarResult::kOk;
  }
  return ScalarResult::kBad;
}

// Proleptic Gregorian calendar <-> days since 1970-01-01 (H. Hinnant's algorithms): exact for
// every int64 millisecond value, negative ones included.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at s[*p].
bool ReadDigits(std::string_view s, size_t* p, int n, int64_t* out) {
  if (*p + n > s.size()) return false;
  int64_t v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[*p + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return true;
}

// `[-]YYYY-MM-DD[( |T)HH:MM:SS[.f{1,9}]][Z]`, UTC; the year has 4 to 9 digits so that every int64
// millisecond value written by AppendTimestamp reads back. Digits beyond milliseconds truncate.
ScalarResult ParseSqlTimestamp(std::string_view s, int64_t* out) {
  size_t p = 0;
  bool negative_year = false;
  if (p < s.size() && s[p] == '-') {
    negative_year = true;
    ++p;
  }
  size_t year_end = p;
  while (year_end < s.size() && s[year_end] >= '0' && s[year_end] <= '9') ++year_end;
  const int year_digits = static_cast<int>(year_end - p);
  if (year_digits < 4 || year_digits > 9) return ScalarResult::kBad;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  ReadDigits(s, &p, year_digits, &year);
  if (negative_year) year = -year;
  if (p >= s.size() || s[p++] != '-' || !ReadDigits(s, &p, 2, &month)) return ScalarResult::kBad;
  if (p >= s.size() || s[p++] != '-' || !ReadDigits(s, &p, 2, &day)) return ScalarResult::kBad;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, static_cast<int>(month)))
    return ScalarResult::kBad;
  if (p < s.size() && (s[p] == ' ' || s[p] == 'T')) {
    ++p;
    if (!ReadDigits(s, &p, 2, &hour) || p >= s.size() || s[p++] != ':' ||
        !ReadDigits(s, &p, 2, &minute) || p >= s.size() || s[p++] != ':' ||
        !ReadDigits(s, &p, 2, &second))
      return ScalarResult::kBad;
    if (hour > 23 || minute > 59 || second > 59) return ScalarResult::kBad;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int digits = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9' && digits < 9) {
        if (digits < 3) millis = millis * 10 + (s[p] - '0');
        ++digits;
        ++p;
      }
      if (digits == 0) return ScalarResult::kBad;
      for (int k = digits; k < 3; ++k) millis *= 10;
    }
  }
  if (p < s.size() && s[p] == 'Z') ++p;
  if (p != s.size()) return ScalarResult::kBad;
  int64_t days = DaysFromCivil(year, month, day);
  int64_t time_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  if (days < 0) {
    // Near INT64_MIN, days * 86400000 alone would overflow though the sum does not.
    days += 1;
    time_of_day -= 86400000;
  }
  int64_t ms;
  if (__builtin_mul_overflow(days, int64_t{86400000}, &ms) ||
      __builtin_add_overflow(ms, time_of_day, &ms))
    return ScalarResult::kOutOfRange;
  *out = ms;
  return ScalarResult::kOk;
}

ScalarResult ParseTimestamp(std::string_view s, int64_t* out) {
  int64_t millis;
  const ScalarResult r = ParseInteger(s, &millis);
  if (r == ScalarResult::kOk) *out = millis;
  if (r != ScalarResult::kBad) return r;
  return ParseSqlTimestamp(s, out);
}

// Parses `text` into field i of `row`; on failure sets `*error` and returns false.
bool ParseField(const RowDesc& desc, int i, std::string_view text, void* row, std::string* error) {
  const FieldDesc& f = desc.fields[i];
  void* dst = f.access(row);
  ScalarResult r;
  switch (f.type) {
    case FieldType::kString:
      static_cast<std::string*>(dst)->assign(text.data(), text.size());
      return true;
    case FieldType::kBool:
      r = ParseBool(text, static_cast<bool*>(dst));
      break;
    case FieldType::kInt32:
      r = ParseInteger(text, static_cast<int32_t*>(dst));
      break;
    case FieldType::kInt64:
      r = ParseInteger(text, static_cast<int64_t*>(dst));
      break;
    case FieldType::kDouble:
      r = ParseDouble(text, static_cast<double*>(dst));
      break;
    case FieldType::kTimestamp:
      r = ParseTimestamp(text, static_cast<int64_t*>(dst));
      break;
    default:
      r = ScalarResult::kBad;
  }
  if (r == ScalarResult::kOk) return true;
  if (r == ScalarResult::kOutOfRange) {
    SetOutOfRange(desc, i, text, error);
  } else {
    SetCannotParse(desc, i, text, error);
  }
  return false;
}

// ---- scalar formatting (shared by CSV, JSON and print) ----

// Java's Double.toString layout (what Flink prints) over the shortest round-trip digits:
// plain notation with at least one fractional digit for 1e-3 <= |v| < 1e7 ("1.0", "0.001",
// "1234567.5"), otherwise "d.dddE<exp>" ("1.0E7", "1.5E-4"); "NaN", "Infinity", "-Infinity".
// Returns the number of characters written to buf (which must hold 40).
size_t FormatDoubleJava(double v, char* buf) {
  if (std::isnan(v)) {
    std::memcpy(buf, "NaN", 3);
    return 3;
  }
  if (std::isinf(v)) {
    if (v < 0) {
      std::memcpy(buf, "-Infinity", 9);
      return 9;
    }
    std::memcpy(buf, "Infinity", 8);
    return 8;
  }
  char sci[40];
  const auto res = std::to_chars(sci, sci + sizeof(sci), v, std::chars_format::scientific);
  const char* p = sci;
  const char* end = res.ptr;
  char* o = buf;
  if (*p == '-') *o++ = *p++;
  // Digits without the point, then the decimal exponent of the first digit.
  char digits[24];
  int n = 0;
  while (p < end && *p != 'e') {
    if (*p != '.') digits[n++] = *p;
    ++p;
  }
  int exp = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exp);
  if (exp >= -3 && exp < 7) {
    if (exp >= 0) {
      for (int k = 0; k <= exp; ++k) *o++ = k < n ? digits[k] : '0';
      *o++ = '.';
      if (n > exp + 1) {
        for (int k = exp + 1; k < n; ++k) *o++ = digits[k];
      } else {
        *o++ = '0';
      }
    } else {
      *o++ = '0';
      *o++ = '.';
      for (int k = 0; k < -exp - 1; ++k) *o++ = '0';
      for (int k = 0; k < n; ++k) *o++ = digits[k];
    }
  } else {
    *o++ = digits[0];
    *o++ = '.';
    if (n > 1) {
      for (int k = 1; k < n; ++k) *o++ = digits[k];
    } else {
      *o++ = '0';
    }
    *o++ = 'E';
    o = std::to_chars(o, buf + 40, exp).ptr;
  }
  return static_cast<size_t>(o - buf);
}

void Append2(int v, char* o) {
  o[0] = static_cast<char>('0' + v / 10);
  o[1] = static_cast<char>('0' + v % 10);
}

// `YYYY-MM-DD HH:MM:SS.fff` (UTC). Years outside 0..9999 get a sign / more digits, which
// ParseSqlTimestamp reads back. Returns the number of characters written (buf holds 40).
size_t FormatTimestamp(int64_t ms, char* buf) {
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  int64_t year;
  int month, day;
  CivilFromDays(days, &year, &month, &day);
  char* o = buf;
  if (year >= 0 && year <= 9999) {
    Append2(static_cast<int>(year / 100), o);
    Append2(static_cast<int>(year % 100), o + 2);
    o += 4;
  } else {
    if (year < 0) *o++ = '-';
    const int64_t a = year < 0 ? -year : year;
    char tmp[24];
    char* t = std::to_chars(tmp, tmp + sizeof(tmp), a).ptr;
    for (int64_t k = t - tmp; k < 4; ++k) *o++ = '0';
    std::memcpy(o, tmp, t - tmp);
    o += t - tmp;
  }
  const int millis = static_cast<int>(rem % 1000);
  const int secs = static_cast<int>(rem / 1000);
  *o++ = '-';
  Append2(month, o);
  o += 2;
  *o++ = '-';
  Append2(day, o);
  o += 2;
  *o++ = ' ';
  Append2(secs / 3600, o);
  o += 2;
  *o++ = ':';
  Append2(secs / 60 % 60, o);
  o += 2;
  *o++ = ':';
  Append2(secs % 60, o);
  o += 2;
  *o++ = '.';
  *o++ = static_cast<char>('0' + millis / 100);
  Append2(millis % 100, o);
  o += 2;
  return static_cast<size_t>(o - buf);
}

// Formats a non-string field into buf (40 bytes); returns its length.
size_t FormatScalar(FieldType type, const void* src, char* buf) {
  switch (type) {
    case FieldType::kBool:
      if (*static_cast<const bool*>(src)) {
        std::memcpy(buf, "true", 4);
        return 4;
      }
      std::memcpy(buf, "false", 5);
      return 5;
    case FieldType::kInt32:
      return std::to_chars(buf, buf + 40, *static_cast<const int32_t*>(src)).ptr - buf;
    case FieldType::kInt64:
      return std::to_chars(buf, buf + 40, *static_cast<const int64_t*>(src)).ptr - buf;
    case FieldType::kDouble:
      return FormatDoubleJava(*static_cast<const double*>(src), buf);
    case FieldType::kTimestamp:
      return FormatTimestamp(*static_cast<const int64_t*>(src), buf);
    default:
      return 0;
  }
}

// ---- JSON reading ----

class JsonReader {
 public:
  JsonReader(std::string_view text, std::string* error)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), error_(error) {}

  void SkipWs() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool AtEnd() const { return p_ == end_; }
  char Peek() const { return p_ < end_ ? *p_ : '\0'; }
  bool Consume(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  const char* pos() const { return p_; }

  bool Fail(std::string_view what) {
    error_->assign("invalid JSON at column ");
    error_->append(std::to_string(p_ - begin_ + 1));
    error_->append(": ");
    error_->append(what);
    return false;
  }
  bool Expect(char c, const char* what) { return Consume(c) || Fail(what); }

  // Reads a string (at its opening quote). When it has no escapes, `*raw` views it in place and
  // `out` is untouched; otherwise it is decoded into `*out` and `*raw` views `*out`.
  bool ReadString(std::string* out, std::string_view* raw) {
    ++p_;  // opening quote
    const char* run = p_;
    bool decoded = false;
    for (;;) {
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20)
        ++p_;
      if (p_ == end_) return Fail("unterminated string");
      const char c = *p_;
      if (c == '"') {
        if (!decoded) {
          *raw = std::string_view(run, p_ - run);
        } else {
          out->append(run, p_ - run);
          *raw = *out;
        }
        ++p_;
        return true;
      }
      if (c != '\\') return Fail("unescaped control character in string");
      if (!decoded) {
        out->clear();
        decoded = true;
      }
      out->append(run, p_ - run);
      ++p_;
      if (p_ == end_) return Fail("unterminated string");
      switch (*p_++) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("unpaired low surrogate in \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = 0;
            if (!(Consume('\\') && Consume('u'))) return Fail("unpaired high surrogate in \\u escape");
            if (!ReadHex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return Fail("unpaired high surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --p_;
          return Fail("invalid escape in string");
      }
      run = p_;
    }
  }

  // Skips one value (validating it); `*span` is its raw text.
  bool SkipValue(std::string_view* span, int depth = 0) {
    if (depth > 256) return Fail("nesting too deep");
    const char* start = p_;
    const char c = Peek();
    bool ok;
    if (c == '"') {
      std::string_view unused;
      ok = ReadString(&scratch_, &unused);
    } else if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++p_;
      SkipWs();
      ok = true;
      if (!Consume(close)) {
        for (;;) {
          std::string_view unused;
          if (c == '{') {
            if (Peek() != '"') return Fail("expected a key string");
            if (!ReadString(&scratch_, &unused)) return false;
            SkipWs();
            if (!Expect(':', "expected ':'")) return false;
            SkipWs();
          }
          if (!SkipValue(&unused, depth + 1)) return false;
          SkipWs();
          if (Consume(',')) {
            SkipWs();
            continue;
          }
          if (Consume(close)) break;
          return Fail(c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
      }
    } else if (c == 't') {
      ok = Literal("true");
    } else if (c == 'f') {
      ok = Literal("false");
    } else if (c == 'n') {
      ok = Literal("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ok = Number();
    } else {
      return Fail(AtEnd() ? "unexpected end of input" : "expected a value");
    }
    if (!ok) return false;
    *span = std::string_view(start, p_ - start);
    return true;
  }

 private:
  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
      return Fail("invalid literal");
    p_ += word.size();
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool Number() {
    Consume('-');
    if (Consume('0')) {
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    } else {
      return Fail("invalid number");
    }
    if (Consume('.')) {
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid number");
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++p_;
      if (!Consume('+')) Consume('-');
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("invalid number");
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    }
    return true;
  }

  bool ReadHex4(uint32_t* cp) {
    if (end_ - p_ < 4) return Fail("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = *p_++;
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= h - '0';
      } else if (h >= 'a' && h <= 'f') {
        v |= h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        v |= h - 'A' + 10;
      } else {
        --p_;
        return Fail("invalid hex digit in \\u escape");
      }
    }
    *cp = v;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string* error_;
  std::string scratch_;  // decoded text of skipped strings (discarded)
};

// Field lookup by key: tries the field after the previous one first, since producers usually
// write keys in the declared order; falls back to a linear scan.
int FindField(const RowDesc& desc, std::string_view key, int hint) {
  const int n = desc.num_fields;
  for (int k = 0; k < n; ++k) {
    int i = hint + k;
    if (i >= n) i -= n;
    const char* name = desc.fields[i].name;
    if (std::strncmp(name, key.data(), key.size()) == 0 && name[key.size()] == '\0') return i;
  }
  return -1;
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* run = s.data();
  const char* end = s.data() + s.size();
  for (const char* p = run; p < end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(run, p - run);
    run = p + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(esc, 6);
      }
    }
  }
  out->append(run, end - run);
  out->push_back('"');
}

}  // namespace

// ---- CSV ----

bool ParseCsv(std::string_view line, char delim, const RowDesc& desc, void* row,
              std::string* error) {
  // Quoted non-string fields with "" inside are rare; they are unescaped here.
  thread_local std::string unquoted;
  const char* const base = line.data();
  const size_t n = line.size();
  const int nf = desc.num_fields;
  size_t p = 0;
  for (int i = 0; i < nf; ++i) {
    if (p < n && base[p] == '"') {
      // Quoted: '""' is a quote; the closing quote must end the field.
      const FieldDesc& f = desc.fields[i];
      std::string* dst =
          f.type == FieldType::kString ? static_cast<std::string*>(f.access(row)) : &unquoted;
      dst->clear();
      ++p;
      for (;;) {
        const char* q = static_cast<const char*>(std::memchr(base + p, '"', n - p));
        if (q == nullptr) {
          StartFieldError(desc, i, error);
          error->append("unterminated quoted value");
          return false;
        }
        const size_t qi = q - base;
        dst->append(base + p, qi - p);
        if (qi + 1 < n && base[qi + 1] == '"') {
          dst->push_back('"');
          p = qi + 2;
          continue;
        }
        p = qi + 1;
        break;
      }
      if (p < n && base[p] != delim) {
        StartFieldError(desc, i, error);
        error->append("unexpected ");
        AppendSnippet(line.substr(p, 1), error);
        error->append(" after closing quote");
        return false;
      }
      if (f.type != FieldType::kString && !ParseField(desc, i, *dst, row, error)) return false;
    } else {
      // Unquoted: runs to the next delimiter; a quote inside is kept literally (lenient, as most
      // CSV readers are, for data like `5" screen`).
      const char* q = static_cast<const char*>(std::memchr(base + p, delim, n - p));
      const size_t e = q ? static_cast<size_t>(q - base) : n;
      if (!ParseField(desc, i, line.substr(p, e - p), row, error)) return false;
      p = e;
    }
    if (i + 1 < nf) {
      if (p >= n) {
        error->assign("expected " + std::to_string(nf) + " fields, got " + std::to_string(i + 1));
        return false;
      }
      ++p;  // the delimiter
    }
  }
  if (p < n) {
    // Count the extra fields (quote-aware) for the message.
    int got = nf;
    bool quoted = false;
    for (size_t k = p; k < n; ++k) {
      if (line[k] == '"') quoted = !quoted;
      if (!quoted && line[k] == delim) ++got;
    }
    error->assign("expected " + std::to_string(nf) + " fields, got " + std::to_string(got));
    return false;
  }
  return true;
}

void FormatCsv(const RowDesc& desc, const void* row, char delim, std::string* out) {
  const int nf = desc.num_fields;
  char buf[40];
  for (int i = 0; i < nf; ++i) {
    if (i > 0) out->push_back(delim);
    const FieldDesc& f = desc.fields[i];
    const void* src = FieldAddr(f, row);
    if (f.type == FieldType::kString) {
      const std::string& s = *static_cast<const std::string*>(src);
      bool quote = s.empty() && nf == 1;  // else an empty line, which readers skip
      for (const char c : s) {
        if (c == delim || c == '"' || c == '\n' || c == '\r') {
          quote = true;
          break;
        }
      }
      if (!quote) {
        out->append(s);
        continue;
      }
      out->push_back('"');
      size_t run = 0;
      for (size_t k = 0; k < s.size(); ++k) {
        if (s[k] == '"') {
          out->append(s, run, k + 1 - run);  // includes this quote
          out->push_back('"');
          run = k + 1;
        }
      }
      out->append(s, run, std::string::npos);
      out->push_back('"');
    } else {
      const size_t len = FormatScalar(f.type, src, buf);
      // Only an unusual delimiter (say '-' or '.') can occur in a formatted number or timestamp.
      if (std::memchr(buf, delim, len) != nullptr) {
        out->push_back('"');
        out->append(buf, len);
        out->push_back('"');
      } else {
        out->append(buf, len);
      }
    }
  }
}

// ---- JSON lines ----

bool ParseJson(std::string_view line, const RowDesc& desc, void* row, std::string* error) {
  thread_local std::vector<uint8_t> seen;
  thread_local std::string key_buf;
  thread_local std::string value_buf;
  const int nf = desc.num_fields;
  seen.assign(nf, 0);
  JsonReader r(line, error);
  r.SkipWs();
  if (!r.Expect('{', "expected '{'")) return false;
  r.SkipWs();
  int hint = 0;
  if (!r.Consume('}')) {
    for (;;) {
      if (r.Peek() != '"') return r.Fail("expected a key string");
      std::string_view key;
      if (!r.ReadString(&key_buf, &key)) return false;
      r.SkipWs();
      if (!r.Expect(':', "expected ':'")) return false;
      r.SkipWs();
      const int i = FindField(desc, key, hint);
      if (i < 0) {
        std::string_view unused;
        if (!r.SkipValue(&unused)) return false;
      } else {
        if (seen[i]) {
          StartFieldError(desc, i, error);
          error->append("duplicate key");
          return false;
        }
        seen[i] = 1;
        hint = i + 1;
        const FieldDesc& f = desc.fields[i];
        if (r.Peek() == '"') {
          std::string_view text;
          if (f.type == FieldType::kString) {
            std::string* dst = static_cast<std::string*>(f.access(row));
            if (!r.ReadString(dst, &text)) return false;
            if (text.data() != dst->data()) dst->assign(text.data(), text.size());
          } else {
            // Quoted scalars ("42", "2024-01-01 00:00:00", "NaN") parse like CSV text.
            if (!r.ReadString(&value_buf, &text)) return false;
            if (!ParseField(desc, i, text, row, error)) return false;
          }
        } else {
          std::string_view span;
          if (!r.SkipValue(&span)) return false;
          if (span == "null") {
            StartFieldError(desc, i, error);
            error->append("null is not allowed (NOT NULL)");
            return false;
          }
          // A non-string value for a STRING column keeps its JSON text, as Flink does. For other
          // types the strict scalar parsers reject mismatches ('true' as INT, '1.5' as INT: from_chars
          // stops at the '.').
          if (!ParseField(desc, i, span, row, error)) return false;
        }
      }
      r.SkipWs();
      if (r.Consume(',')) {
        r.SkipWs();
        continue;
      }
      if (r.Consume('}')) break;
      return r.Fail("expected ',' or '}'");
    }
  }
  r.SkipWs();
  if (!r.AtEnd()) return r.Fail("unexpected text after the object");
  for (int i = 0; i < nf; ++i) {
    if (!seen[i]) {
      StartFieldError(desc, i, error);
      error->append("missing");
      return false;
    }
  }
  return true;
}

void FormatJson(const RowDesc& desc, const void* row, std::string* out) {
  char buf[40];
  out->push_back('{');
  for (int i = 0; i < desc.num_fields; ++i) {
    if (i > 0) out->push_back(',');
    const FieldDesc& f = desc.fields[i];
    AppendJsonString(f.name, out);
    out->push_back(':');
    const void* src = FieldAddr(f, row);
    switch (f.type) {
      case FieldType::kString:
        AppendJsonString(*static_cast<const std::string*>(src), out);
        break;
      case FieldType::kTimestamp:
        out->push_back('"');
        out->append(buf, FormatScalar(f.type, src, buf));
        out->push_back('"');
        break;
      case FieldType::kDouble: {
        const double v = *static_cast<const double*>(src);
        const size_t len = FormatScalar(f.type, src, buf);
        // JSON has no NaN/Infinity: quote them (Jackson's default), ParseJson reads them back.
        if (!std::isfinite(v)) out->push_back('"');
        out->append(buf, len);
        if (!std::isfinite(v)) out->push_back('"');
        break;
      }
      default:
        out->append(buf, FormatScalar(f.type, src, buf));
    }
  }
  out->push_back('}');
}

// ---- text and print ----

bool ParseText(std::string_view line, const RowDesc& desc, void* row, std::string* error) {
  if (desc.num_fields != 1 || desc.fields[0].type != FieldType::kString) {
    error->assign("text format needs a row type with exactly one STRING column; '");
    error->append(desc.name);
    error->append("' has ");
    error->append(std::to_string(desc.num_fields));
    error->append(" columns");
    return false;
  }
  static_cast<std::string*>(desc.fields[0].access(row))->assign(line.data(), line.size());
  return true;
}

void FormatText(const RowDesc& desc, const void* row, std::string* out) {
  out->append(*static_cast<const std::string*>(FieldAddr(desc.fields[0], row)));
}

void FormatPrint(const RowDesc& desc, const void* row, std::string* out) {
  char buf[40];
  out->append("+I[");
  for (int i = 0; i < desc.num_fields; ++i) {
    if (i > 0) out->append(", ");
    const FieldDesc& f = desc.fields[i];
    const void* src = FieldAddr(f, row);
    if (f.type == FieldType::kString) {
      out->append(*static_cast<const std::string*>(src));
    } else {
      out->append(buf, FormatScalar(f.type, src, buf));
    }
  }
  out->push_back(']');
}

}  // namespace dfc::rt
