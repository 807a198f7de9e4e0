// Built-in scalar functions of the expression language, as generated code calls them
// (`dfc::fn::Substring(v.name, 1, 3)`). The compiler's expression emitter
// (compiler/expr/emit.cc) is the only producer of these calls; the compiler also uses the
// timestamp parser at compile time for TIMESTAMP '...' literals, so both agree.
//
// Contract, matching Flink SQL:
//   - INT/BIGINT arithmetic wraps around in two's complement, as Java (and so Flink's generated
//     code) does; implemented with __builtin_*_overflow, so it is never undefined behaviour.
//   - Integer division and modulo by zero throw std::runtime_error("division by zero") (the
//     runtime reports it as a failure of the operator); MIN / -1 wraps to MIN, MIN % -1 is 0.
//   - CAST(DOUBLE AS INT/BIGINT) truncates toward zero, saturates out of range, NaN -> 0 (Java's
//     narrowing conversion). CAST(BIGINT AS INT) keeps the low 32 bits (Java).
//   - CAST(STRING AS number/BOOLEAN/TIMESTAMP) trims blanks and throws std::runtime_error on
//     malformed input (Flink 1.15+ CAST fails rather than returning NULL; values are NOT NULL).
//   - Strings are UTF-8 bytes compared byte-wise; lengths and positions (CHAR_LENGTH, SUBSTRING,
//     POSITION, LIKE's `_`) count code points; UPPER/LOWER map ASCII letters only (v1).
//   - Timestamps are int64 epoch milliseconds, no time zone (TIMESTAMP(3) is UTC wall time).
// Header-only and light: generated jobs include it through dfc/runtime.h.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace dfc::fn {

// ---------------------------------------------------------------------------------------------
// Integer arithmetic (two's complement wrap-around, as Java).

template <class T>
inline T Add(T a, T b) {
  T r;
  __builtin_add_overflow(a, b, &r);
  return r;
}
template <class T>
inline T Sub(T a, T b) {
  T r;
  __builtin_sub_overflow(a, b, &r);
  return r;
}
template <class T>
inline T Mul(T a, T b) {
  T r;
  __builtin_mul_overflow(a, b, &r);
  return r;
}
template <class T>
inline T Neg(T a) {
  T r;
  __builtin_sub_overflow(T{0}, a, &r);
  return r;
}
template <class T>
inline T Div(T a, T b) {
  if (b == 0) throw std::runtime_error("division by zero");
  if (b == -1) return Neg(a);  // MIN / -1 would trap (SIGFPE); Java wraps to MIN
  return static_cast<T>(a / b);
}
template <class T>
inline T Mod(T a, T b) {
  if (b == 0) throw std::runtime_error("division by zero");
  if (b == -1) return 0;  // MIN % -1 would trap
  return static_cast<T>(a % b);
}
// ABS: MIN stays MIN for integers (Java's Math.abs).
template <class T>
inline T Abs(T a) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::fabs(a);
  } else {
    return a < 0 ? Neg(a) : a;
  }
}

// ---------------------------------------------------------------------------------------------
// Casts.

// Java's (int)/(long) of a double: truncation toward zero, saturation, NaN -> 0.
template <class I>
inline I DoubleToInt(double d) {
  if (std::isnan(d)) return 0;
  // (double)max is max rounded up to a power of two for int64: >= catches it exactly.
  if (d >= static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  if (d <= static_cast<double>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  return static_cast<I>(d);
}
inline int32_t DoubleToInt32(double d) { return DoubleToInt<int32_t>(d); }
inline int64_t DoubleToInt64(double d) { return DoubleToInt<int64_t>(d); }

namespace internal {

inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

[[noreturn]] inline void CastError(std::string_view s, const char* type) {
  throw std::runtime_error("cannot cast '" + std::string(s) + "' to " + type);
}

template <class I>
inline I ParseInt(std::string_view text, const char* type) {
  std::string_view s = TrimBlanks(text);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  I v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) CastError(text, type);
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
inline int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, millis;
};

inline Civil ToCivil(int64_t ms) {
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  // H. Hinnant's civil_from_days.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Civil c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2);
  c.hour = static_cast<int>(rem / 3600000);
  c.minute = static_cast<int>(rem / 60000 % 60);
  c.second = static_cast<int>(rem / 1000 % 60);
  c.millis = static_cast<int>(rem % 1000);
  return c;
}

inline void AppendPadded(std::string& out, int64_t v, int width) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

// Reads 1..max_digits digits (exactly `exact` when > 0) at s[i]; false when none.
inline bool ReadNumber(std::string_view s, size_t& i, int max_digits, int exact, int64_t& v) {
  size_t start = i;
  v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && static_cast<int>(i - start) < max_digits) {
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == start) return false;
  return exact <= 0 || static_cast<int>(i - start) == exact;
}

inline bool MakeTimestamp(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t sec,
                          int64_t ms, int64_t* out) {
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(mo)) || h > 23 ||
      mi > 59 || sec > 59) {
    return false;
  }
  *out = ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
  return true;
}

