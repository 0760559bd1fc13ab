#!/usr/bin/env python3
"""Writes the bad-input fixtures in this folder and expected.tsv (file, the
Errc name load_gltf must return). Each fixture is a one-triangle scene with
one thing broken. Rerun after changing it: python3 make_fixtures.py"""
import base64, json, math, os, struct

here = os.path.dirname(os.path.abspath(__file__))
samples = os.path.join(here, '..', 'samples')


def triangle(positions=(0, 0, 0, 1, 0, 0, 0, 1, 0), indices=(0, 1, 2)):
    pos = struct.pack('<9f', *positions)
    idx = struct.pack('<%dH' % len(indices), *indices)
    data = pos + idx + b'\0' * ((-len(idx)) % 4)
    return {
        'asset': {'version': '2.0'},
        'scene': 0,
        'scenes': [{'nodes': [0]}],
        'nodes': [{'mesh': 0}],
        'meshes': [{'primitives': [{'attributes': {'POSITION': 0}, 'indices': 1, 'material': 0}]}],
        'materials': [{'pbrMetallicRoughness': {'baseColorFactor': [1, 0, 0, 1]}}],
        'accessors': [
            {'bufferView': 0, 'componentType': 5126, 'count': 3, 'type': 'VEC3'},
            {'bufferView': 1, 'componentType': 5123, 'count': len(indices), 'type': 'SCALAR'},
        ],
        'bufferViews': [
            {'buffer': 0, 'byteOffset': 0, 'byteLength': 36},
            {'buffer': 0, 'byteOffset': 36, 'byteLength': len(idx)},
        ],
        'buffers': [{'uri': 'data:application/octet-stream;base64,' +
                     base64.b64encode(data).decode(), 'byteLength': len(data)}],
    }


def with_texture(g, uri):
    g['images'] = [{'uri': uri}]
    g['textures'] = [{'source': 0}]
    g['materials'][0]['pbrMetallicRoughness']['baseColorTexture'] = {'index': 0}
    return g


fixtures = {}
fixtures['invalid_json.gltf'] = ('{"asset": {"version": "2.0"}, "meshes": [', 'gltf_invalid')
g = triangle(); g['accessors'][0]['byteOffset'] = 12
fixtures['accessor_out_of_range.gltf'] = (g, 'gltf_buffer_out_of_range')
g = triangle(); g['buffers'][0]['byteLength'] = 400; g['bufferViews'][0]['byteLength'] = 36
fixtures['buffer_too_short.gltf'] = (g, 'gltf_buffer_out_of_range')
fixtures['missing_image.gltf'] = (with_texture(triangle(), 'no_such_image.png'), 'image_decode')
fixtures['undecodable_image.gltf'] = (with_texture(triangle(), 'not_an_image.png'), 'image_decode')
fixtures['index_out_of_range.gltf'] = (triangle(indices=(0, 1, 7)), 'gltf_invalid')
fixtures['nan_position.gltf'] = (triangle(positions=(0, 0, 0, math.nan, 0, 0, 0, 1, 0)),
                                 'gltf_invalid')
fixtures['zero_triangles.gltf'] = (triangle(indices=(0, 1)), 'gltf_no_geometry')
g = triangle(); g['buffers'][0]['uri'] = '../../../../../../etc/passwd'
fixtures['uri_escape.gltf'] = (g, 'gltf_uri_escapes')
g = triangle(); g['buffers'][0]['uri'] = '%2E%2E/%2E%2E/%2E%2E/etc/passwd'
fixtures['uri_escape_encoded.gltf'] = (g, 'gltf_uri_escapes')
g = triangle(); g['extensionsUsed'] = g['extensionsRequired'] = ['KHR_draco_mesh_compression']
fixtures['required_extension.gltf'] = (g, 'gltf_unsupported_extension')

with open(os.path.join(here, 'not_an_image.png'), 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + b'\0' * 40)
with open(os.path.join(samples, 'Box', 'glTF-Binary', 'Box.glb'), 'rb') as f:
    box = f.read()
with open(os.path.join(here, 'truncated.glb'), 'wb') as f:
    f.write(box[:len(box) // 2])

rows = [('truncated.glb', 'gltf_invalid')]
for name, (content, errc) in sorted(fixtures.items()):
    with open(os.path.join(here, name), 'w') as f:
        f.write(content if isinstance(content, str) else json.dumps(content, indent=1))
    rows.append((name, errc))
with open(os.path.join(here, 'expected.tsv'), 'w') as f:
    f.write('# fixture\terrc name (written by make_fixtures.py)\n')
    for name, errc in rows:
        f.write('%s\t%s\n' % (name, errc))
