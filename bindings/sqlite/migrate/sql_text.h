#pragma once
// A small SQLite tokenizer, enough to compare schema SQL structurally (ALTER
// TABLE rewrites sqlite_master text, so raw text never compares), to rename
// identifiers inside expressions, and to split migration files the way
// wrangler does before sending them to D1.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace eventuall::migrate {

struct Token {
  enum class Kind { kWord, kQuotedIdentifier, kString, kNumber, kBlob, kParameter, kPunct };
  Kind kind;
  std::string text;   // as written (quotes included)
  std::size_t begin;  // byte offsets into the source
  std::size_t end;
};

// Comments and whitespace are dropped.
std::vector<Token> tokenize(std::string_view sql);

// One canonical spelling: keywords and identifiers lower-cased, simple quoted
// identifiers unquoted, tokens joined by one space, string literals verbatim.
std::string normalize_sql(std::string_view sql);

// `sql` with every identifier token equal to `from` (case-insensitively,
// quoted or not) replaced by `to`; everything else is kept byte for byte.
std::string replace_identifier(std::string_view sql, std::string_view from, std::string_view to);
// Whether any identifier token of `sql` is `name` (case-insensitively).
bool mentions_identifier(std::string_view sql, std::string_view name);

// The expressions of every CHECK (...) in a CREATE TABLE statement, normalized.
std::vector<std::string> check_constraints(std::string_view create_table_sql);

// A DEFAULT that ALTER TABLE ADD COLUMN accepts: a literal (number, string,
// blob, NULL, TRUE, FALSE). SQLite refuses any expression, even (1+1).
bool is_literal_default(std::string_view default_sql);
bool is_null_default(std::string_view default_sql);

// Statements of a script without comments, split on `;` outside strings and
// trigger bodies (wrangler's splitter, js-shim/node/migrations.mjs).
std::vector<std::string> split_statements(std::string_view sql);

std::string lower(std::string_view text);

// Each item on its own line after `indent`, for a report's list.
std::string indented_list(const std::vector<std::string>& items, std::string_view indent);

}  // namespace eventuall::migrate
