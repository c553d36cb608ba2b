/**
 * Query sets on WebGL2: one GL query object per query. Occlusion queries are `ANY_SAMPLES_PASSED`; timestamps
 * need EXT_disjoint_timer_query_webgl2 (`TIME_ELAPSED_EXT` queries, the closest GL has), and are refused with a
 * `ValidationError` without it.
 */
import { ValidationError } from '../../errors.ts';
import type { NormalizedQuerySetDescriptor } from '../../resources/query-set.ts';

/** The GL queries of a query set. */
export interface WebGL2QuerySet {
  readonly type: GPUQueryType;
  /** GL query target: ANY_SAMPLES_PASSED or TIME_ELAPSED_EXT. */
  readonly target: number;
  readonly queries: readonly WebGLQuery[];
}

const TIME_ELAPSED_EXT = 0x88bf;

/**
 * Creates `desc.count` GL queries.
 *
 * @example
 * const set = createGLQuerySet(gl, { label: 'visibility', type: 'occlusion', count: 16 }, false);
 */
export function createGLQuerySet(
  gl: WebGL2RenderingContext,
  desc: NormalizedQuerySetDescriptor,
  timerQueries: boolean,
): WebGL2QuerySet {
  if (desc.type === 'timestamp' && !timerQueries) {
    throw new ValidationError(
      desc.label,
      'type',
      desc.type,
      'WebGL2 cannot make timestamp queries without EXT_disjoint_timer_query_webgl2',
    );
  }
  const queries = Array.from({ length: desc.count }, () => gl.createQuery());
  return {
    type: desc.type,
    target: desc.type === 'occlusion' ? gl.ANY_SAMPLES_PASSED : TIME_ELAPSED_EXT,
    queries,
  };
}

/**
 * Deletes every GL query of the set.
 *
 * @example
 * deleteGLQuerySet(gl, set);
 */
export function deleteGLQuerySet(gl: WebGL2RenderingContext, set: WebGL2QuerySet): void {
  for (const query of set.queries) gl.deleteQuery(query);
}
