#include "common/status.h"

namespace eventuall {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kDbError:
      return "db_error";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kSchemaMismatch:
      return "schema_mismatch";
  }
  return "internal";
}

void bug_value_of_error(const Error& error) {
  bug("value() of a Result holding the error " + std::string(error.code_name()) + ": " +
      error.message());
}

void bug_error_of_value() { bug("error() of a Result or Status holding no error"); }

}  // namespace eventuall
