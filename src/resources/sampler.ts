/**
 * The sampler descriptor and its validation (WebGPU's createSampler rules). Samplers are shared by descriptor:
 * the normalized descriptor without its label is the sharing key.
 */
import { ValidationError } from '../errors.ts';
import { readDescriptor, readFiniteNumber, readInteger, readMember } from './input.ts';
import { readLabel } from './label.ts';
import { readEnum } from './resource-lookup.ts';

/** What a caller asks for (the fields of `GPUSamplerDescriptor`). */
export interface SamplerDescriptor {
  label?: string;
  addressModeU?: GPUAddressMode;
  addressModeV?: GPUAddressMode;
  addressModeW?: GPUAddressMode;
  magFilter?: GPUFilterMode;
  minFilter?: GPUFilterMode;
  mipmapFilter?: GPUMipmapFilterMode;
  /** Default 0; >= 0. */
  lodMinClamp?: number;
  /** Default 32; >= lodMinClamp. */
  lodMaxClamp?: number;
  /** Makes a comparison sampler (for depth textures). */
  compare?: GPUCompareFunction;
  /**
   * 1..65535 (default 1); above 1 only with linear mag, min and mipmap filters. A maximum: the GPU clamps it to
   * what it supports (16 on most).
   */
  maxAnisotropy?: number;
}

/** A validated sampler descriptor with every default applied. */
export interface NormalizedSamplerDescriptor {
  readonly label: string;
  readonly addressModeU: GPUAddressMode;
  readonly addressModeV: GPUAddressMode;
  readonly addressModeW: GPUAddressMode;
  readonly magFilter: GPUFilterMode;
  readonly minFilter: GPUFilterMode;
  readonly mipmapFilter: GPUMipmapFilterMode;
  readonly lodMinClamp: number;
  readonly lodMaxClamp: number;
  readonly compare: GPUCompareFunction | undefined;
  readonly maxAnisotropy: number;
  /** Identifies equal samplers (everything but the label). */
  readonly key: string;
}

export const ADDRESS_MODES: readonly GPUAddressMode[] = ['clamp-to-edge', 'repeat', 'mirror-repeat'];
export const FILTER_MODES: readonly GPUFilterMode[] = ['nearest', 'linear'];
export const COMPARE_FUNCTIONS: readonly GPUCompareFunction[] = [
  'never',
  'less',
  'equal',
  'less-equal',
  'greater',
  'not-equal',
  'greater-equal',
  'always',
];
/**
 * The largest `maxAnisotropy` accepted: WebGPU's member is an `unsigned short`, and any value from 1 up is valid
 * (the GPU clamps it to the largest it supports, 16 on most devices), so only the type bounds it.
 */
export const MAX_ANISOTROPY = 0xffff;

/**
 * Validates a sampler descriptor and fills in defaults. Rules: address modes among `ADDRESS_MODES`, filters
 * `'nearest'`/`'linear'`, `lodMinClamp` and `lodMaxClamp` finite with `0 <= lodMinClamp <= lodMaxClamp`,
 * `compare` one of `COMPARE_FUNCTIONS` or omitted, `maxAnisotropy` an integer 1..65535 and above 1 only when
 * magFilter, minFilter and mipmapFilter are all `'linear'`. Nothing is converted.
 *
 * @example
 * normalizeSamplerDescriptor({ label: 'linear', magFilter: 'linear', minFilter: 'linear' }).key
 */
export function normalizeSamplerDescriptor(desc: SamplerDescriptor = {}): NormalizedSamplerDescriptor {
  const input = readDescriptor(desc, 'sampler');
  const label = readLabel(input);
  const member = (key: string) => readMember(input, key, label, key);
  const address = (key: string) => readEnum(member(key), ADDRESS_MODES, 'clamp-to-edge', label, key);
  const filter = (key: string) => readEnum(member(key), FILTER_MODES, 'nearest', label, key);
  const addressModeU = address('addressModeU');
  const addressModeV = address('addressModeV');
  const addressModeW = address('addressModeW');
  const magFilter = filter('magFilter');
  const minFilter = filter('minFilter');
  const mipmapFilter = filter('mipmapFilter');
  const lodMinInput = member('lodMinClamp');
  const lodMaxInput = member('lodMaxClamp');
  const lodMinClamp = lodMinInput === undefined ? 0 : readFiniteNumber(lodMinInput, label, 'lodMinClamp');
  const lodMaxClamp = lodMaxInput === undefined ? 32 : readFiniteNumber(lodMaxInput, label, 'lodMaxClamp');
  if (lodMinClamp < 0) throw new ValidationError(label, 'lodMinClamp', lodMinClamp, 'must be >= 0');
  if (lodMaxClamp < lodMinClamp) {
    throw new ValidationError(label, 'lodMaxClamp', lodMaxClamp, `must be >= lodMinClamp (${lodMinClamp})`);
  }
  const compareInput = member('compare');
  const compare =
    compareInput === undefined
      ? undefined
      : readEnum(compareInput, COMPARE_FUNCTIONS, undefined, label, 'compare');
  const anisotropyInput = member('maxAnisotropy');
  const maxAnisotropy =
    anisotropyInput === undefined
      ? 1
      : readInteger(anisotropyInput, label, 'maxAnisotropy', 1, MAX_ANISOTROPY);
  if (maxAnisotropy > 1 && (magFilter !== 'linear' || minFilter !== 'linear' || mipmapFilter !== 'linear')) {
    throw new ValidationError(
      label,
      'maxAnisotropy',
      maxAnisotropy,
      `may be above 1 only when magFilter, minFilter and mipmapFilter are all 'linear' ` +
        `(got ${magFilter}, ${minFilter}, ${mipmapFilter})`,
    );
  }
  const fields = {
    addressModeU,
    addressModeV,
    addressModeW,
    magFilter,
    minFilter,
    mipmapFilter,
    lodMinClamp,
    lodMaxClamp,
    compare,
    maxAnisotropy,
  };
  const key = [
    addressModeU,
    addressModeV,
    addressModeW,
    magFilter,
    minFilter,
    mipmapFilter,
    lodMinClamp,
    lodMaxClamp,
    compare ?? '',
    maxAnisotropy,
  ].join('|');
  return Object.freeze({ label, ...fields, key });
}

/**
 * Whether the sampler filters (a linear filter anywhere): such a sampler cannot fill a `'non-filtering'`
 * bind group layout slot.
 *
 * @example
 * isFilteringSampler(normalizeSamplerDescriptor({ magFilter: 'linear' })) // true
 */
export function isFilteringSampler(desc: NormalizedSamplerDescriptor): boolean {
  return desc.magFilter === 'linear' || desc.minFilter === 'linear' || desc.mipmapFilter === 'linear';
}
