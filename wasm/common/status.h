#pragma once
// Errors cross every boundary as values, never as exceptions (the wasm build has
// exceptions off, and an abort would kill every request in the isolate).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/bug.h"

namespace eventuall {

// Stable codes: callers match on these strings, so never rename one.
enum class ErrorCode {
  kInvalidInput,
  kNotFound,
  kConflict,
  kForbidden,
  kUnauthenticated,
  kDbError,
  kInternal,
  // The database's d1_migrations differs from the migrations this build was
  // made for (runtime/schema_guard.h).
  kSchemaMismatch,
};

std::string_view error_code_name(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Error invalid_input(std::string message) {
    return {ErrorCode::kInvalidInput, std::move(message)};
  }
  static Error not_found(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Error conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }
  static Error forbidden(std::string message) { return {ErrorCode::kForbidden, std::move(message)}; }
  static Error unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, std::move(message)};
  }
  static Error db_error(std::string message) { return {ErrorCode::kDbError, std::move(message)}; }
  static Error internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }
  static Error schema_mismatch(std::string message) {
    return {ErrorCode::kSchemaMismatch, std::move(message)};
  }

  ErrorCode code() const { return code_; }
  std::string_view code_name() const { return error_code_name(code_); }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

// Reading the wrong side of a Result or Status is our bug (common/bug.h).
[[noreturn]] void bug_value_of_error(const Error& error);
[[noreturn]] void bug_error_of_value();

// A value or an Error. Accessing the wrong side is a programming error that
// traps; callers check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  T& value() & { return *value_ptr(); }
  const T& value() const& { return *value_ptr(); }
  T&& value() && { return std::move(*value_ptr()); }
  const Error& error() const { return *error_ptr(); }
  Error&& take_error() { return std::move(*error_ptr()); }

  T* operator->() { return value_ptr(); }
  const T* operator->() const { return value_ptr(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  T* value_ptr() {
    if (T* v = std::get_if<0>(&state_)) return v;
    bug_value_of_error(*std::get_if<1>(&state_));
  }
  const T* value_ptr() const {
    if (const T* v = std::get_if<0>(&state_)) return v;
    bug_value_of_error(*std::get_if<1>(&state_));
  }
  Error* error_ptr() {
    if (Error* e = std::get_if<1>(&state_)) return e;
    bug_error_of_value();
  }
  const Error* error_ptr() const {
    if (const Error* e = std::get_if<1>(&state_)) return e;
    bug_error_of_value();
  }

  std::variant<T, Error> state_;
};

// Success or an Error, for operations that produce no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status ok_status() { return {}; }

  bool ok() const { return !error_.has_value(); }
  const Error& error() const {
    if (!error_) bug_error_of_value();
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace eventuall
