#pragma once
// Errors cross every boundary as values, never as exceptions (the wasm build has
// exceptions off, and an abort would kill every request in the isolate).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

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

  ErrorCode code() const { return code_; }
  std::string_view code_name() const { return error_code_name(code_); }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

// A value or an Error. Accessing the wrong side is a programming error; callers
// check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  T& value() & { return *std::get_if<0>(&state_); }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  const Error& error() const { return *std::get_if<1>(&state_); }
  Error&& take_error() { return std::move(*std::get_if<1>(&state_)); }

  T* operator->() { return std::get_if<0>(&state_); }
  const T* operator->() const { return std::get_if<0>(&state_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error, for operations that produce no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status ok_status() { return {}; }

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace eventuall
