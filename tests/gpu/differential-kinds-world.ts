/**
 * The real resources the differential test of the new kinds draws from: textures of every dimension, sample
 * type and aspect, buffers of each binding usage, samplers, and (filled as the test goes) views and bind group
 * layouts. Each lives twice: as a row our validators see through a `ResourceLookup`, and as a Dawn object the
 * test hands to Dawn under the same handle.
 */
import type { Capabilities } from '../../src/core/capabilities.ts';
import type { ResourceKind } from '../../src/core/kind-types.ts';
import { ShaderStage } from '../../src/resources/bind-group-layout.ts';
import { normalizeBufferDescriptor } from '../../src/resources/buffer.ts';
import { type LookedUpResource, resourceLookup } from '../../src/resources/resource-lookup.ts';
import { normalizeSamplerDescriptor } from '../../src/resources/sampler.ts';
import { normalizeTextureDescriptor } from '../../src/resources/texture.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';

const TB = TextureUsage.TEXTURE_BINDING;
const SB = TextureUsage.STORAGE_BINDING;
const RA = TextureUsage.RENDER_ATTACHMENT;
const CD = TextureUsage.COPY_DST;

/** The textures of the pool (descriptor inputs). */
export const POOL_TEXTURES: readonly Record<string, unknown>[] = [
  {
    size: [8, 8],
    format: 'rgba8unorm',
    mipLevelCount: 4,
    usage: TB | SB | CD,
    viewFormats: ['rgba8unorm-srgb'],
  },
  { size: [8, 8, 6], format: 'rgba8unorm', mipLevelCount: 2, usage: TB },
  { size: [8, 8, 12], format: 'rgba8unorm', usage: TB },
  { size: [8, 4, 6], format: 'rgba8unorm', usage: TB },
  { size: [16], dimension: '1d', format: 'rgba8unorm', usage: TB | SB },
  { size: [8, 8, 4], dimension: '3d', format: 'rgba8unorm', mipLevelCount: 2, usage: TB | SB },
  { size: [8, 8], format: 'rgba8unorm', sampleCount: 4, usage: TB | RA },
  { size: [8, 8], format: 'rgba8unorm', usage: CD },
  { size: [8, 8], format: 'depth24plus', usage: TB | RA },
  { size: [8, 8], format: 'depth24plus-stencil8', usage: TB | RA },
  { size: [8, 8, 6], format: 'depth32float', usage: TB },
  { size: [8, 8], format: 'depth32float-stencil8', usage: TB },
  { size: [8, 8], format: 'stencil8', usage: TB | RA },
  { size: [8, 8], format: 'depth24plus', sampleCount: 4, usage: TB | RA },
  { size: [8, 8], format: 'r32float', usage: TB | SB },
  { size: [8, 8, 2], format: 'r32float', usage: SB },
  { size: [8, 8], format: 'r32uint', usage: TB | SB },
  { size: [8, 8], format: 'rgba8uint', usage: TB },
  { size: [8, 8], format: 'rgba8sint', usage: TB | RA, sampleCount: 4 },
  { size: [8, 8], format: 'rgba16float', usage: TB | SB },
  { size: [8, 8], format: 'rgba32float', usage: TB | SB },
  { size: [8, 8], format: 'bc1-rgba-unorm', usage: TB, viewFormats: ['bc1-rgba-unorm-srgb'] },
  { size: [8, 8], format: 'bgra8unorm', usage: TB | SB },
];

/** The buffers of the pool (descriptor inputs). */
export const POOL_BUFFERS: readonly Record<string, unknown>[] = [
  { size: 256, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST },
  { size: 1024, usage: BufferUsage.UNIFORM },
  { size: 1024, usage: BufferUsage.STORAGE },
  { size: 64, usage: BufferUsage.STORAGE },
  { size: 65536 + 1024, usage: BufferUsage.UNIFORM | BufferUsage.STORAGE },
  { size: 6, usage: BufferUsage.UNIFORM | BufferUsage.STORAGE },
  { size: 256, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST },
  { size: 516, usage: BufferUsage.VERTEX | BufferUsage.STORAGE | BufferUsage.UNIFORM },
];

/** The samplers of the pool. */
export const POOL_SAMPLERS: readonly Record<string, unknown>[] = [
  {},
  { magFilter: 'linear', minFilter: 'linear' },
  { compare: 'less' },
  { compare: 'less-equal', magFilter: 'linear' },
  { magFilter: 'linear', minFilter: 'linear', mipmapFilter: 'linear', maxAnisotropy: 4 },
];

