// Typed, validating reads of glTF JSON fields. A JsonReader remembers the
// first problem it meets (a wrong type, a negative count, an index past the
// end of its array) and returns the default for every later read, so parsing
// code reads as a list of fields followed by one `if (r.failed())` check.
//
// Thread-safety: a JsonReader is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace renderq::gltf {

using Json = nlohmann::json;

class JsonReader {
 public:
  // The member `key` of `obj` as a JSON object, or nullptr when absent.
  // A present member of another type records an error.
  const Json* object(const Json& obj, std::string_view key, std::string_view where);
  // Likewise for arrays.
  const Json* array(const Json& obj, std::string_view key, std::string_view where);

  double number(const Json& obj, std::string_view key, double def, std::string_view where);
  bool boolean(const Json& obj, std::string_view key, bool def, std::string_view where);
  std::string string(const Json& obj, std::string_view key, std::string_view where);
  // A non-negative integer; `required` records an error when absent.
  std::int64_t count(const Json& obj, std::string_view key, std::int64_t def, bool required,
                     std::string_view where);
  // An index into an array of `size` elements, or `def` when absent.
  int index(const Json& obj, std::string_view key, std::size_t size, int def, bool required,
            std::string_view where);
  // An array of exactly `n` numbers, or `def` when absent.
  std::vector<double> numbers(const Json& obj, std::string_view key, std::size_t n,
                              std::vector<double> def, std::string_view where);

  // Records an error (the first one wins).
  void fail(Errc code, std::string detail);
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  const Json* member(const Json& obj, std::string_view key);
  std::optional<Error> error_;
};

// The elements of the top-level array `key` (empty when absent).
inline const Json& array_or_empty(const Json& root, std::string_view key) {
  static const Json kEmpty = Json::array();
  auto it = root.find(key);
  return (it != root.end() && it->is_array()) ? *it : kEmpty;
}

}  // namespace renderq::gltf
