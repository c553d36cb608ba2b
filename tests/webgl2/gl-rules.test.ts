/**
 * WebGL2's own rules as pure functions: the format rule behind `Capabilities.unsupportedFormatReason`, the
 * texture and buffer rules the backend runs before any GL call, and the neutral validation wired to them.
 */
import { describe, expect, it } from 'vitest';
import { getGLFormat } from '../../src/backends/webgl2/gl-formats.ts';
import { glUnsupportedFormatReason } from '../../src/backends/webgl2/webgl2-capabilities.ts';
import {
  checkWebGL2Buffer,
  checkWebGL2Texture,
  usesRenderbuffer,
} from '../../src/backends/webgl2/webgl2-rules.ts';
import type { Capabilities } from '../../src/core/capabilities.ts';
import { BufferUsage, defaultCapabilities, TextureUsage, ValidationError } from '../../src/index.ts';
import { type NormalizedTextureDescriptor, normalizeTextureDescriptor } from '../../src/resources/texture.ts';

const { TEXTURE_BINDING, RENDER_ATTACHMENT, STORAGE_BINDING, COPY_DST } = TextureUsage;
const none = new Set<string>();

describe('glUnsupportedFormatReason', () => {
  it('accepts what WebGL2 holds', () => {
    expect(
      glUnsupportedFormatReason('rgba8unorm', TEXTURE_BINDING | RENDER_ATTACHMENT, none),
    ).toBeUndefined();
    expect(glUnsupportedFormatReason('depth24plus-stencil8', RENDER_ATTACHMENT, none)).toBeUndefined();
    expect(glUnsupportedFormatReason('stencil8', RENDER_ATTACHMENT, none)).toBeUndefined();
    const float = new Set(['EXT_color_buffer_float']);
    expect(glUnsupportedFormatReason('rgba32float', RENDER_ATTACHMENT, float)).toBeUndefined();
  });

  it('names why it refuses the rest', () => {
    expect(glUnsupportedFormatReason('bgra8unorm', TEXTURE_BINDING, none)).toMatch(/no BGRA texture formats/);
    expect(glUnsupportedFormatReason('rgba8unorm', STORAGE_BINDING, none)).toMatch(/no storage textures/);
    expect(glUnsupportedFormatReason('stencil8', RENDER_ATTACHMENT | TEXTURE_BINDING, none)).toMatch(
      /only as a renderbuffer.*exactly RENDER_ATTACHMENT/,
    );
    expect(glUnsupportedFormatReason('rgba16float', RENDER_ATTACHMENT, none)).toMatch(
      /EXT_color_buffer_float or EXT_color_buffer_half_float/,
    );
    expect(
      glUnsupportedFormatReason(
        'bc7-rgba-unorm',
        TEXTURE_BINDING,
        new Set(['WEBGL_compressed_texture_s3tc']),
      ),
    ).toMatch(/EXT_texture_compression_bptc/);
  });

  it('makes the neutral validation fail on the format field, with the label and the rule', () => {
    const caps: Capabilities = {
      ...defaultCapabilities(),
      backend: 'webgl2',
      unsupportedFormatReason: (format, usage) => glUnsupportedFormatReason(format, usage, none),
    };
    const attempt = () =>
      normalizeTextureDescriptor(
        { label: 'ui', size: [4, 4], format: 'bgra8unorm', usage: TEXTURE_BINDING },
        caps,
      );
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/'ui': format = "bgra8unorm" is invalid: has no WebGL2 equivalent/);
  });
});

function texture(overrides: Partial<NormalizedTextureDescriptor>): NormalizedTextureDescriptor {
  return {
    label: 'tex',
    width: 64,
    height: 64,
    depthOrArrayLayers: 1,
    format: 'rgba8unorm',
    usage: RENDER_ATTACHMENT,
    dimension: '2d',
    mipLevelCount: 1,
    sampleCount: 1,
    viewFormats: [],
    ...overrides,
  };
}

describe('checkWebGL2Texture', () => {
  const ctx = { maxRenderbufferSize: 128, sampleCounts: (f: number) => (f === 0x8058 ? [4] : []) };
  const rgba8 = getGLFormat('rgba8unorm')!;
  const fieldOf = (desc: NormalizedTextureDescriptor) => {
    try {
      checkWebGL2Texture(desc, getGLFormat(desc.format)!, ctx);
    } catch (e) {
      return e instanceof ValidationError ? `${e.field}: ${e.rule}` : String(e);
    }
    return 'ok';
  };

  it('backs multisampled and stencil-only textures with renderbuffers, everything else with textures', () => {
    expect(usesRenderbuffer(texture({ sampleCount: 4 }), rgba8)).toBe(true);
    expect(usesRenderbuffer(texture({ format: 'stencil8' }), getGLFormat('stencil8')!)).toBe(true);
    expect(usesRenderbuffer(texture({}), rgba8)).toBe(false);
  });

  it('accepts a 4x MSAA render attachment of a format with 4 samples', () => {
    expect(fieldOf(texture({ sampleCount: 4 }))).toBe('ok');
    expect(fieldOf(texture({ usage: TEXTURE_BINDING | COPY_DST, mipLevelCount: 7 }))).toBe('ok');
  });

  it('refuses what a renderbuffer cannot be', () => {
    expect(fieldOf(texture({ sampleCount: 4, usage: RENDER_ATTACHMENT | TEXTURE_BINDING }))).toMatch(
      /^usage: must not include TEXTURE_BINDING: on WebGL2 a multisampled texture is a renderbuffer/,
    );
    expect(fieldOf(texture({ sampleCount: 4, width: 256 }))).toMatch(
      /^size.width: must be <= MAX_RENDERBUFFER_SIZE \(128\)/,
    );
    expect(fieldOf(texture({ sampleCount: 4, format: 'r8uint' }))).toMatch(
      /^sampleCount: .*'r8uint': none \(GLES 3.0 cannot multisample integer formats\)/,
    );
    expect(fieldOf(texture({ format: 'stencil8', depthOrArrayLayers: 2 }))).toMatch(
      /^size.depthOrArrayLayers: must be 1/,
    );
  });
});

describe('checkWebGL2Buffer', () => {
  const check =
    (usage: number, mappedAtCreation = false) =>
    () =>
      checkWebGL2Buffer({ label: 'buf', size: 64, usage, mappedAtCreation });

  it('accepts vertex, index (with copies), uniform and readback buffers', () => {
    expect(check(BufferUsage.VERTEX | BufferUsage.COPY_DST)).not.toThrow();
    expect(check(BufferUsage.INDEX | BufferUsage.COPY_DST | BufferUsage.COPY_SRC)).not.toThrow();
    expect(check(BufferUsage.UNIFORM)).not.toThrow();
    expect(check(BufferUsage.MAP_READ | BufferUsage.COPY_DST)).not.toThrow();
  });

  it('refuses what GL has no equivalent for', () => {
    expect(check(BufferUsage.STORAGE)).toThrow(
      /'buf': usage = "STORAGE" is invalid: must not include STORAGE/,
    );
    expect(check(BufferUsage.INDIRECT | BufferUsage.VERTEX)).toThrow(/no indirect draws/);
    expect(check(BufferUsage.QUERY_RESOLVE)).toThrow(/no query resolve/);
    expect(check(BufferUsage.INDEX | BufferUsage.VERTEX)).toThrow(
      /INDEX may only be combined with COPY_SRC and COPY_DST/,
    );
    expect(check(BufferUsage.VERTEX, true)).toThrow(/mappedAtCreation = true is invalid/);
  });
});
