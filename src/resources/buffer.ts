import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { ALL_BUFFER_USAGE, BufferUsage, usageNames } from './usage.ts';

/**
 * What a caller asks for. `usage` takes {@link BufferUsage} bits (the same values as `GPUBufferUsage`).
 */
export interface BufferDescriptor {
  label?: string;
  /** Size in bytes, > 0. */
  size: number;
  usage: number;
  /** Map the buffer for writing at creation (the size must then be a multiple of 4). */
  mappedAtCreation?: boolean;
}

/** A validated buffer descriptor with every default filled in. */
export interface NormalizedBufferDescriptor {
  readonly label: string;
  readonly size: number;
  readonly usage: number;
  readonly mappedAtCreation: boolean;
}

/**
 * Validates a buffer descriptor against the WebGPU rules and the device limits; returns it normalized.
 * Throws `ValidationError` naming the label, the field, the value and the rule. Touches nothing.
 *
 * @example
 * const desc = normalizeBufferDescriptor({ label: 'vertices', size: 1024, usage: BufferUsage.VERTEX }, caps);
 */
export function normalizeBufferDescriptor(
  desc: BufferDescriptor,
  caps: Capabilities,
): NormalizedBufferDescriptor {
  const label = desc.label ?? '';
  const { size, usage } = desc;
  const mappedAtCreation = desc.mappedAtCreation ?? false;
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new ValidationError(label, 'size', size, 'must be an integer number of bytes > 0');
  }
  if (size > caps.limits.maxBufferSize) {
    throw new ValidationError(label, 'size', size, `must be <= maxBufferSize (${caps.limits.maxBufferSize})`);
  }
  if (!Number.isInteger(usage) || usage <= 0 || (usage & ~ALL_BUFFER_USAGE) !== 0) {
    throw new ValidationError(
      label,
      'usage',
      usage,
      `must be a non-zero combination of BufferUsage bits (0x${ALL_BUFFER_USAGE.toString(16)})`,
    );
  }
  const named = usageNames(usage, BufferUsage);
  if (usage & BufferUsage.MAP_READ && usage & ~(BufferUsage.MAP_READ | BufferUsage.COPY_DST)) {
    throw new ValidationError(label, 'usage', named, 'MAP_READ may only be combined with COPY_DST');
  }
  if (usage & BufferUsage.MAP_WRITE && usage & ~(BufferUsage.MAP_WRITE | BufferUsage.COPY_SRC)) {
    throw new ValidationError(label, 'usage', named, 'MAP_WRITE may only be combined with COPY_SRC');
  }
  if (mappedAtCreation && size % 4 !== 0) {
    throw new ValidationError(label, 'size', size, 'must be a multiple of 4 when mappedAtCreation is true');
  }
  return { label, size, usage, mappedAtCreation };
}
