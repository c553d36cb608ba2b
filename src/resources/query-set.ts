/**
 * Query sets: occlusion queries, and timestamps where the device has the 'timestamp-query' feature. A query
 * set owns `count * 8` bytes (one 64-bit result per query).
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { readDescriptor, readInteger, readMember } from './input.ts';
import { readLabel } from './label.ts';
import { readEnum } from './resource-lookup.ts';

/** What a caller asks for. */
export interface QuerySetDescriptor {
  label?: string;
  type: GPUQueryType;
  /** 1..4096 queries. */
  count: number;
}

/** A validated query set. */
export interface NormalizedQuerySetDescriptor {
  readonly label: string;
  readonly type: GPUQueryType;
  readonly count: number;
}

/** WebGPU's limit on the queries of one set. */
export const MAX_QUERY_COUNT = 4096;
/** Bytes of one query result. */
export const QUERY_RESULT_BYTES = 8;

/**
 * Validates a query set. Rules: `type` 'occlusion' or 'timestamp' (the latter needs the 'timestamp-query'
 * feature), `count` an integer 1..4096.
 *
 * @example
 * normalizeQuerySetDescriptor({ label: 'visibility', type: 'occlusion', count: 64 }, caps);
 */
export function normalizeQuerySetDescriptor(
  desc: QuerySetDescriptor,
  caps: Capabilities,
): NormalizedQuerySetDescriptor {
  const input = readDescriptor(desc, 'query set');
  const label = readLabel(input);
  const type = readEnum(
    readMember(input, 'type', label, 'type'),
    ['occlusion', 'timestamp'] as const,
    undefined,
    label,
    'type',
  );
  if (type === 'timestamp' && !caps.features.has('timestamp-query')) {
    throw new ValidationError(
      label,
      'type',
      type,
      "requires device feature 'timestamp-query', which is not enabled",
    );
  }
  const count = readInteger(readMember(input, 'count', label, 'count'), label, 'count', 1, MAX_QUERY_COUNT);
  return Object.freeze({ label, type, count });
}