// UTF-8: byte length of the code point starting with `lead` (1 for stray continuation bytes).
inline size_t CodePointBytes(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// Byte offset of code point `index` (clamped to the end).
inline size_t ByteOffsetOfChar(std::string_view s, int64_t index) {
  size_t i = 0;
  for (int64_t c = 0; c < index && i < s.size(); ++c) {
    i += CodePointBytes(static_cast<unsigned char>(s[i]));
  }
  return std::min(i, s.size());
}

// Shortest round-trip decimal digits of a finite, non-zero |d|: value = 0.DIGITS x 10^(exp+1),
// i.e. DIGITS[0] is the digit at 10^exp.
inline void ShortestDigits(double d, std::string& digits, int& exp) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
  size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e)) {
    if (c != '.') digits += c;
  }
  exp = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
}

}  // namespace internal

inline int32_t ParseInt32(std::string_view s) { return internal::ParseInt<int32_t>(s, "INT"); }
inline int64_t ParseInt64(std::string_view s) { return internal::ParseInt<int64_t>(s, "BIGINT"); }

inline double ParseDouble(std::string_view text) {
  std::string_view s = internal::TrimBlanks(text);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || p != s.data() + s.size() ||
      (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    internal::CastError(text, "DOUBLE");
  }
  return v;
}

// Flink's string-to-boolean: true/t/yes/y/1 and false/f/no/n/0, case-insensitive.
inline bool ParseBool(std::string_view text) {
  std::string_view t = internal::TrimBlanks(text);
  std::string s(t);
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "1") return true;
  if (s == "false" || s == "f" || s == "no" || s == "n" || s == "0") return false;
  internal::CastError(text, "BOOLEAN");
}

// Parses `yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]]` (fraction truncated to milliseconds) into epoch
// milliseconds. Returns false on malformed input or an impossible date.
inline bool TryParseTimestamp(std::string_view text, int64_t* out) {
  std::string_view s = internal::TrimBlanks(text);
  size_t i = 0;
  int64_t y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  auto expect = [&](char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  if (!internal::ReadNumber(s, i, 4, 4, y) || !expect('-') ||
      !internal::ReadNumber(s, i, 2, 0, mo) || !expect('-') ||
      !internal::ReadNumber(s, i, 2, 0, d)) {
    return false;
  }
  if (i < s.size()) {
    if (!expect(' ') && !expect('T')) return false;
    if (!internal::ReadNumber(s, i, 2, 0, h) || !expect(':') ||
        !internal::ReadNumber(s, i, 2, 0, mi)) {
      return false;
    }
    if (expect(':')) {
      if (!internal::ReadNumber(s, i, 2, 0, sec)) return false;
      if (expect('.')) {
        size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (i - start < 3) ms = ms * 10 + (s[i] - '0');
          ++i;
        }
        if (i == start || i - start > 9) return false;
        for (size_t k = i - start; k < 3; ++k) ms *= 10;
      }
    }
  }
  if (i != s.size()) return false;
  return internal::MakeTimestamp(y, mo, d, h, mi, sec, ms, out);
}

