/**
 * What the books say about an object a WebGPU engine created: the normalized descriptor and the exact bytes,
 * read from the created object itself (its `width`, `format`, `size`, `usage`... attributes reflect what the
 * GPU was asked for, defaults applied), so the engine's descriptor is never read twice and a one-shot
 * iterable in it is never consumed. When our validation refuses what the engine asked for (the GPU decides,
 * not us), the record is built directly from the same fields with the same byte rule, and marked best effort.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { type NormalizedBufferDescriptor, normalizeBufferDescriptor } from '../resources/buffer.ts';
import { getFormatInfo } from '../resources/formats.ts';
import type { NormalizedShaderDescriptor } from '../resources/shader.ts';
import { type NormalizedTextureDescriptor, normalizeTextureDescriptor } from '../resources/texture.ts';
import { type TextureDimension, textureByteSize } from '../resources/texture-size.ts';

/** A record to adopt, or the reason there is none. */
export type EngineRecord<D> =
  | { readonly descriptor: D; readonly bytes: number; readonly bestEffort: boolean }
  | { readonly skip: string };

/** Reads `descriptor[key]` without ever throwing (a throwing getter or a revoked Proxy gives `undefined`). */
export function safeMember(descriptor: unknown, key: string): unknown {
  if (typeof descriptor !== 'object' || descriptor === null) return undefined;
  try {
    return (descriptor as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function labelOf(object: { label?: unknown }, fallback: string): string {
  const label = safeMember(object, 'label');
  return typeof label === 'string' && label !== '' ? label : fallback;
}

/**
 * The record of a texture the engine created: its attributes, normalized by the texture validator, counted
 * by the WebGPU byte rule. `viewFormats` is read from the engine's descriptor only when it is a plain array.
 *
 * @example
 * const record = engineTextureRecord(device.createTexture(desc), desc, webgpuCapabilities(device));
 */
export function engineTextureRecord(
  texture: GPUTexture,
  engineDescriptor: unknown,
  caps: Capabilities,
): EngineRecord<NormalizedTextureDescriptor> {
  const format = safeMember(texture, 'format') as GPUTextureFormat;
  const width = safeMember(texture, 'width') as number;
  const height = safeMember(texture, 'height') as number;
  const depthOrArrayLayers = safeMember(texture, 'depthOrArrayLayers') as number;
  const dimension = safeMember(texture, 'dimension') as TextureDimension;
  const mipLevelCount = safeMember(texture, 'mipLevelCount') as number;
  const sampleCount = safeMember(texture, 'sampleCount') as number;
  const usage = safeMember(texture, 'usage') as number;
  const views = safeMember(engineDescriptor, 'viewFormats');
  const viewFormats = Array.isArray(views)
    ? (views.filter((v) => typeof v === 'string') as GPUTextureFormat[])
    : [];
  const label = labelOf(texture, `texture ${width}x${height} ${format}`);
  try {
    const descriptor = normalizeTextureDescriptor(
      {
        label,
        size: [width, height, depthOrArrayLayers],
        format,
        usage,
        dimension,
        mipLevelCount,
        sampleCount,
        viewFormats,
      },
      caps,
    );
    return { descriptor, bytes: textureByteSize(descriptor), bestEffort: false };
  } catch {
    if (getFormatInfo(format) === undefined) return { skip: 'unknown texture format' };
    const numbers = [width, height, depthOrArrayLayers, mipLevelCount, sampleCount, usage];
    if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) return { skip: 'texture without a size' };
    if (dimension !== '1d' && dimension !== '2d' && dimension !== '3d')
      return { skip: 'texture without a dimension' };
    const descriptor: NormalizedTextureDescriptor = {
      label,
      width,
      height,
      depthOrArrayLayers,
      format,
      usage,
      dimension,
      mipLevelCount,
      sampleCount,
      viewFormats,
    };
    try {
      return { descriptor, bytes: textureByteSize(descriptor), bestEffort: true };
    } catch {
      return { skip: 'texture bytes not countable' };
    }
  }
}

/**
 * The record of a buffer the engine created: `size` and `usage` from the buffer, `mappedAtCreation` from its
 * map state right after creation.
 *
 * @example
 * const record = engineBufferRecord(device.createBuffer(desc), webgpuCapabilities(device));
 */
export function engineBufferRecord(
  buffer: GPUBuffer,
  caps: Capabilities,
): EngineRecord<NormalizedBufferDescriptor> {
  const size = safeMember(buffer, 'size') as number;
  const usage = safeMember(buffer, 'usage') as number;
  const mappedAtCreation = safeMember(buffer, 'mapState') === 'mapped';
  const label = labelOf(buffer, `buffer ${size} B`);
  try {
    const descriptor = normalizeBufferDescriptor({ label, size, usage, mappedAtCreation }, caps);
    return { descriptor, bytes: descriptor.size, bestEffort: false };
  } catch {
    if (!Number.isSafeInteger(size) || size < 0) return { skip: 'buffer without a size' };
    const bits = Number.isSafeInteger(usage) ? usage : 0;
    return { descriptor: { label, size, usage: bits, mappedAtCreation }, bytes: size, bestEffort: true };
  }
}

/**
 * The record of a shader module: its label and WGSL (read once from the engine's descriptor, after the
 * create). Shader modules own no memory the page can know: 0 bytes. Built directly rather than through the
 * shader validator: that one computes a sharing key (a JSON copy of the whole source), which an adopted
 * module never uses (it is never shared) and which would double the memory of an engine's shader sources.
 *
 * @example
 * const record = engineShaderRecord(device.createShaderModule(desc), desc);
 */
export function engineShaderRecord(
  module: GPUShaderModule,
  engineDescriptor: unknown,
): EngineRecord<NormalizedShaderDescriptor> {
  const code = safeMember(engineDescriptor, 'code');
  const label = labelOf(module, 'shader module');
  const source = typeof code === 'string' ? code : '';
  const descriptor: NormalizedShaderDescriptor = {
    label,
    code: source,
    vertex: '',
    fragment: '',
    entryPoints: [],
    key: '',
  };
  return { descriptor, bytes: 0, bestEffort: source === '' };
}
