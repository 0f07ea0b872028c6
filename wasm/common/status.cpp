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
  }
  return "internal";
}

}  // namespace eventuall