inline int64_t ParseTimestamp(std::string_view s) {
  int64_t v = 0;
  if (!TryParseTimestamp(s, &v)) internal::CastError(s, "TIMESTAMP(3)");
  return v;
}

inline std::string IntToString(int64_t v) { return std::to_string(v); }
inline std::string BoolToString(bool v) { return v ? "TRUE" : "FALSE"; }

// Java's Double.toString: shortest round-trip digits; plain notation for 1e-3 <= |d| < 1e7
// ("100.0", "0.001"), else computerized scientific ("1.0E7", "1.5E-4"); NaN, Infinity, -0.0.
inline std::string DoubleToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  std::string digits;
  int exp = 0;
  internal::ShortestDigits(d, digits, exp);
  std::string out = d < 0 ? "-" : "";
  const double a = std::fabs(d);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      std::string int_part = digits.substr(0, std::min<size_t>(digits.size(), exp + 1));
      while (static_cast<int>(int_part.size()) < exp + 1) int_part += '0';
      std::string frac = static_cast<int>(digits.size()) > exp + 1 ? digits.substr(exp + 1) : "0";
      out += int_part + "." + frac;
    } else {
      out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    }
  } else {
    out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
           std::to_string(exp);
  }
  return out;
}

// `yyyy-MM-dd HH:mm:ss.SSS` (Flink's CAST of TIMESTAMP(3) to STRING).
inline std::string TimestampToString(int64_t ms) {
  internal::Civil c = internal::ToCivil(ms);
  std::string out;
  out.reserve(23);
  internal::AppendPadded(out, c.year, 4);
  out += '-';
  internal::AppendPadded(out, c.month, 2);
  out += '-';
  internal::AppendPadded(out, c.day, 2);
  out += ' ';
  internal::AppendPadded(out, c.hour, 2);
  out += ':';
  internal::AppendPadded(out, c.minute, 2);
  out += ':';
  internal::AppendPadded(out, c.second, 2);
  out += '.';
  internal::AppendPadded(out, c.millis, 3);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings.

inline std::string Concat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out += p;
  return out;
}

inline std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Number of UTF-8 code points.
inline int32_t CharLength(std::string_view s) {
  int32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// TRIM / LTRIM / RTRIM remove spaces (' ') only, as Flink does.
inline std::string LTrim(std::string_view s) {
  size_t b = s.find_first_not_of(' ');
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b));
}
inline std::string RTrim(std::string_view s) {
  size_t e = s.find_last_not_of(' ');
  return e == std::string_view::npos ? std::string() : std::string(s.substr(0, e + 1));
}
inline std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return std::string();
  size_t e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e + 1 - b));
}

// SUBSTRING(s, start, len), Flink's rules (BinaryStringDataUtil.substringSQL): 1-based; start 0
// behaves as 1; a negative start counts from the end (-1 = last character); a start past the end
// gives ''. A negative length gives '' (Flink: NULL; values are NOT NULL in v1).
inline std::string Substring(std::string_view s, int64_t start, int64_t len) {
  if (len < 0 || s.empty()) return std::string();
  const int64_t num_chars = CharLength(s);
  int64_t from;
  if (start > 0) {
    from = start - 1;
    if (from >= num_chars) return std::string();
  } else if (start < 0) {
    from = std::max<int64_t>(0, num_chars + start);
  } else {
    from = 0;
  }
  const int64_t to = (num_chars - from) < len ? num_chars : from + len;
  const size_t b = internal::ByteOffsetOfChar(s, from);
  const size_t e = b + internal::ByteOffsetOfChar(s.substr(b), to - from);
  return std::string(s.substr(b, e - b));
}
inline std::string Substring(std::string_view s, int64_t start) {
  return Substring(s, start, std::numeric_limits<int64_t>::max());
}

// REPLACE(s, search, replacement): every non-overlapping occurrence, left to right. An empty
// `search` leaves `s` unchanged.
inline std::string Replace(std::string_view s, std::string_view search, std::string_view repl) {
  if (search.empty()) return std::string(s);
  std::string out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(search, i);
    if (j == std::string_view::npos) break;
    out.append(s.substr(i, j - i));
    out.append(repl);
    i = j + search.size();
  }
  out.append(s.substr(i));
  return out;
}

