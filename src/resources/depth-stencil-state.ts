/**
 * A render pipeline's depth-stencil state: read, defaults applied, and checked as WebGPU's "validating
 * GPUDepthStencilState" does, except the topology rule (depth bias only for triangles), which needs the
 * primitive state and is checked in pipeline-rules.ts.
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { getFormatInfo } from './formats.ts';
import { MAX_UINT32, readFiniteNumber, readInteger, readMember, readOptionalBoolean } from './input.ts';
import { readEnum, readOptionalObject } from './resource-lookup.ts';
import { COMPARE_FUNCTIONS } from './sampler.ts';

/** A validated depth-stencil state. */
export interface NormalizedDepthStencilState {
  readonly format: GPUTextureFormat;
  readonly depthWriteEnabled: boolean;
  readonly depthCompare: GPUCompareFunction;
  readonly stencilFront: Required<GPUStencilFaceState>;
  readonly stencilBack: Required<GPUStencilFaceState>;
  readonly stencilReadMask: number;
  readonly stencilWriteMask: number;
  readonly depthBias: number;
  readonly depthBiasSlopeScale: number;
  readonly depthBiasClamp: number;
}

const STENCIL_OPERATIONS: readonly GPUStencilOperation[] = [
  'keep',
  'zero',
  'replace',
  'invert',
  'increment-clamp',
  'decrement-clamp',
  'increment-wrap',
  'decrement-wrap',
];

function readStencilFace(value: unknown, label: string, field: string): Required<GPUStencilFaceState> {
  const body = readOptionalObject(value, label, field) ?? {};
  const op = (key: string) =>
    readEnum(
      readMember(body, key, label, `${field}.${key}`),
      STENCIL_OPERATIONS,
      'keep',
      label,
      `${field}.${key}`,
    );
  return {
    compare: readEnum(
      readMember(body, 'compare', label, `${field}.compare`),
      COMPARE_FUNCTIONS,
      'always',
      label,
      `${field}.compare`,
    ),
    failOp: op('failOp'),
    depthFailOp: op('depthFailOp'),
    passOp: op('passOp'),
  };
}

function isDefaultFace(face: Required<GPUStencilFaceState>): boolean {
  return (
    face.compare === 'always' &&
    face.failOp === 'keep' &&
    face.depthFailOp === 'keep' &&
    face.passOp === 'keep'
  );
}

/**
 * Reads a render pipeline's depth-stencil state. Rules: a depth or stencil format (its feature enabled); for a
 * format without depth, no depth write and depthCompare 'always' or omitted; without stencil, default stencil
 * faces; with depth, `depthWriteEnabled` given, and `depthCompare` given when depth writes or a depthFailOp
 * use it; masks 32-bit, depthBias a 32-bit integer, the other biases finite.
 *
 * @example
 * readDepthStencil({ format: 'depth24plus', depthWriteEnabled: true, depthCompare: 'less' }, label, caps)
 */
export function readDepthStencil(
  value: unknown,
  label: string,
  caps: Capabilities,
): NormalizedDepthStencilState | undefined {
  const body = readOptionalObject(value, label, 'depthStencil');
  if (body === undefined) return undefined;
  const member = (key: string) => readMember(body, key, label, `depthStencil.${key}`);
  const format = member('format');
  const info = typeof format === 'string' ? getFormatInfo(format) : undefined;
  if (!info || info.aspect === 'color') {
    throw new ValidationError(label, 'depthStencil.format', format, 'must be a depth or stencil format');
  }
  if (info.requiredFeature !== undefined && !caps.features.has(info.requiredFeature)) {
    throw new ValidationError(
      label,
      'depthStencil.format',
      format,
      `requires device feature '${info.requiredFeature}', which is not enabled`,
    );
  }
  const hasDepth = info.aspect !== 'stencil';
  const hasStencil = info.aspect !== 'depth';
  const writeInput = member('depthWriteEnabled');
  const compareInput = member('depthCompare');
  const depthWriteEnabled = readOptionalBoolean(writeInput, label, 'depthStencil.depthWriteEnabled', false);
  const depthCompare = readEnum(
    compareInput,
    COMPARE_FUNCTIONS,
    'always',
    label,
    'depthStencil.depthCompare',
  );
  const stencilFront = readStencilFace(member('stencilFront'), label, 'depthStencil.stencilFront');
  const stencilBack = readStencilFace(member('stencilBack'), label, 'depthStencil.stencilBack');
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ValidationError(label, `depthStencil.${field}`, value, rule);
  };
  if (!hasDepth && (depthWriteEnabled || depthCompare !== 'always')) {
    fail('format', format, "has no depth aspect: depthWriteEnabled must be false and depthCompare 'always'");
  }
  if (!hasStencil) {
    for (const [name, face] of [
      ['stencilFront', stencilFront],
      ['stencilBack', stencilBack],
    ] as const) {
      if (!isDefaultFace(face)) {
        fail(
          name,
          `${face.compare}/${face.failOp}/${face.depthFailOp}/${face.passOp}`,
          `must be the default (compare 'always', every op 'keep'): '${info.format}' has no stencil aspect`,
        );
      }
    }
  }
  if (hasDepth) {
    // WebGPU makes these explicit for depth formats: a silent default would hide a forgotten depth test.
    if (writeInput === undefined) {
      fail(
        'depthWriteEnabled',
        undefined,
        `must be given (true or false) for the depth format '${info.format}'`,
      );
    }
    const usesCompare =
      depthWriteEnabled || stencilFront.depthFailOp !== 'keep' || stencilBack.depthFailOp !== 'keep';
    if (compareInput === undefined && usesCompare) {
      fail(
        'depthCompare',
        undefined,
        "must be given when depthWriteEnabled is true or a stencil face's depthFailOp is not 'keep'",
      );
    }
  }
  const mask = (key: string) => {
    const v = member(key);
    return v === undefined ? 0xffffffff : readInteger(v, label, `depthStencil.${key}`, 0, MAX_UINT32);
  };
  const number = (key: string) => {
    const v = member(key);
    return v === undefined ? 0 : readFiniteNumber(v, label, `depthStencil.${key}`);
  };
  const depthBias = number('depthBias');
  if (!Number.isInteger(depthBias) || depthBias < -(2 ** 31) || depthBias > 2 ** 31 - 1) {
    throw new ValidationError(label, 'depthStencil.depthBias', depthBias, 'must be a 32-bit integer');
  }
  return {
    format: info.format,
    depthWriteEnabled,
    depthCompare,
    stencilFront,
    stencilBack,
    stencilReadMask: mask('stencilReadMask'),
    stencilWriteMask: mask('stencilWriteMask'),
    depthBias,
    depthBiasSlopeScale: number('depthBiasSlopeScale'),
    depthBiasClamp: number('depthBiasClamp'),
  };
}
