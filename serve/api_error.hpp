// ApiError: an HTTP error answer, {"error": {"code", "message"}} with a
// status. Handlers return Reply (std::expected<void, ApiError>); the router
// turns an ApiError into the JSON body, so every failure has the same shape.
// The codes are stable snake_case strings (documented in docs/http-api.md):
// the errc_name() of a renderq Errc, or one of the HTTP-level codes below.
//
// Thread-safety: plain values.
#pragma once

#include <expected>
#include <string>

#include "core/error.hpp"

namespace renderq::serve {

struct ApiError {
  int status = 500;
  std::string code;     // stable snake_case name
  std::string message;  // for people
  std::string state;    // the job's state, for 409 answers about a job ("" = none)
};

using Reply = std::expected<void, ApiError>;

inline std::unexpected<ApiError> api_fail(int status, std::string code, std::string message) {
  return std::unexpected<ApiError>(ApiError{status, std::move(code), std::move(message), {}});
}

// The HTTP status of a renderq error: validation 422, permission 403, not
// found 404, state conflict 409, busy 503, anything else 500.
int http_status_for(Errc code) noexcept;

// An ApiError carrying the renderq error's code name and message.
ApiError from_error(const Error& error);
inline std::unexpected<ApiError> api_fail(const Error& error) {
  return std::unexpected<ApiError>(from_error(error));
}

// The JSON body of an error: {"error":{"code":...,"message":...}}, plus
// "state" when set.
std::string error_body(const ApiError& error);

}  // namespace renderq::serve