// POSITION(needle IN hay): 1-based code point index of the first occurrence, 0 when absent,
// 1 for an empty needle.
inline int32_t Position(std::string_view needle, std::string_view hay) {
  size_t j = hay.find(needle);
  if (j == std::string_view::npos) return 0;
  return CharLength(hay.substr(0, j)) + 1;
}

// s LIKE pattern: `%` matches any sequence, `_` exactly one code point; no escape character.
inline bool Like(std::string_view s, std::string_view p) {
  size_t si = 0, pi = 0;
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = pi++;
      star_s = si;
    } else if (pi < p.size() && p[pi] == '_') {
      ++pi;
      si += internal::CodePointBytes(static_cast<unsigned char>(s[si]));
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star_p != std::string_view::npos) {
      // Let the last % absorb one more code point and retry.
      pi = star_p + 1;
      star_s += internal::CodePointBytes(static_cast<unsigned char>(s[star_s]));
      si = star_s;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size() && si == s.size();
}

// ---------------------------------------------------------------------------------------------
// Math.

// ROUND(x, d) for DOUBLE, as Flink: HALF_UP on the shortest decimal representation of x
// (BigDecimal.valueOf(x)), so ROUND(2.675, 2) = 2.68.
inline double Round(double x, int32_t d) {
  if (!std::isfinite(x) || x == 0) return x;
  std::string digits;
  int exp = 0;
  internal::ShortestDigits(x, digits, exp);
  // Digits kept: those at 10^exp down to 10^-d.
  const int64_t keep = static_cast<int64_t>(exp) + 1 + d;
  if (keep >= static_cast<int64_t>(digits.size())) return x;
  if (keep < 0) return 0.0;
  std::string kept = digits.substr(0, static_cast<size_t>(keep));
  if (digits[static_cast<size_t>(keep)] >= '5') {
    int i = static_cast<int>(kept.size()) - 1;
    while (i >= 0 && kept[i] == '9') kept[i--] = '0';
    if (i >= 0) {
      ++kept[i];
    } else {
      kept.insert(kept.begin(), '1');  // the last digit's scale (10^-d) is unchanged
    }
  }
  if (kept.empty()) return 0.0;
  // value = kept x 10^-d
  std::string text = kept + "e" + std::to_string(-static_cast<int64_t>(d));
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return x < 0 ? -v : v;
}
// ROUND of an integer: d >= 0 is the identity; d < 0 rounds HALF_UP to 10^-d (wraps on overflow).
template <class T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
inline T Round(T x, int32_t d) {
  if (d >= 0) return x;
  if (d < -18) return 0;
  int64_t factor = 1;
  for (int i = 0; i < -d; ++i) factor *= 10;
  const int64_t v = x;
  const int64_t r = v % factor;
  int64_t q = v - r;
  const int64_t abs_r = r < 0 ? -r : r;
  if (abs_r * 2 >= factor) q = v < 0 ? Sub<int64_t>(q, factor) : Add<int64_t>(q, factor);
  return static_cast<T>(q);
}

// ---------------------------------------------------------------------------------------------
// IN / BETWEEN over an already-coerced common type T.

template <class T>
inline bool In(const std::type_identity_t<T>& x, std::initializer_list<T> list) {
  for (const T& v : list) {
    if (x == v) return true;
  }
  return false;
}
template <class T>
inline bool Between(const std::type_identity_t<T>& x, const std::type_identity_t<T>& lo,
                    const std::type_identity_t<T>& hi) {
  return lo <= x && x <= hi;
}

// ---------------------------------------------------------------------------------------------
// Time.

inline int64_t ExtractYear(int64_t ts) { return internal::ToCivil(ts).year; }
inline int64_t ExtractMonth(int64_t ts) { return internal::ToCivil(ts).month; }
inline int64_t ExtractDay(int64_t ts) { return internal::ToCivil(ts).day; }
inline int64_t ExtractHour(int64_t ts) { return internal::ToCivil(ts).hour; }
inline int64_t ExtractMinute(int64_t ts) { return internal::ToCivil(ts).minute; }
inline int64_t ExtractSecond(int64_t ts) { return internal::ToCivil(ts).second; }