const { VERTEX, FRAGMENT, COMPUTE } = ShaderStage;
/** Bind group layouts that cover every binding type, for the bind group cases. */
export const POOL_LAYOUTS: readonly Record<string, unknown>[][] = [
  [
    { binding: 0, visibility: FRAGMENT, buffer: {} },
    { binding: 1, visibility: FRAGMENT, texture: {} },
    { binding: 2, visibility: FRAGMENT, sampler: {} },
  ],
  [
    { binding: 0, visibility: COMPUTE, buffer: { type: 'storage' } },
    { binding: 1, visibility: VERTEX, buffer: { type: 'read-only-storage', minBindingSize: 64 } },
    { binding: 2, visibility: FRAGMENT, buffer: { hasDynamicOffset: true } },
  ],
  [
    { binding: 0, visibility: FRAGMENT, texture: { sampleType: 'depth' } },
    { binding: 1, visibility: FRAGMENT, sampler: { type: 'comparison' } },
    { binding: 2, visibility: FRAGMENT, texture: { sampleType: 'uint' } },
    { binding: 3, visibility: FRAGMENT, texture: { sampleType: 'sint', multisampled: true } },
  ],
  [
    {
      binding: 0,
      visibility: FRAGMENT,
      texture: { sampleType: 'unfilterable-float', viewDimension: '2d-array' },
    },
    { binding: 1, visibility: FRAGMENT, texture: { viewDimension: 'cube' } },
    { binding: 2, visibility: FRAGMENT, texture: { viewDimension: 'cube-array' } },
    { binding: 3, visibility: FRAGMENT, texture: { viewDimension: '3d' } },
    { binding: 4, visibility: FRAGMENT, texture: { viewDimension: '1d' } },
  ],
  [
    { binding: 0, visibility: FRAGMENT, texture: { sampleType: 'unfilterable-float', multisampled: true } },
    { binding: 1, visibility: FRAGMENT, texture: { sampleType: 'depth', multisampled: true } },
  ],
  [
    { binding: 0, visibility: COMPUTE, storageTexture: { format: 'rgba8unorm' } },
    { binding: 1, visibility: COMPUTE, storageTexture: { format: 'r32float', access: 'read-write' } },
    { binding: 2, visibility: VERTEX, storageTexture: { format: 'r32uint', access: 'read-only' } },
    { binding: 3, visibility: COMPUTE, storageTexture: { format: 'rgba8unorm', viewDimension: '3d' } },
  ],
  [
    { binding: 0, visibility: FRAGMENT, sampler: { type: 'non-filtering' } },
    { binding: 1, visibility: FRAGMENT, texture: { sampleType: 'unfilterable-float' } },
    { binding: 2, visibility: FRAGMENT, texture: { sampleType: 'depth' } },
  ],
  [],
  [
    { binding: 5, visibility: FRAGMENT, buffer: { minBindingSize: 16 } },
    { binding: 7, visibility: COMPUTE, buffer: { type: 'storage', minBindingSize: 8 } },
  ],
  [{ binding: 0, visibility: FRAGMENT, texture: { sampleType: 'float' } }],
];

/** One pool resource: its handle, kind, normalized descriptor and Dawn object. */
export interface PoolResource {
  readonly handle: number;
  readonly kind: ResourceKind;
  readonly descriptor: unknown;
  readonly object: unknown;
}

/** The pool: rows for our lookup, Dawn objects by the same handle. */
export class World {
  private readonly rows = new Map<number, LookedUpResource & { object: unknown }>();
  private next = 1;
  private readonly destroyables: { destroy(): void }[] = [];
  readonly lookup = resourceLookup((h) => this.rows.get(h));

  constructor(
    readonly device: GPUDevice,
    readonly caps: Capabilities,
  ) {}

  /** Adds a resource; returns its handle. */
  add(kind: ResourceKind, descriptor: unknown, object: unknown): number {
    const handle = this.next++;
    this.rows.set(handle, { kind, descriptor, label: `${kind}${handle}`, state: 'live', object });
    if (kind === 'texture' || kind === 'buffer' || kind === 'querySet') {
      this.destroyables.push(object as { destroy(): void });
    }
    return handle;
  }

  kind(handle: number): ResourceKind | undefined {
    return this.rows.get(handle)?.kind;
  }

  object<T>(handle: number): T {
    const row = this.rows.get(handle);
    if (!row) throw new Error(`no pool resource ${handle}`);
    return row.object as T;
  }

  descriptor<T>(handle: number): T {
    return this.rows.get(handle)!.descriptor as T;
  }

  /** Builds the fixed part of the pool. */
  populate(): void {
    for (const input of POOL_TEXTURES) {
      const desc = normalizeTextureDescriptor(input as never, this.caps);
      this.add('texture', desc, this.device.createTexture(input as unknown as GPUTextureDescriptor));
    }
    for (const input of POOL_BUFFERS) {
      const desc = normalizeBufferDescriptor(input as never, this.caps);
      this.add('buffer', desc, this.device.createBuffer(input as unknown as GPUBufferDescriptor));
    }
    for (const input of POOL_SAMPLERS) {
      this.add('sampler', normalizeSamplerDescriptor(input as never), this.device.createSampler(input));
    }
  }

  handles(kind: ResourceKind): number[] {
    return [...this.rows].filter(([, r]) => r.kind === kind).map(([h]) => h);
  }

  /** Dawn's form of a bind group resource: handles become Dawn objects; a texture binds its default view. */
  dawnResource(resource: unknown): unknown {
    if (typeof resource === 'object' && resource !== null) {
      const range = resource as { buffer: number; offset?: number; size?: number };
      const out: Record<string, unknown> = { buffer: this.object(range.buffer) };
      if (range.offset !== undefined) out.offset = range.offset;
      if (range.size !== undefined) out.size = range.size;
      return out;
    }
    const handle = resource as number;
    switch (this.kind(handle)) {
      case 'buffer':
        return { buffer: this.object(handle) };
      case 'texture':
        return this.object<GPUTexture>(handle).createView();
      default:
        return this.object(handle);
    }
  }

  destroy(): void {
    for (const o of this.destroyables) o.destroy();
  }
}
