/**
 * Which `readPixels` format/type reads a texture back on WebGL2, and how to turn what it returns into the
 * texture's own texel bytes (what a WebGPU readback returns). Pure: no GL.
 *
 * WebGL2 guarantees one combination per attachment class (WebGL 2.0 spec, readPixels): RGBA/UNSIGNED_BYTE for
 * normalized formats, RGBA_INTEGER/UNSIGNED_INT or INT for integer formats, RGBA/FLOAT for float formats
 * (EXT_color_buffer_float). Every 8-bit unorm, 16/32-bit float and 8/16/32-bit integer format is read that
 * way (the "canonical" read) and repacked exactly: channels dropped, integers narrowed, floats converted to
 * half. Other formats are read only when the context's IMPLEMENTATION_COLOR_READ_FORMAT/TYPE for that
 * attachment is exactly the texture's own format/type. Little-endian byte order, as every browser uses.
 */

const RGBA = 0x1908;
const RGBA_INTEGER = 0x8d99;
const UNSIGNED_BYTE = 0x1401;
const INT = 0x1404;
const UNSIGNED_INT = 0x1405;
const FLOAT = 0x1406;

/** A guaranteed read and how its result maps to the texture's texels. */
export interface CanonicalRead {
  readonly pixelFormat: number;
  readonly pixelType: number;
  /** Bytes per texel as read: 4 (RGBA8) or 16 (RGBA32). */
  readonly readBytesPerTexel: number;
  /** Channels the texture has (kept from the 4 read). */
  readonly channels: 1 | 2 | 4;
  /** Bytes per channel in the texture. */
  readonly componentBytes: 1 | 2 | 4;
  /** The texture stores half floats (read as 32-bit floats). */
  readonly half: boolean;
}

function canonical(
  kind: 'unorm8' | 'float' | 'uint' | 'sint',
  channels: 1 | 2 | 4,
  componentBytes: 1 | 2 | 4,
): CanonicalRead {
  if (kind === 'unorm8') {
    return {
      pixelFormat: RGBA,
      pixelType: UNSIGNED_BYTE,
      readBytesPerTexel: 4,
      channels,
      componentBytes: 1,
      half: false,
    };
  }
  const pixelFormat = kind === 'float' ? RGBA : RGBA_INTEGER;
  const pixelType = kind === 'float' ? FLOAT : kind === 'uint' ? UNSIGNED_INT : INT;
  return {
    pixelFormat,
    pixelType,
    readBytesPerTexel: 16,
    channels,
    componentBytes,
    half: kind === 'float' && componentBytes === 2,
  };
}

const CANONICAL: ReadonlyMap<string, CanonicalRead> = new Map([
  ['r8unorm', canonical('unorm8', 1, 1)],
  ['rg8unorm', canonical('unorm8', 2, 1)],
  ['rgba8unorm', canonical('unorm8', 4, 1)],
  ['rgba8unorm-srgb', canonical('unorm8', 4, 1)], // readPixels returns the stored (encoded) values
  ['r16float', canonical('float', 1, 2)],
  ['rg16float', canonical('float', 2, 2)],
  ['rgba16float', canonical('float', 4, 2)],
  ['r32float', canonical('float', 1, 4)],
  ['rg32float', canonical('float', 2, 4)],
  ['rgba32float', canonical('float', 4, 4)],
  ['r8uint', canonical('uint', 1, 1)],
  ['rg8uint', canonical('uint', 2, 1)],
  ['rgba8uint', canonical('uint', 4, 1)],
  ['r16uint', canonical('uint', 1, 2)],
  ['rg16uint', canonical('uint', 2, 2)],
  ['rgba16uint', canonical('uint', 4, 2)],
  ['r32uint', canonical('uint', 1, 4)],
  ['rg32uint', canonical('uint', 2, 4)],
  ['rgba32uint', canonical('uint', 4, 4)],
  ['r8sint', canonical('sint', 1, 1)],
  ['rg8sint', canonical('sint', 2, 1)],
  ['rgba8sint', canonical('sint', 4, 1)],
  ['r16sint', canonical('sint', 1, 2)],
  ['rg16sint', canonical('sint', 2, 2)],
  ['rgba16sint', canonical('sint', 4, 2)],
  ['r32sint', canonical('sint', 1, 4)],
  ['rg32sint', canonical('sint', 2, 4)],
  ['rgba32sint', canonical('sint', 4, 4)],
]);

/**
 * The guaranteed read of a format, or `undefined` when WebGL2 guarantees none that is exact for it.
 *
 * @example
 * canonicalReadOf('r8unorm') // RGBA/UNSIGNED_BYTE, keep 1 of 4 channels
 * canonicalReadOf('rgb10a2unorm') // undefined: only an implementation read format can read it exactly
 */
export function canonicalReadOf(format: string): CanonicalRead | undefined {
  return CANONICAL.get(format);
}

/**
 * Turns `texels` texels read canonically into the texture's tight texel bytes. Identity (a copy) when the
 * canonical read already is the texture's layout (rgba8unorm, rgba32float, ...).
 *
 * @example
 * repackCanonical(rgbaBytes, 4, canonicalReadOf('r8unorm')!) // the 4 red bytes
 */
export function repackCanonical(raw: Uint8Array, texels: number, read: CanonicalRead): Uint8Array {
  const { channels, componentBytes, readBytesPerTexel } = read;
  if (channels === 4 && componentBytes * 4 === readBytesPerTexel)
    return raw.slice(0, texels * readBytesPerTexel);
  const out = new Uint8Array(texels * channels * componentBytes);
  if (readBytesPerTexel === 4) {
    for (let t = 0; t < texels; t++)
      for (let c = 0; c < channels; c++) out[t * channels + c] = raw[t * 4 + c]!;
    return out;
  }
  const words = new Uint32Array(raw.buffer, raw.byteOffset, texels * 4);
  const floats = new Float32Array(raw.buffer, raw.byteOffset, texels * 4);
  const view = new DataView(out.buffer);
  for (let t = 0; t < texels; t++) {
    for (let c = 0; c < channels; c++) {
      const at = (t * channels + c) * componentBytes;
      if (read.half) view.setUint16(at, float32ToFloat16Bits(floats[t * 4 + c]!), true);
      else if (componentBytes === 4) view.setUint32(at, words[t * 4 + c]!, true);
      else if (componentBytes === 2) view.setUint16(at, words[t * 4 + c]! & 0xffff, true);
      else out[at] = words[t * 4 + c]! & 0xff;
    }
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * IEEE 754 single to half precision, round to nearest even; exact for every value a half can hold (which is
 * all a 16-bit float texture can return).
 *
 * @example
 * float32ToFloat16Bits(1) // 0x3c00
 * float32ToFloat16Bits(-2) // 0xc000
 */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf or NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mantissa |= 0x800000; // subnormal half: shift the implicit bit in
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}
