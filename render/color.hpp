// Colour helpers on the CPU: the sRGB transfer function, the tone-mapping
// curves the shader applies (render/shaders/pbr.frag mirrors these; tests
// use them to predict pixels), and the premultiplied -> straight alpha
// conversion applied to read-back frames before PNG encoding.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

#include <glm/glm.hpp>

#include "core/render_spec.hpp"

namespace renderq {

float srgb_to_linear(float c);
float linear_to_srgb(float c);
std::uint8_t linear_to_srgb8(float c);  // rounded, clamped to [0, 255]

glm::vec3 tonemap_pbr_neutral(glm::vec3 color);
glm::vec3 tonemap_aces(glm::vec3 color);
// Exposure (2^ev) then the curve, clamped to [0, 1], as the shader does.
glm::vec3 apply_tonemap(ToneMap t, double exposure_ev, glm::vec3 color);

// The framebuffer holds sRGB-encoded colour premultiplied by alpha in linear
// space (blending happens on linear values). PNG wants straight alpha: this
// divides the linear colour by alpha for every partly covered pixel, in place.
void unpremultiply_srgb_rgba8(std::span<std::uint8_t> rgba);

}  // namespace renderq
