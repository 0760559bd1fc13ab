// Bounds every way of submitting or changing a job holds it to (submit,
// --batch, POST /v1/jobs, priority, and the config file's defaults):
// priorities -kMaxPriority..kMaxPriority, retries 0..kMaxRetries, names up
// to kMaxNameBytes.
#pragma once

#include <cstddef>

namespace renderq {

inline constexpr int kMaxPriority = 1000;
inline constexpr int kMaxRetries = 100;
inline constexpr std::size_t kMaxNameBytes = 200;

}  // namespace renderq
