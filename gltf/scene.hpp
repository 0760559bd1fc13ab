// Scene: the CPU-side, renderer-ready form of a glTF 2.0 file. The loader
// (gltf/loader.cpp) resolves every accessor (sparse, normalized, quantized),
// generates missing normals and tangents, decodes images to RGBA8, and
// flattens the node hierarchy; the GL side (gl_*.cpp) only uploads and draws.
//
// Thread-safety: plain values; a loaded Scene is immutable and may be shared
// read-only between threads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "core/error.hpp"
#include "core/log_fn.hpp"

namespace renderq {

enum class PrimitiveMode { Points, Lines, LineLoop, LineStrip, Triangles, TriangleStrip, TriangleFan };
enum class AlphaMode { Opaque, Mask, Blend };

// A decoded image, always RGBA8, rows top to bottom as in the file.
struct Image {
  std::string name;
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4
  // content_hash of the encoded bytes (gltf/image_cache.hpp); 0 = not
  // from a file (built in code). Keys the renderer's texture caches.
  std::uint64_t content_hash = 0;
};

// glTF sampler values (GL enums as in the file; 0 = unset -> defaults).
struct Sampler {
  int mag_filter = 0;
  int min_filter = 0;
  int wrap_s = 10497;  // GL_REPEAT
  int wrap_t = 10497;
};

struct Texture {
  int image = -1;
  int sampler = -1;  // -1 = default sampler
};

// KHR_texture_transform, already composed into a 3x3 UV matrix.
struct TextureRef {
  int texture = -1;            // -1 = none
  int texcoord = 0;            // 0 or 1 (after KHR_texture_transform's override)
  glm::mat3 uv_transform{1.0f};
  float scale = 1.0f;          // normalTexture.scale / occlusionTexture.strength
};

struct Material {
  std::string name;
  glm::vec4 base_color{1.0f};
  float metallic = 1.0f;
  float roughness = 1.0f;
  glm::vec3 emissive{0.0f};     // already multiplied by KHR_materials_emissive_strength
  AlphaMode alpha_mode = AlphaMode::Opaque;
  float alpha_cutoff = 0.5f;
  bool double_sided = false;
  bool unlit = false;           // KHR_materials_unlit
  TextureRef base_color_tex, metallic_roughness_tex, normal_tex, occlusion_tex, emissive_tex;

  // KHR_materials_* extensions. The defaults are each extension's absent
  // values, so a material without them shades exactly as core glTF.
  float ior = 1.5f;                        // KHR_materials_ior: dielectric F0 = ((ior-1)/(ior+1))^2
  float specular = 1.0f;                   // KHR_materials_specular: specularFactor
  glm::vec3 specular_color{1.0f};          //   specularColorFactor (linear)
  TextureRef specular_tex;                 //   specularTexture (A)
  TextureRef specular_color_tex;           //   specularColorTexture (RGB, sRGB)
  float clearcoat = 0.0f;                  // KHR_materials_clearcoat: clearcoatFactor
  float clearcoat_roughness = 0.0f;        //   clearcoatRoughnessFactor
  TextureRef clearcoat_tex;                //   clearcoatTexture (R)
  TextureRef clearcoat_roughness_tex;      //   clearcoatRoughnessTexture (G)
  TextureRef clearcoat_normal_tex;         //   clearcoatNormalTexture (scale in .scale)
  // KHR_materials_pbrSpecularGlossiness (archived), shaded directly: the
  // diffuse factor and texture are base_color and base_color_tex.
  bool specular_glossiness = false;
  glm::vec3 sg_specular{1.0f};             //   specularFactor (F0)
  float sg_glossiness = 1.0f;              //   glossinessFactor (roughness = 1 - glossiness)
  TextureRef sg_tex;                       //   specularGlossinessTexture (RGB sRGB, A linear)
  glm::vec3 sheen_color{0.0f};             // KHR_materials_sheen: sheenColorFactor (0 = no sheen)
  float sheen_roughness = 0.0f;            //   sheenRoughnessFactor
  TextureRef sheen_color_tex;              //   sheenColorTexture (RGB, sRGB)
  TextureRef sheen_roughness_tex;          //   sheenRoughnessTexture (A)
  float transmission = 0.0f;               // KHR_materials_transmission: transmissionFactor
  TextureRef transmission_tex;             //   transmissionTexture (R)
  float thickness = 0.0f;                  // KHR_materials_volume: thicknessFactor (0 = thin walled)
  TextureRef thickness_tex;                //   thicknessTexture (G)
  float attenuation_distance = 0.0f;       //   attenuationDistance (0 = infinite: no absorption)
  glm::vec3 attenuation_color{1.0f};       //   attenuationColor (linear)
  float anisotropy = 0.0f;                 // KHR_materials_anisotropy: anisotropyStrength
  float anisotropy_rotation = 0.0f;        //   anisotropyRotation (radians, from the tangent)
  TextureRef anisotropy_tex;               //   anisotropyTexture (RG direction, B strength)
  float iridescence = 0.0f;                // KHR_materials_iridescence: iridescenceFactor
  float iridescence_ior = 1.3f;            //   iridescenceIor (of the thin film)
  float iridescence_thickness_min = 100.0f;  // nm; the thickness texture's G = 0
  float iridescence_thickness_max = 400.0f;  // nm; G = 1, or the thickness without a texture
  TextureRef iridescence_tex;              //   iridescenceTexture (R)
  TextureRef iridescence_thickness_tex;    //   iridescenceThicknessTexture (G)

