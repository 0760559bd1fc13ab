#include "gltf/json_reader.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace renderq::gltf {

namespace {
std::string at(std::string_view where, std::string_view key) {
  return std::string(where) + "." + std::string(key);
}
}  // namespace

void JsonReader::fail(Errc code, std::string detail) {
  if (!error_) error_ = Error{code, std::move(detail)};
}

const Json* JsonReader::member(const Json& obj, std::string_view key) {
  if (failed() || !obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

const Json* JsonReader::object(const Json& obj, std::string_view key, std::string_view where) {
  const Json* v = member(obj, key);
  if (v && !v->is_object()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not an object");
    return nullptr;
  }
  return v;
}

const Json* JsonReader::array(const Json& obj, std::string_view key, std::string_view where) {
  const Json* v = member(obj, key);
  if (v && !v->is_array()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not an array");
    return nullptr;
  }
  return v;
}

double JsonReader::number(const Json& obj, std::string_view key, double def,
                          std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) return def;
  if (!v->is_number()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not a number");
    return def;
  }
  double d = v->get<double>();
  // Every number read this way ends up in a float: refuse what a float
  // cannot hold (converting it would be undefined behaviour).
  if (!std::isfinite(d) || std::fabs(d) > std::numeric_limits<float>::max()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not a finite number in float range");
    return def;
  }
  return d;
}

bool JsonReader::boolean(const Json& obj, std::string_view key, bool def,
                         std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) return def;
  if (!v->is_boolean()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not a boolean");
    return def;
  }
  return v->get<bool>();
}

std::string JsonReader::string(const Json& obj, std::string_view key, std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) return {};
  if (!v->is_string()) {
    fail(Errc::GltfInvalid, at(where, key) + " is not a string");
    return {};
  }
  return v->get<std::string>();
}

std::int64_t JsonReader::count(const Json& obj, std::string_view key, std::int64_t def,
                               bool required, std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) {
    if (required && !failed()) fail(Errc::GltfInvalid, at(where, key) + " is missing");
    return def;
  }
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    // Counts and offsets beyond 2^48 cannot describe real data; refusing them
    // keeps every later size computation far from overflow.
    if (u < (std::uint64_t{1} << 48)) return static_cast<std::int64_t>(u);
  } else if (v->is_number_integer() && v->get<std::int64_t>() >= 0) {
    return v->get<std::int64_t>();
  }
  fail(Errc::GltfInvalid, at(where, key) + " is not a non-negative integer in range");
  return def;
}

int JsonReader::index(const Json& obj, std::string_view key, std::size_t size, int def,
                      bool required, std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) {
    if (required && !failed()) fail(Errc::GltfInvalid, at(where, key) + " is missing");
    return def;
  }
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0 ||
      static_cast<std::uint64_t>(v->get<std::int64_t>()) >= size) {
    fail(Errc::GltfInvalid, at(where, key) + " = " + v->dump() + " is not an index below " +
                                std::to_string(size));
    return def;
  }
  return static_cast<int>(v->get<std::int64_t>());
}

std::vector<double> JsonReader::numbers(const Json& obj, std::string_view key, std::size_t n,
                                        std::vector<double> def, std::string_view where) {
  const Json* v = member(obj, key);
  if (!v) return def;
  if (!v->is_array() || v->size() != n) {
    fail(Errc::GltfInvalid, at(where, key) + " is not an array of " + std::to_string(n) +
                                " numbers");
    return def;
  }
  std::vector<double> out;
  out.reserve(n);
  for (const Json& e : *v) {
    if (!e.is_number() || !std::isfinite(e.get<double>()) ||
        std::fabs(e.get<double>()) > std::numeric_limits<float>::max()) {
      fail(Errc::GltfInvalid, at(where, key) + " holds a value that is not a finite number");
      return def;
    }
    out.push_back(e.get<double>());
  }
  return out;
}

}  // namespace renderq::gltf
