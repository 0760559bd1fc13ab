// Reading a request body with its size limit held as the bytes arrive.
//
// cpp-httplib 0.11 applies its payload limit only to a Content-Length it is
// told in advance; a `Transfer-Encoding: chunked` body (or one compressed,
// or one without a length) was read whole into memory whatever its size.
// The upload route therefore reads its body through the library's
// ContentReader, and this counts every byte handed over (after
// decompression) and stops reading past the limit.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <expected>

#include "serve/api_error.hpp"

namespace renderq::serve {

// A copy of `req` with `body` filled, or for multipart/form-data `files`,
// from `reader`. 413 payload_too_large once more than max_bytes arrived
// (the rest is not read: the caller must close the connection); 400
// bad_request when the body cannot be read (truncated, a bad chunk or
// multipart framing).
std::expected<httplib::Request, ApiError> read_body_limited(const httplib::Request& req,
                                                            const httplib::ContentReader& reader,
                                                            std::size_t max_bytes);

}  // namespace renderq::serve
