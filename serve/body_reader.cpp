#include "serve/body_reader.hpp"

#include <cstdlib>
#include <string>

namespace renderq::serve {

namespace {

// What a multipart part's headers cost on top of its content: the names
// are counted, and this covers the framing around them.
constexpr std::size_t kPartOverhead = 128;

}  // namespace

std::expected<httplib::Request, ApiError> read_body_limited(const httplib::Request& req,
                                                            const httplib::ContentReader& reader,
                                                            std::size_t max_bytes) {
  httplib::Request out = req;
  // Neither Content-Length nor Transfer-Encoding: the request has no body
  // (RFC 9112 6.3), as `curl -X POST URL` sends it; nothing to read.
  if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
    out.body.clear();
    return out;
  }
  std::size_t total = 0;
  bool over = false;
  auto count = [&](std::size_t n) {
    total += n;
    over = total > max_bytes;
    return !over;
  };
  bool ok = false;
  if (req.is_multipart_form_data()) {
    httplib::MultipartFormData* part = nullptr;
    ok = reader(
        [&](const httplib::MultipartFormData& header) {
          if (!count(kPartOverhead + header.name.size() + header.filename.size() + header.content_type.size()))
            return false;
          part = &out.files.emplace(header.name, header)->second;
          part->content.clear();
          return true;
        },
        [&](const char* data, std::size_t n) {
          if (!count(n) || part == nullptr) return false;
          part->content.append(data, n);
          return true;
        });
  } else {
    out.body.clear();
    ok = reader([&](const char* data, std::size_t n) {
      if (!count(n)) return false;
      out.body.append(data, n);
      return true;
    });
  }
  const std::string length = req.get_header_value("Content-Length");
  if (over || (!ok && !length.empty() && std::strtoull(length.c_str(), nullptr, 10) > max_bytes))
    return api_fail(413, "payload_too_large",
                    "the request body is larger than this server accepts (--max-upload " + std::to_string(max_bytes) +
                        " bytes)");
  if (!ok) return api_fail(400, "bad_request", "the request body could not be read (truncated, or bad framing)");
  return out;
}

}  // namespace renderq::serve