  // Calls f(TextureRef&, bool srgb) for every texture slot, so the loader and
  // the GL upload cannot miss one; srgb marks colour data.
  template <class M, class F>
  static void each_texture(M& m, F&& f) {
    f(m.base_color_tex, true);
    f(m.metallic_roughness_tex, false);
    f(m.normal_tex, false);
    f(m.occlusion_tex, false);
    f(m.emissive_tex, true);
    f(m.specular_tex, false);
    f(m.specular_color_tex, true);
    f(m.clearcoat_tex, false);
    f(m.clearcoat_roughness_tex, false);
    f(m.clearcoat_normal_tex, false);
    f(m.sg_tex, true);
    f(m.sheen_color_tex, true);
    f(m.sheen_roughness_tex, false);
    f(m.transmission_tex, false);
    f(m.thickness_tex, false);
    f(m.anisotropy_tex, false);
    f(m.iridescence_tex, false);
    f(m.iridescence_thickness_tex, false);
  }
};

// One morph target's deltas; an array is empty when the target lacks that
// attribute, else it has one element per vertex.
struct MorphTarget {
  std::vector<glm::vec3> positions, normals, tangents;
};

// Vertex data of one primitive, de-indexed only where needed (flat normals).
// Arrays other than positions are empty when absent; normals and tangents
// are always present for triangle modes after loading.
//
// A primitive that deforms (morph targets, or drawn by a skinned node) keeps
// its rest vertices in rest_*; pose_scene (gltf/pose.hpp) rewrites
// positions, normals, tangents and bounds from them.
struct Primitive {
  PrimitiveMode mode = PrimitiveMode::Triangles;
  std::vector<glm::vec3> positions;
  std::vector<glm::vec3> normals;
  std::vector<glm::vec4> tangents;   // xyz + handedness w
  std::vector<glm::vec2> uv0, uv1;
  std::vector<glm::vec4> colors;     // COLOR_0 as RGBA float (RGB -> A=1)
  std::vector<std::uint32_t> indices;  // empty = non-indexed
  int material = -1;                 // -1 = the glTF default material
  glm::vec3 bounds_min{0.0f}, bounds_max{0.0f};  // object space (world space when skinned)
  std::vector<MorphTarget> targets;  // the same count in every primitive of a mesh
  std::vector<glm::uvec4> joints;    // JOINTS_0 (indices into the node's skin)
  std::vector<glm::vec4> weights;    // WEIGHTS_0
  std::vector<glm::vec3> rest_positions, rest_normals;  // filled only for deforming primitives
  std::vector<glm::vec4> rest_tangents;
  bool flat_normals = false;         // normals were generated: recomputed after posing
  bool generated_tangents = false;   // likewise for tangents
};

struct Mesh {
  std::string name;
  std::vector<Primitive> primitives;
  std::vector<float> weights;        // default morph weights (mesh.weights, else zeros)
  bool deforms = false;              // pose_scene rewrites its vertices (re-upload them)
};

struct Camera {
  std::string name;
  bool orthographic = false;
  float yfov = 0.8f, aspect = 0.0f;   // perspective; aspect 0 = from the image
  float xmag = 1.0f, ymag = 1.0f;     // orthographic
  float znear = 0.01f, zfar = 0.0f;   // zfar 0 = infinite
};

enum class LightType { Directional, Point, Spot };

struct Light {
  std::string name;
  LightType type = LightType::Directional;
  glm::vec3 color{1.0f};
  float intensity = 1.0f;
  float range = 0.0f;                // 0 = infinite
  float inner_cone = 0.0f, outer_cone = 0.7853982f;
};

// A node of the file, as the pose is computed from it.
struct Node {
  std::string name;
  glm::vec3 translation{0.0f};
  glm::quat rotation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 scale{1.0f};
  std::optional<glm::mat4> matrix;   // the node's "matrix" (such nodes are not animated)
  int mesh = -1, camera = -1, light = -1, skin = -1;
  std::vector<int> children;
  std::vector<float> weights;        // morph weights: node.weights, else the mesh's
  std::vector<glm::mat4> instances;  // EXT_mesh_gpu_instancing: one local matrix per instance
};

struct Skin {
  std::vector<int> joints;                 // node indices
  std::vector<glm::mat4> inverse_bind;     // one per joint (identity when absent)
};

enum class AnimationPath { Translation, Rotation, Scale, Weights };
enum class Interpolation { Step, Linear, CubicSpline };

// One sampler: keyframe times (strictly increasing, finite) and values,
// `width` floats per keyframe value (3 for translation/scale, 4 for rotation,
// the morph target count for weights); CUBICSPLINE stores in-tangent, value,
// out-tangent per keyframe.
struct AnimationSampler {
  Interpolation interpolation = Interpolation::Linear;
  std::vector<float> input;
  std::vector<float> output;
  std::size_t width = 0;
};

struct AnimationChannel {
  int sampler = -1;
  int node = -1;
  AnimationPath path = AnimationPath::Translation;
};

struct Animation {
  std::string name;
  std::vector<AnimationSampler> samplers;
  std::vector<AnimationChannel> channels;
  float start = 0.0f, end = 0.0f;    // first and last keyframe time over all samplers
};

// One mesh, camera or light placed in the world by the flattened hierarchy.
// A skinned mesh's vertices are already in world space (world = identity).
struct MeshInstance { int mesh = -1; glm::mat4 world{1.0f}; int node = -1; };
struct CameraInstance { int camera = -1; glm::mat4 world{1.0f}; };
struct LightInstance { int light = -1; glm::mat4 world{1.0f}; };

// Wall-clock milliseconds spent loading, for job logs and bench/.
struct LoadTimes {
  double parse_ms = 0;   // reading, JSON, accessors, normals and tangents, hierarchy
  double decode_ms = 0;  // image decoding (several threads)
};

struct Scene {
  std::vector<Image> images;     // glTF order; images no texture uses stay empty (width 0)
  std::vector<Sampler> samplers;
  std::vector<Texture> textures;
  std::vector<Material> materials;
  std::vector<Mesh> meshes;
  std::vector<Camera> cameras;
  std::vector<Light> lights;
  std::vector<Node> nodes;
  std::vector<int> roots;        // root nodes of the chosen scene
  std::vector<Skin> skins;
  std::vector<Animation> animations;
  // The chosen scene, flattened at the current pose (the rest pose after loading) (world = parent * local, TRS or matrix).
  std::vector<MeshInstance> mesh_instances;
  std::vector<CameraInstance> camera_instances;
  std::vector<LightInstance> light_instances;
  glm::vec3 bounds_min{0.0f}, bounds_max{0.0f};  // world space, all instances
  std::vector<std::string> warnings;             // e.g. skipped optional extensions
  LoadTimes times;
};

class DecodedImageCache;
class MemoryBudget;

struct LoadOptions {
  int scene_index = -1;  // -1 = the file's default scene (or scene 0)
  LogFn log;  // warnings and facts for the job log
  // Content caches (gltf/image_cache.hpp), both optional. Decoded images
  // are taken from and added to `decoded_images`. An image whose every use
  // (sRGB or linear) `uploaded(hash, srgb)` says is already on the GPU is not
  // decoded at all: its rgba stays empty and its content_hash names the
  // texture (GlScene::upload then takes it from its GlTextureCache).
  // `uploaded` is called from the decode threads at once: it must only read.
  DecodedImageCache* decoded_images = nullptr;
  std::function<bool(std::uint64_t hash, bool srgb)> uploaded;
  // The scene memory budget (core/memory_budget.hpp) this load takes its
  // bytes from and gives back when it returns; shared by concurrent loads.
  // nullptr: a budget of its own of default_scene_memory().
  MemoryBudget* budget = nullptr;
};

// Loads a .gltf or .glb. Named failures: Errc::SceneMissing, Errc::GltfInvalid
// (syntax, schema, index out of range, NaN positions), Errc::GltfBufferOutOfRange,
// Errc::GltfUriEscapes (a URI leaving the scene's folder, or absolute),
// Errc::GltfUnsupportedExtension (in extensionsRequired), Errc::ImageDecode,
// Errc::GltfNoGeometry (no triangles, lines or points to draw),
// Errc::GltfSceneNotFound (LoadOptions::scene_index past the file's scenes),
// Errc::SceneTooLarge (what the file declares: buffers, vertices, indices,
// morph targets, instances, image sizes from their headers, needs more than
// LoadOptions::budget; refused before it is allocated), Errc::Busy (a
// shared budget held by other loads), Errc::OutOfMemory (an allocation
// failed all the same: std::bad_alloc never leaves the loader).
// The result is posed at rest: node transforms as written, morph weights
// from the nodes (else meshes), skins at their joints' rest transforms.
Result<Scene> load_gltf(const std::string& path, const LoadOptions& options = {});

}  // namespace renderq
