#include "compiler/support/json.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace dfc::compiler::json {

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "boolean";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kObject: return "object";
  }
  return "?";
}

const Member* Value::GetMember(std::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (const Member& m : members) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

const Value* Value::Get(std::string_view key) const {
  const Member* m = GetMember(key);
  return m ? m->value.get() : nullptr;
}

std::string Value::ToJson() const {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBool: return bool_value ? "true" : "false";
    case Kind::kNumber: return raw;
    case Kind::kString: return Quote(str);
    case Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += items[i]->ToJson();
      }
      return out + "]";
    }
    case Kind::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        out += Quote(members[i].key);
        out += ':';
        out += members[i].value->ToJson();
      }
      return out + "}";
    }
  }
  return "null";
}

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Hostile input must not overflow the stack: recursion depth is bounded.
constexpr int kMaxDepth = 256;

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, Diagnostics& diags)
      : text_(text), file_(file), diags_(diags) {}

  std::unique_ptr<Value> ParseDocument() {
    // A UTF-8 byte order mark is not content (editors on Windows write it).
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
    }
    // The first syntax error ends the parse: every function returns false / nullptr after Fail().
    if (!SkipSpace("")) return nullptr;
    auto v = ParseValue("", 0);
    if (!v || !SkipSpace("")) return nullptr;
    if (pos_ < text_.size()) {
      return Fail(Here(""), "unexpected " + Describe() + " after the JSON value"), nullptr;
    }
    return v;
  }

 private:
  SourceLoc Here(const std::string& pointer) const {
    SourceLoc l;
    l.file = file_;
    l.line = line_;
    l.col = static_cast<int>(pos_ - line_start_) + 1;
    l.pointer = pointer;
    return l;
  }

  // Reports a syntax error; always returns false so callers can `return Fail(...)`.
  bool Fail(const SourceLoc& loc, std::string message) {
    diags_.Error(loc, std::move(message));
    return false;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Advances one byte, keeping line/column bookkeeping in one place.
  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  // A short description of what is at the cursor, for "expected X, found Y" messages.
  std::string Describe() const {
    if (AtEnd()) return "end of input";
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c < 0x20 || c >= 0x7f) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
      return buf;
    }
    return std::string("'") + static_cast<char>(c) + "'";
  }

  bool SkipSpace(const std::string& pointer) {
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (!AtEnd() && text_[pos_] != '\n') Advance();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        SourceLoc start = Here(pointer);
        Advance();
        Advance();
        while (true) {
          if (AtEnd()) return Fail(start, "unterminated comment");
          if (text_[pos_] == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
            Advance();
            Advance();
            break;
          }
          Advance();
        }
      } else {
        break;
      }
    }
    return true;
  }

  std::unique_ptr<Value> ParseValue(const std::string& pointer, int depth) {
    auto v = std::make_unique<Value>();
    v->loc = Here(pointer);
    if (AtEnd()) return Fail(v->loc, "expected a JSON value, found end of input"), nullptr;
    char c = Peek();
    bool ok = true;
    if (c == '{' || c == '[') {
      if (depth >= kMaxDepth) {
        return Fail(v->loc, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"),
               nullptr;
      }
      ok = c == '{' ? ParseObject(*v, depth) : ParseArray(*v, depth);
    } else if (c == '"') {
      v->kind = Kind::kString;
      ok = ParseString(pointer, v->str);
    } else if (c == '\'') {
      ok = Fail(v->loc, "strings must use double quotes");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ok = ParseNumber(*v);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_')) {
        Advance();
      }
      std::string_view word = text_.substr(start, pos_ - start);
      if (word == "true" || word == "false") {
        v->kind = Kind::kBool;
        v->bool_value = word == "true";
      } else if (word != "null") {
        ok = Fail(v->loc, "invalid literal '" + std::string(word) +
                              "' (expected true, false, null, a number or a \"string\")");
      }
    } else {
      ok = Fail(v->loc, "expected a JSON value, found " + Describe());
    }
    if (!ok) return nullptr;
    return v;
  }

  bool ParseObject(Value& v, int depth) {
    v.kind = Kind::kObject;
    const std::string& pointer = v.loc.pointer;
    Advance();  // '{'
    while (true) {
      if (!SkipSpace(pointer)) return false;
      if (Peek() == '}') {  // empty object or trailing comma
        Advance();
        return true;
      }
      if (Peek() != '"') {
        return Fail(Here(pointer), Peek() == '\''
                                       ? std::string("strings must use double quotes")
                                       : "expected a \"key\" or '}', found " + Describe());
      }
      Member m;
      m.key_loc = Here(pointer);
      if (!ParseString(pointer, m.key)) return false;
      std::string member_pointer = pointer + "/" + EscapePointerToken(m.key);
      m.key_loc.pointer = member_pointer;
      if (!SkipSpace(pointer)) return false;
      if (Peek() != ':') {
        return Fail(Here(member_pointer), "expected ':' after object key, found " + Describe());
      }
      Advance();
      if (!SkipSpace(member_pointer)) return false;
      m.value = ParseValue(member_pointer, depth + 1);
      if (!m.value) return false;
      // Keep the first definition so later stages see a consistent document, but report the
      // duplicate: a silently ignored key is a bug the user will not find.
      if (const Member* first = v.GetMember(m.key)) {
        diags_.Error(m.key_loc, "duplicate key '" + m.key + "'");
        diags_.Note(first->key_loc, "previous definition of '" + m.key + "' is here");
      } else {
        v.members.push_back(std::move(m));
      }
      if (!SkipSpace(pointer)) return false;
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return true;
      }
      return Fail(Here(pointer), "expected ',' or '}' after object member, found " + Describe());
    }
  }

  bool ParseArray(Value& v, int depth) {
    v.kind = Kind::kArray;
    const std::string& pointer = v.loc.pointer;
    Advance();  // '['
    while (true) {
      if (!SkipSpace(pointer)) return false;
      if (Peek() == ']') {  // empty array or trailing comma
        Advance();
        return true;
      }
      std::string item_pointer = pointer + "/" + std::to_string(v.items.size());
      auto item = ParseValue(item_pointer, depth + 1);
      if (!item) return false;
      v.items.push_back(std::move(item));
      if (!SkipSpace(pointer)) return false;
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return true;
      }
      return Fail(Here(pointer), "expected ',' or ']' after array element, found " + Describe());
    }
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Reads the 4 hex digits of a \u escape; the cursor is on the first digit.
  bool ParseHex4(const SourceLoc& escape_loc, uint32_t& cp) {
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = Peek();
      int d;
      if (h >= '0' && h <= '9') {
        d = h - '0';
      } else if (h >= 'a' && h <= 'f') {
        d = h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        d = h - 'A' + 10;
      } else {
        return Fail(escape_loc, "invalid \\u escape: expected 4 hex digits");
      }
      cp = cp * 16 + static_cast<uint32_t>(d);
      Advance();
    }
    return true;
  }

  // The cursor is on the opening quote; stores the decoded bytes in `out`.
  bool ParseString(const std::string& pointer, std::string& out) {
    SourceLoc start = Here(pointer);
    Advance();
    while (true) {
      if (AtEnd() || Peek() == '\n' || Peek() == '\r') return Fail(start, "unterminated string");
      char c = Peek();
      if (c == '"') {
        Advance();
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Fail(Here(pointer), "control character in string (use an escape such as \\t)");
      }
      if (c != '\\') {
        out += c;
        Advance();
        continue;
      }
      SourceLoc esc = Here(pointer);
      Advance();
      if (AtEnd()) return Fail(start, "unterminated string");
      char e = Peek();
      if (e != '\n') Advance();
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!ParseHex4(esc, cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail(esc, "invalid \\u escape: unpaired low surrogate");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            const char* kUnpaired = "invalid \\u escape: high surrogate not followed by a low surrogate";
            if (Peek() != '\\' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'u') {
              return Fail(esc, kUnpaired);
            }
            SourceLoc esc2 = Here(pointer);
            Advance();
            Advance();
            uint32_t lo;
            if (!ParseHex4(esc2, lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return Fail(esc, kUnpaired);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: {
          unsigned char u = static_cast<unsigned char>(e);
          std::string shown;
          if (u >= 0x20 && u < 0x7f) {
            shown = std::string(1, e);
          } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "x%02x", u);
            shown = buf;
          }
          return Fail(esc, "invalid escape sequence '\\" + shown + "' in string");
        }
      }
    }
  }

  bool ParseNumber(Value& v) {
    v.kind = Kind::kNumber;
    size_t start = pos_;
    auto digit = [&] { return !AtEnd() && Peek() >= '0' && Peek() <= '9'; };
    auto bad = [&](const char* why) {
      // Show the whole token so the message quotes what was written.
      size_t end = pos_;
      while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) ||
                                    text_[end] == '.' || text_[end] == '+' || text_[end] == '-')) {
        ++end;
      }
      return Fail(v.loc,
                  "invalid number '" + std::string(text_.substr(start, end - start)) + "': " + why);
    };
    bool integral = true;
    if (Peek() == '-') Advance();
    if (!digit()) return bad("expected a digit");
    if (Peek() == '0') {
      Advance();
      if (digit()) return bad("leading zeros are not allowed");
    } else {
      while (digit()) Advance();
    }
    if (Peek() == '.') {
      integral = false;
      Advance();
      if (!digit()) return bad("expected a digit after '.'");
      while (digit()) Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      integral = false;
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      if (!digit()) return bad("expected a digit in the exponent");
      while (digit()) Advance();
    }
    if (!AtEnd() && (std::isalpha(static_cast<unsigned char>(Peek())) || Peek() == '_')) {
      return bad("unexpected character after the number");
    }
    v.raw = std::string(text_.substr(start, pos_ - start));
    const char* b = v.raw.data();
    const char* e = b + v.raw.size();
    if (integral) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(b, e, i);
      if (ec == std::errc() && p == e) {
        v.is_integer = true;
        v.integer = i;
      }
    }
    // strtod semantics (overflow to infinity) without its locale dependence would need
    // from_chars plus a fallback; the raw text is what codegen uses, so strtod is fine here.
    v.number = std::strtod(v.raw.c_str(), nullptr);
    return true;
  }
  std::string_view text_;
  const std::string& file_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::unique_ptr<Value> Parse(std::string_view text, const std::string& file, Diagnostics& diags) {
  Parser p(text, file, diags);
  return p.ParseDocument();
}

}  // namespace dfc::compiler::json
