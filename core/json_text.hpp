// JSON as one line of text, for output and for messages between processes:
// bytes that are not UTF-8 (a row stored before renderq checked them)
// become U+FFFD instead of throwing, so one bad string cannot fail a whole
// listing or a worker's message.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace renderq {

inline std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace renderq
