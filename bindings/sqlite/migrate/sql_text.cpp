#include "migrate/sql_text.h"

#include <algorithm>

namespace eventuall::migrate {

namespace {

bool is_word_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool is_word_char(unsigned char c) {
  return is_word_start(c) || (c >= '0' && c <= '9') || c == '$';
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_simple_identifier(std::string_view text) {
  if (text.empty() || !is_word_start(static_cast<unsigned char>(text[0]))) return false;
  for (char c : text) {
    if (!is_word_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The identifier a word or quoted-identifier token names, lower-cased.
std::string identifier_of(const Token& t) {
  if (t.kind == Token::Kind::kWord) return lower(t.text);
  if (t.kind != Token::Kind::kQuotedIdentifier || t.text.size() < 2) return {};
  std::string inner = t.text.substr(1, t.text.size() - 2);
  const char quote = t.text[0];
  if (quote != '[') {
    // A doubled quote inside stands for one.
    std::string out;
    for (std::size_t i = 0; i < inner.size(); ++i) {
      out += inner[i];
      if (inner[i] == quote && i + 1 < inner.size() && inner[i + 1] == quote) ++i;
    }
    inner = out;
  }
  return lower(inner);
}

// Reads a quoted run starting at `i` (the opening quote); returns one past the close.
std::size_t quoted_end(std::string_view s, std::size_t i) {
  const char open = s[i];
  const char close = open == '[' ? ']' : open;
  std::size_t j = i + 1;
  while (j < s.size()) {
    if (s[j] == close) {
      if (close != ']' && j + 1 < s.size() && s[j + 1] == close) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return s.size();  // unterminated: SQLite reports it
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto push = [&](Token::Kind kind, std::size_t begin, std::size_t end) {
    out.push_back(Token{kind, std::string(s.substr(begin, end - begin)), begin, end});
  };
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_space(c)) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      const std::size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '\'') {
      const std::size_t e = quoted_end(s, i);
      push(Token::Kind::kString, i, e);
      i = e;
    } else if (c == '"' || c == '`' || c == '[') {
      const std::size_t e = quoted_end(s, i);
      push(Token::Kind::kQuotedIdentifier, i, e);
      i = e;
    } else if ((c == 'x' || c == 'X') && i + 1 < n && s[i + 1] == '\'') {
      const std::size_t e = quoted_end(s, i + 1);
      push(Token::Kind::kBlob, i, e);
      i = e;
    } else if (is_digit(c) ||
               (c == '.' && i + 1 < n && is_digit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i + 1;
      while (j < n) {
        const auto d = static_cast<unsigned char>(s[j]);
        if (is_word_char(d) || d == '.') {
          ++j;
        } else if ((d == '+' || d == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E')) {
          ++j;
        } else {
          break;
        }
      }
      push(Token::Kind::kNumber, i, j);
      i = j;
    } else if (is_word_start(c)) {
      std::size_t j = i + 1;
      while (j < n && is_word_char(static_cast<unsigned char>(s[j]))) ++j;
      push(Token::Kind::kWord, i, j);
      i = j;
    } else if (c == '?' || c == ':' || c == '@' || c == '$') {
      std::size_t j = i + 1;
      while (j < n && is_word_char(static_cast<unsigned char>(s[j]))) ++j;
      push(Token::Kind::kParameter, i, j);
      i = j;
    } else {
      std::size_t len = 1;
      for (std::string_view op : {"->>", "->", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>"}) {
        if (s.substr(i, op.size()) == op) {
          len = op.size();
          break;
        }
      }
      push(Token::Kind::kPunct, i, i + len);
      i += len;
    }
  }
  return out;
}

namespace {

std::string normal_token(const Token& t) {
  switch (t.kind) {
    case Token::Kind::kWord:
    case Token::Kind::kNumber:
    case Token::Kind::kBlob:
      return lower(t.text);
    case Token::Kind::kQuotedIdentifier: {
      std::string name = identifier_of(t);
      return is_simple_identifier(name) ? name : "\"" + name + "\"";
    }
    default:
      return t.text;
  }
}

std::string join_normal(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += ' ';
    out += normal_token(tokens[i]);
  }
  return out;
}

// join_normal, with each `IN ('a', 'b', ...)` list of string literals sorted:
// an enum's allowed values are a set, so their order is not part of the database.
std::string join_normal_sets(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += ' ';
    out += normal_token(tokens[i]);
    if (tokens[i].kind != Token::Kind::kWord || lower(tokens[i].text) != "in" || i + 2 >= end ||
        tokens[i + 1].text != "(") {
      continue;
    }
    std::vector<std::string> values;
    std::size_t j = i + 2;
    for (; j < end && tokens[j].kind == Token::Kind::kString; j += 2) {
      values.push_back(tokens[j].text);
      if (j + 1 >= end || tokens[j + 1].text != ",") break;
    }
    if (values.empty() || j + 1 >= end || tokens[j + 1].text != ")") continue;
    std::sort(values.begin(), values.end());
    out += " (";
    for (std::size_t k = 0; k < values.size(); ++k) out += (k ? " , " : " ") + values[k];
    out += " )";
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string normalize_sql(std::string_view sql) {
  const auto tokens = tokenize(sql);
  return join_normal(tokens, 0, tokens.size());
}

std::string replace_identifier(std::string_view sql, std::string_view from, std::string_view to) {
  const std::string target = lower(from);
  std::string out;
  std::size_t copied = 0;
  for (const auto& t : tokenize(sql)) {
    if ((t.kind == Token::Kind::kWord || t.kind == Token::Kind::kQuotedIdentifier) &&
        identifier_of(t) == target) {
      out.append(sql.substr(copied, t.begin - copied));
      out.append(to);
      copied = t.end;
    }
  }
  out.append(sql.substr(copied));
  return out;
}

bool mentions_identifier(std::string_view sql, std::string_view name) {
  const std::string target = lower(name);
  for (const auto& t : tokenize(sql)) {
    if ((t.kind == Token::Kind::kWord || t.kind == Token::Kind::kQuotedIdentifier) &&
        identifier_of(t) == target) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> check_constraints(std::string_view create_table_sql) {
  const auto tokens = tokenize(create_table_sql);
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind != Token::Kind::kWord || lower(tokens[i].text) != "check" ||
        tokens[i + 1].text != "(") {
      continue;
    }
    int depth = 0;
    std::size_t j = i + 1;
    for (; j < tokens.size(); ++j) {
      if (tokens[j].kind != Token::Kind::kPunct) continue;
      if (tokens[j].text == "(") ++depth;
      if (tokens[j].text == ")" && --depth == 0) break;
    }
    out.push_back(join_normal_sets(tokens, i + 2, j < tokens.size() ? j : tokens.size()));
    i = j;
  }
  return out;
}

bool is_literal_default(std::string_view default_sql) {
  auto tokens = tokenize(default_sql);
  std::size_t i = 0;
  if (tokens.size() == 2 && (tokens[0].text == "-" || tokens[0].text == "+") &&
      tokens[1].kind == Token::Kind::kNumber) {
    i = 1;
  } else if (tokens.size() != 1) {
    return false;
  }
  const Token& t = tokens[i];
  if (t.kind == Token::Kind::kNumber || t.kind == Token::Kind::kString ||
      t.kind == Token::Kind::kBlob) {
    return true;
  }
  const std::string word = lower(t.text);
  return i == 0 && t.kind == Token::Kind::kWord &&
         (word == "null" || word == "true" || word == "false");
}

bool is_null_default(std::string_view default_sql) {
  return normalize_sql(default_sql) == "null";
}

std::vector<std::string> split_statements(std::string_view text) {
  std::vector<std::string> statements;
  const auto tokens = tokenize(text);
  std::string current;
  int depth = 0;  // open BEGIN/CASE blocks inside a trigger body
  std::vector<std::string> head;
  auto finish = [&] {
    if (!current.empty()) statements.push_back(current);
    current.clear();
    depth = 0;
    head.clear();
  };
  for (const auto& t : tokens) {
    if (t.kind == Token::Kind::kPunct && t.text == ";" && depth == 0) {
      finish();
      continue;
    }
    if (!current.empty()) current += ' ';
    current += t.text;
    if (t.kind != Token::Kind::kWord) continue;
    const std::string word = lower(t.text);
    if (head.size() < 3) head.push_back(word);
    const bool trigger = head.size() >= 2 && head[0] == "create" &&
                         (head[1] == "trigger" || ((head[1] == "temp" || head[1] == "temporary") &&
                                                   head.size() == 3 && head[2] == "trigger"));
    if (word == "begin" && trigger) {
      ++depth;
    } else if (word == "case" && depth > 0) {
      ++depth;
    } else if (word == "end" && depth > 0) {
      --depth;
    }
  }
  finish();
  return statements;
}

std::string indented_list(const std::vector<std::string>& items, std::string_view indent) {
  std::string out;
  for (const auto& item : items) {
    out += '\n';
    out += indent;
    out += item;
  }
  return out;
}

}  // namespace eventuall::migrate
