/**
 * Bind groups on WebGL2: GL has no bind group objects, so a bind group is a recorded binding set, applied with
 * {@link applyGLBindGroup} when a pass draws with it. Within a group, uniform buffers take consecutive uniform
 * block binding points and textures consecutive texture units, in binding order; a pipeline layout places each
 * group after the ones before it (see {@link createGLPipelineLayout}). GLSL ES 3.00 pairs a texture with its
 * sampler in one unit, so a sampler at binding `b` samples the texture at binding `b - 1` (the usual
 * `[texture, sampler]` order of WebGPU layouts); a texture without such a sampler keeps its own parameters.
 */

import type { BindGroupResource } from '../../core/backend.ts';
import { ValidationError } from '../../errors.ts';
import type { NormalizedBindGroupDescriptor } from '../../resources/bind-group.ts';
import type { NormalizedBindGroupLayoutDescriptor } from '../../resources/bind-group-layout.ts';
import type { WebGL2Objects } from './webgl2-backend.ts';
import type { WebGL2Buffer } from './webgl2-buffers.ts';
import type { WebGL2Sampler } from './webgl2-sampler.ts';
import type { WebGL2Texture } from './webgl2-textures.ts';

/** A bind group layout on WebGL2: its entries, and how many uniform blocks and texture units it takes. */
export interface WebGL2BindGroupLayout {
  readonly desc: NormalizedBindGroupLayoutDescriptor;
  readonly uniformBlocks: number;
  readonly textureUnits: number;
}

/** A pipeline layout on WebGL2: where each group's uniform blocks and texture units start. */
export interface WebGL2PipelineLayout {
  readonly layouts: readonly WebGL2BindGroupLayout[];
  readonly uniformBase: readonly number[];
  readonly textureBase: readonly number[];
}

/** One recorded texture unit: the texture, the view's mip range, and the sampler paired with it. */
export interface GLTextureBinding {
  readonly unit: number;
  readonly texture: WebGL2Texture;
  readonly baseMipLevel: number;
  readonly mipLevelCount: number;
  readonly sampler: WebGL2Sampler | undefined;
}

/** A recorded binding set. Units and binding points are relative to the group's place in the pipeline layout. */
export interface WebGL2BindGroup {
  readonly uniforms: readonly {
    readonly point: number;
    readonly buffer: WebGL2Buffer;
    readonly offset: number;
    readonly size: number;
  }[];
  readonly textures: readonly GLTextureBinding[];
}

/**
 * Records a layout: counts its uniform buffers and textures. Storage buffers and storage textures do not exist
 * on WebGL2 and are refused.
 *
 * @example
 * createGLBindGroupLayout(desc) // { desc, uniformBlocks: 1, textureUnits: 2 }
 */
export function createGLBindGroupLayout(desc: NormalizedBindGroupLayoutDescriptor): WebGL2BindGroupLayout {
  let uniformBlocks = 0;
  let textureUnits = 0;
  for (const entry of desc.entries) {
    if (entry.type === 'buffer') {
      if (entry.bufferType !== 'uniform') {
        throw new ValidationError(
          desc.label,
          `binding ${entry.binding}`,
          entry.bufferType,
          'WebGL2 cannot bind storage buffers (it has none)',
        );
      }
      uniformBlocks++;
    } else if (entry.type === 'texture') textureUnits++;
    else if (entry.type === 'storageTexture') {
      throw new ValidationError(
        desc.label,
        `binding ${entry.binding}`,
        entry.access,
        'WebGL2 cannot bind storage textures (it has none)',
      );
    }
  }
  return { desc, uniformBlocks, textureUnits };
}

/**
 * Places each group's uniform blocks and texture units after the previous groups'.
 *
 * @example
 * createGLPipelineLayout([frame, material]).textureBase // [0, frame.textureUnits]
 */
export function createGLPipelineLayout(layouts: readonly WebGL2BindGroupLayout[]): WebGL2PipelineLayout {
  const uniformBase: number[] = [];
  const textureBase: number[] = [];
  let uniforms = 0;
  let textures = 0;
  for (const layout of layouts) {
    uniformBase.push(uniforms);
    textureBase.push(textures);
    uniforms += layout.uniformBlocks;
    textures += layout.textureUnits;
  }
  return { layouts: [...layouts], uniformBase, textureBase };
}

/**
 * Records the binding set of a validated bind group.
 *
 * @example
 * const group = createGLBindGroup(desc, resources);
 */
export function createGLBindGroup(
  desc: NormalizedBindGroupDescriptor,
  resources: readonly BindGroupResource<WebGL2Objects>[],
): WebGL2BindGroup {
  const uniforms: WebGL2BindGroup['uniforms'][number][] = [];
  const textures: {
    unit: number;
    binding: number;
    texture: WebGL2Texture;
    baseMipLevel: number;
    mipLevelCount: number;
  }[] = [];
  const samplers = new Map<number, WebGL2Sampler>();
  for (const r of resources) {
    if ('buffer' in r)
      uniforms.push({ point: uniforms.length, buffer: r.buffer, offset: r.offset, size: r.size });
    else if ('sampler' in r) samplers.set(r.binding, r.sampler);
    else {
      const view = 'view' in r ? r.view : undefined;
      const texture = view ? view.texture : (r as { texture: WebGL2Texture }).texture;
      if (texture.kind === 'renderbuffer') {
        throw new ValidationError(
          desc.label,
          `binding ${r.binding}`,
          texture.format,
          'WebGL2 cannot sample a renderbuffer (multisampled or stencil-only texture)',
        );
      }
      textures.push({
        unit: textures.length,
        binding: r.binding,
        texture,
        baseMipLevel: view?.baseMipLevel ?? 0,
        mipLevelCount: view?.mipLevelCount ?? Number.POSITIVE_INFINITY,
      });
    }
  }
  return {
    uniforms,
    textures: textures.map(({ binding, ...t }) => ({ ...t, sampler: samplers.get(binding + 1) })),
  };
}

/**
 * Binds a recorded group for drawing: uniform ranges at `uniformBase + point`, textures (with their view's mip
 * range) and samplers at `textureBase + unit`.
 *
 * @example
 * applyGLBindGroup(gl, group, layout.uniformBase[0]!, layout.textureBase[0]!);
 */
export function applyGLBindGroup(
  gl: WebGL2RenderingContext,
  group: WebGL2BindGroup,
  uniformBase: number,
  textureBase: number,
): void {
  for (const u of group.uniforms)
    gl.bindBufferRange(gl.UNIFORM_BUFFER, uniformBase + u.point, u.buffer.buffer, u.offset, u.size);
  for (const t of group.textures) {
    if (t.texture.kind !== 'texture') continue;
    const unit = textureBase + t.unit;
    gl.activeTexture(gl.TEXTURE0 + unit);
    gl.bindTexture(t.texture.target, t.texture.texture);
    gl.texParameteri(t.texture.target, gl.TEXTURE_BASE_LEVEL, t.baseMipLevel);
    const last = Number.isFinite(t.mipLevelCount) ? t.baseMipLevel + t.mipLevelCount - 1 : 1000;
    gl.texParameteri(t.texture.target, gl.TEXTURE_MAX_LEVEL, last);
    gl.bindSampler(unit, t.sampler?.sampler ?? null);
  }
}
