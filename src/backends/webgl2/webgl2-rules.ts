/**
 * GL's own rules that the neutral validation cannot express (it sees only format and usage through
 * `unsupportedFormatReason`): multisampled textures are renderbuffers, element-array buffers cannot be bound
 * elsewhere, GL has no mapping, no storage buffers and no indirect draws. Pure functions of the normalized
 * descriptor and a few context facts, called by the backend before any GL call; they throw the same
 * `ValidationError` (label, field, bad value, rule) as the neutral validation, so nothing is created.
 */
import { ValidationError } from '../../errors.ts';
import type { NormalizedBufferDescriptor } from '../../resources/buffer.ts';
import type { NormalizedTextureDescriptor } from '../../resources/texture.ts';
import { BufferUsage, TextureUsage, usageNames } from '../../resources/usage.ts';
import type { GLFormatInfo } from './gl-formats.ts';

/** The context facts the texture rules need. */
export interface GLTextureRuleContext {
  /** `MAX_RENDERBUFFER_SIZE`. */
  readonly maxRenderbufferSize: number;
  /** `getInternalformatParameter(RENDERBUFFER, internalFormat, SAMPLES)`: the sample counts GL supports. */
  readonly sampleCounts: (internalFormat: number) => readonly number[];
}

/**
 * True when WebGL2 holds the texture in a renderbuffer rather than a texture: multisampled textures (WebGL2 has
 * no multisampled textures) and stencil-only ones (no stencil textures).
 *
 * @example
 * usesRenderbuffer({ ...desc, sampleCount: 4 }, getGLFormat('rgba8unorm')!) // true
 */
export function usesRenderbuffer(desc: NormalizedTextureDescriptor, info: GLFormatInfo): boolean {
  return desc.sampleCount > 1 || info.renderbufferOnly;
}

/**
 * Checks a validated texture descriptor against what WebGL2 can allocate. Renderbuffers have no mips, no
 * layers and cannot be sampled; GL allocates at least the requested samples and at most the next supported
 * count, so requiring 4 to be a supported count makes the allocation exactly 4 samples (the ledger's count).
 *
 * @example
 * checkWebGL2Texture(normalized, glInfo, { maxRenderbufferSize: 8192, sampleCounts: () => [4] });
 */
export function checkWebGL2Texture(
  desc: NormalizedTextureDescriptor,
  info: GLFormatInfo,
  ctx: GLTextureRuleContext,
): void {
  if (!usesRenderbuffer(desc, info)) return;
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ValidationError(desc.label, field, value, rule);
  };
  const why =
    desc.sampleCount > 1
      ? `on WebGL2 a multisampled texture is a renderbuffer`
      : `on WebGL2 '${desc.format}' exists only as a renderbuffer`;
  if (desc.usage & TextureUsage.TEXTURE_BINDING) {
    fail(
      'usage',
      usageNames(desc.usage, TextureUsage),
      `must not include TEXTURE_BINDING: ${why}, which shaders cannot sample`,
    );
  }
  if (desc.dimension !== '2d' || desc.depthOrArrayLayers !== 1) {
    fail('size.depthOrArrayLayers', desc.depthOrArrayLayers, `must be 1 with dimension '2d': ${why}`);
  }
  if (desc.mipLevelCount !== 1) fail('mipLevelCount', desc.mipLevelCount, `must be 1: ${why}`);
  const max = ctx.maxRenderbufferSize;
  if (desc.width > max) fail('size.width', desc.width, `must be <= MAX_RENDERBUFFER_SIZE (${max}): ${why}`);
  if (desc.height > max)
    fail('size.height', desc.height, `must be <= MAX_RENDERBUFFER_SIZE (${max}): ${why}`);
  if (desc.sampleCount > 1) {
    const supported = ctx.sampleCounts(info.internalFormat);
    if (!supported.includes(desc.sampleCount)) {
      const list = supported.length
        ? `[${supported.join(', ')}]`
        : 'none (GLES 3.0 cannot multisample integer formats)';
      fail(
        'sampleCount',
        desc.sampleCount,
        `must be a sample count WebGL2 supports for '${desc.format}': ${list}`,
      );
    }
  }
}

const { INDEX, COPY_SRC, COPY_DST, STORAGE, INDIRECT, QUERY_RESOLVE } = BufferUsage;

/**
 * Checks a validated buffer descriptor against WebGL2. Refused: STORAGE (no storage buffers), INDIRECT (no
 * indirect draws), QUERY_RESOLVE (no query resolve), INDEX combined with anything but COPY_SRC/COPY_DST (WebGL
 * 2.0 spec section 5.1: a buffer used as ELEMENT_ARRAY_BUFFER can never be bound to another data target), and
 * mappedAtCreation (GL buffers are never mapped; write them with `bufferSubData`).
 *
 * @example
 * checkWebGL2Buffer({ label: 'ibo', size: 64, usage: BufferUsage.INDEX | BufferUsage.VERTEX, mappedAtCreation: false });
 * // throws ValidationError: usage ... INDEX may only be combined with COPY_SRC and COPY_DST on WebGL2
 */
export function checkWebGL2Buffer(desc: NormalizedBufferDescriptor): void {
  const named = usageNames(desc.usage, BufferUsage);
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ValidationError(desc.label, field, value, rule);
  };
  if (desc.usage & STORAGE) fail('usage', named, 'must not include STORAGE: WebGL2 has no storage buffers');
  if (desc.usage & INDIRECT) fail('usage', named, 'must not include INDIRECT: WebGL2 has no indirect draws');
  if (desc.usage & QUERY_RESOLVE) {
    fail('usage', named, 'must not include QUERY_RESOLVE: WebGL2 has no query resolve');
  }
  if (desc.usage & INDEX && desc.usage & ~(INDEX | COPY_SRC | COPY_DST)) {
    fail(
      'usage',
      named,
      'INDEX may only be combined with COPY_SRC and COPY_DST on WebGL2 (an element array buffer cannot be bound to other targets)',
    );
  }
  if (desc.mappedAtCreation) {
    fail(
      'mappedAtCreation',
      true,
      'must be false on WebGL2: GL buffers are never mapped (write with bufferSubData)',
    );
  }
}
