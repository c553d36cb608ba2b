/**
 * The WebGL2 ledger's byte count for a texture: a pure function, checked against a hand-computed table in
 * tests/webgl2/.
 *
 * What is counted, per mip level: ceil(w / blockWidth) * ceil(h / blockHeight) * (array layers, or that level's
 * 3D depth) * GL bytes per block (gl-formats.ts), times the sample count. Rules behind the terms:
 * - Immutable storage (`texStorage2D/3D`) allocates exactly `mipLevelCount` levels, each floor-halved and
 *   never below 1; 2D array layers do not shrink, a 3D texture's depth does.
 * - A compressed level smaller than a block still takes one whole block.
 * - A multisampled texture is a renderbuffer with exactly `sampleCount` samples (the backend refuses counts
 *   GL would round up), so it costs sampleCount x texels x bytes: 4x, not 16x. Its resolve target is a
 *   separate texture with its own record.
 * - A 1D texture is a 2D texture of height 1.
 * Not counted, because GL does not expose them: driver padding/alignment, compression metadata, and the copy of
 * a texture that a driver may keep in system memory.
 */
import { blockTableByteSize, type TextureSizeInput } from '../../resources/texture-size.ts';
import { getGLFormat } from './gl-formats.ts';

/**
 * Exact bytes WebGL2 allocates for a texture, by the rules above. Throws `ValidationError` for a format that
 * WebGL2 cannot hold (validation refuses those first).
 *
 * @example
 * glTextureByteSize({ format: 'rgba8unorm', width: 64, height: 64, depthOrArrayLayers: 1, dimension: '2d',
 *   mipLevelCount: 1, sampleCount: 4 }) // 65536
 * glTextureByteSize({ format: 'depth32float-stencil8', width: 16, height: 16, depthOrArrayLayers: 1,
 *   dimension: '2d', mipLevelCount: 1, sampleCount: 1 }) // 2048 (8 bytes per texel on GL)
 */
export function glTextureByteSize(input: TextureSizeInput): number {
  return blockTableByteSize(input, getGLFormat, 'has no WebGL2 equivalent');
}
