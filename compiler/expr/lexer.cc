#include "compiler/expr/lexer.h"

namespace dfc::compiler::expr {
namespace {

bool IsIdentStart(unsigned char c) {
  // Bytes >= 0x80 are accepted so UTF-8 column names work unquoted, as in Flink.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string DescribeToken(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd: return "end of expression";
    case TokenKind::kString: return "string '" + t.text + "'";
    case TokenKind::kQuotedIdent: return "'`" + t.text + "`'";
    default: return "'" + t.text + "'";
  }
}

bool Tokenize(std::string_view text, const SourceLoc& string_loc, Diagnostics& diags,
              std::vector<Token>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = text.size();
  auto error = [&](size_t at, std::string msg) {
    diags.Error(string_loc.Shifted(static_cast<int>(at)), std::move(msg));
    return false;
  };
  while (i < n) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.offset = static_cast<int>(i);
    if (IsIdentStart(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < n && IsIdentChar(static_cast<unsigned char>(text[j]))) ++j;
      t.kind = TokenKind::kIdent;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (c == '`') {
      size_t j = i + 1;
      std::string name;
      bool closed = false;
      while (j < n) {
        if (text[j] == '`') {
          if (j + 1 < n && text[j + 1] == '`') {
            name += '`';
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        name += text[j++];
      }
      if (!closed) return error(i, "unterminated quoted identifier");
      if (name.empty()) return error(i, "empty quoted identifier");
      t.kind = TokenKind::kQuotedIdent;
      t.text = std::move(name);
      i = j;
    } else if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(text[i + 1]))) {
      size_t j = i;
      bool decimal = false;
      while (j < n && IsDigit(text[j])) ++j;
      if (j < n && text[j] == '.') {
        decimal = true;
        ++j;
        while (j < n && IsDigit(text[j])) ++j;
      }
      if (j < n && (text[j] == 'e' || text[j] == 'E')) {
        size_t k = j + 1;
        if (k < n && (text[k] == '+' || text[k] == '-')) ++k;
        if (k >= n || !IsDigit(text[k])) return error(i, "malformed number: missing exponent digits");
        while (k < n && IsDigit(text[k])) ++k;
        j = k;
        decimal = true;
      }
      if (j < n && IsIdentChar(static_cast<unsigned char>(text[j]))) {
        return error(i, "malformed number '" + std::string(text.substr(i, j + 1 - i)) + "'");
      }
      t.kind = decimal ? TokenKind::kDecimal : TokenKind::kInteger;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (c == '\'') {
      size_t j = i + 1;
      std::string value;
      bool closed = false;
      while (j < n) {
        if (text[j] == '\'') {
          if (j + 1 < n && text[j + 1] == '\'') {
            value += '\'';
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        value += text[j++];
      }
      if (!closed) return error(i, "unterminated string literal");
      t.kind = TokenKind::kString;
      t.text = std::move(value);
      i = j;
    } else {
      static constexpr std::string_view kTwoChar[] = {"||", "<>", "!=", "<=", ">="};
      std::string_view two = text.substr(i, 2);
      bool matched = false;
      for (std::string_view op : kTwoChar) {
        if (two == op) {
          t.text = std::string(op);
          matched = true;
          break;
        }
      }
      if (!matched) {
        static constexpr std::string_view kOneChar = "+-*/%=<>(),";
        if (kOneChar.find(c) == std::string_view::npos) {
          if (c == '"') {
            return error(i, "unexpected character '\"': string literals use single quotes, "
                            "identifiers back-quotes");
          }
          std::string shown = (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
                                  ? std::string(1, c)
                                  : "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 15]) +
                                        std::string(1, "0123456789abcdef"[c & 15]);
          return error(i, "unexpected character '" + shown + "'");
        }
        t.text = std::string(1, c);
      }
      t.kind = TokenKind::kOp;
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = TokenKind::kEnd;
  end.offset = static_cast<int>(n);
  out.push_back(std::move(end));
  return true;
}

}  // namespace dfc::compiler::expr
