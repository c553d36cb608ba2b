import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { MAX_UINT32, readDescriptor, readInteger, readMember, readOptionalBoolean } from './input.ts';
import { readLabel } from './label.ts';
import { ALL_BUFFER_USAGE, BufferUsage, usageNames } from './usage.ts';

/**
 * What a caller asks for. `usage` takes {@link BufferUsage} bits (the same values as `GPUBufferUsage`).
 */
export interface BufferDescriptor {
  /** A string, or omitted (see `normalizeLabel`: no other type is converted). */
  label?: string;
  /** Size in bytes: an integer >= 0 (0 is a valid WebGPU buffer). */
  size: number;
  usage: number;
  /** Map the buffer for writing at creation (the size must then be a multiple of 4). A boolean. */
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
 * Rules: `size` an integer in 0..maxBufferSize (a size-0 buffer is valid WebGPU); `usage` an integer in
 * 0..2^32-1 (WebIDL `[EnforceRange] unsigned long`), not 0, only known `BufferUsage` bits, `MAP_READ` only with
 * `COPY_DST`, `MAP_WRITE` only with `COPY_SRC`; `mappedAtCreation` a boolean, and then `size` a multiple of
 * 4. Values of the wrong JavaScript type (`'64'`, `true`, `null`, `4.5`) are rejected, never converted.
 *
 * @example
 * const desc = normalizeBufferDescriptor({ label: 'vertices', size: 1024, usage: BufferUsage.VERTEX }, caps);
 */
export function normalizeBufferDescriptor(
  desc: BufferDescriptor,
  caps: Capabilities,
): NormalizedBufferDescriptor {
  const input = readDescriptor(desc, 'buffer');
  const label = readLabel(input);
  const size = readInteger(
    readMember(input, 'size', label, 'size'),
    label,
    'size',
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const usage = readInteger(readMember(input, 'usage', label, 'usage'), label, 'usage', 0, MAX_UINT32);
  const mappedAtCreation = readOptionalBoolean(
    readMember(input, 'mappedAtCreation', label, 'mappedAtCreation'),
    label,
    'mappedAtCreation',
    false,
  );
  if (size > caps.limits.maxBufferSize) {
    throw new ValidationError(label, 'size', size, `must be <= maxBufferSize (${caps.limits.maxBufferSize})`);
  }
  // usage <= 2^32-1 here, so `&` (which keeps 32 bits) sees every bit.
  if (usage === 0 || (usage & ~ALL_BUFFER_USAGE) !== 0) {
    throw new ValidationError(
      label,
      'usage',
      usage,
      `must be a non-zero combination of BufferUsage bits (0x${ALL_BUFFER_USAGE.toString(16)})`,
    );
  }
  // Usage names are built only for a message: a create that passes formats no strings.
  if (usage & BufferUsage.MAP_READ && usage & ~(BufferUsage.MAP_READ | BufferUsage.COPY_DST)) {
    throw new ValidationError(
      label,
      'usage',
      usageNames(usage, BufferUsage),
      'MAP_READ may only be combined with COPY_DST',
    );
  }
  if (usage & BufferUsage.MAP_WRITE && usage & ~(BufferUsage.MAP_WRITE | BufferUsage.COPY_SRC)) {
    throw new ValidationError(
      label,
      'usage',
      usageNames(usage, BufferUsage),
      'MAP_WRITE may only be combined with COPY_SRC',
    );
  }
  if (mappedAtCreation && size % 4 !== 0) {
    throw new ValidationError(label, 'size', size, 'must be a multiple of 4 when mappedAtCreation is true');
  }
  return { label, size, usage, mappedAtCreation };
}
