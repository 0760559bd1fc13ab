// Who may talk to the server. On a loopback address anyone on the machine
// may (like a Unix socket with open permissions), but browsers are kept out
// of cross-site tricks: the Host header must name the loopback interface
// (DNS rebinding) and a state-changing request carrying an Origin must come
// from this server's own origin (CSRF through a form post). On any other
// address a bearer token from --token-file is required on every /v1 and
// /metrics request, and the server refuses to start without one.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace renderq::serve {

// Whether a listen address (numeric or "localhost") is a loopback address.
bool is_loopback_address(std::string_view host);

// Reads a token file: the first line, surrounding whitespace trimmed.
// Errc::Io when unreadable; Errc::PermissionDenied when group or others may
// read it (chmod 600, as ssh asks of keys); Errc::InvalidArgument when the
// token is shorter than 16 bytes or holds spaces or control characters.
Result<std::string> load_token(const std::string& path);

// Whether an Authorization header is "Bearer <token>", compared in
// constant time.
bool bearer_matches(std::string_view authorization, std::string_view token);

// Whether a Host header names the loopback interface ("127.0.0.1:8080",
// "localhost", "[::1]:8080").
bool host_is_loopback(std::string_view host_header);

// Whether an Origin header is this server's own origin for `host_header`
// ("http://" + host). "null" and foreign origins are not.
bool origin_matches(std::string_view origin, std::string_view host_header);

}  // namespace renderq::serve