// DATE_FORMAT(ts, pattern) with a subset of Java's date patterns: yyyy yy MM M dd d HH H mm m
// ss s SSS (milliseconds), 'quoted text' ('' is a quote); other ASCII letters throw; any other
// character is copied.
inline std::string DateFormat(int64_t ts, std::string_view fmt) {
  const internal::Civil c = internal::ToCivil(ts);
  std::string out;
  for (size_t i = 0; i < fmt.size();) {
    const char ch = fmt[i];
    if (ch == '\'') {
      size_t j = i + 1;
      if (j < fmt.size() && fmt[j] == '\'') {
        out += '\'';
        i = j + 1;
        continue;
      }
      while (j < fmt.size()) {
        if (fmt[j] == '\'') {
          if (j + 1 < fmt.size() && fmt[j + 1] == '\'') {
            out += '\'';
            j += 2;
            continue;
          }
          break;
        }
        out += fmt[j++];
      }
      i = j + 1;
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
      out += ch;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < fmt.size() && fmt[j] == ch) ++j;
    const int n = static_cast<int>(j - i);
    switch (ch) {
      case 'y':
        if (n == 2) {
          internal::AppendPadded(out, ((c.year % 100) + 100) % 100, 2);
        } else {
          internal::AppendPadded(out, c.year, n);
        }
        break;
      case 'M': internal::AppendPadded(out, c.month, n); break;
      case 'd': internal::AppendPadded(out, c.day, n); break;
      case 'H': internal::AppendPadded(out, c.hour, n); break;
      case 'm': internal::AppendPadded(out, c.minute, n); break;
      case 's': internal::AppendPadded(out, c.second, n); break;
      case 'S': internal::AppendPadded(out, c.millis, n); break;
      default:
        throw std::runtime_error("DATE_FORMAT: unsupported pattern letter '" + std::string(1, ch) +
                                 "'");
    }
    i = j;
  }
  return out;
}

// TO_TIMESTAMP(s, pattern): parses with the DATE_FORMAT pattern subset; throws on mismatch.
inline int64_t ToTimestamp(std::string_view s, std::string_view fmt) {
  int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, ms = 0;
  size_t si = 0;
  auto fail = [&]() {
    throw std::runtime_error("TO_TIMESTAMP: '" + std::string(s) + "' does not match '" +
                             std::string(fmt) + "'");
  };
  for (size_t i = 0; i < fmt.size();) {
    const char ch = fmt[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
      if (ch == '\'') {
        // Quoted literal text must match as is.
        size_t j = i + 1;
        while (j < fmt.size() && fmt[j] != '\'') {
          if (si >= s.size() || s[si] != fmt[j]) fail();
          ++si;
          ++j;
        }
        i = j + 1;
        continue;
      }
      if (si >= s.size() || s[si] != ch) fail();
      ++si;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < fmt.size() && fmt[j] == ch) ++j;
    const int n = static_cast<int>(j - i);
    int64_t v = 0;
    const int max_digits = ch == 'y' ? (n == 2 ? 2 : 4) : ch == 'S' ? n : 2;
    if (!internal::ReadNumber(s, si, max_digits, 0, v)) fail();
    switch (ch) {
      case 'y': y = n == 2 ? 2000 + v : v; break;
      case 'M': mo = v; break;
      case 'd': d = v; break;
      case 'H': h = v; break;
      case 'm': mi = v; break;
      case 's': sec = v; break;
      case 'S':
        ms = v;
        for (int k = n; k < 3; ++k) ms *= 10;
        for (int k = 3; k < n; ++k) ms /= 10;
        break;
      default:
        throw std::runtime_error("TO_TIMESTAMP: unsupported pattern letter '" +
                                 std::string(1, ch) + "'");
    }
    i = j;
  }
  int64_t out = 0;
  if (si != s.size() || !internal::MakeTimestamp(y, mo, d, h, mi, sec, ms, &out)) fail();
  return out;
}

}  // namespace dfc::fn
