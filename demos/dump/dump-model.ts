/**
 * What the viewer draws, computed from a checked dump as pure functions: the treemap cells (kind, then label),
 * the biggest resources, and which resources look leaked.
 *
 * Leak suspects, from the dump's own fields (a dump has no stacks or destroy times):
 * - **never used**: `accessCount === 0` and alive for at least the threshold (`time - createdAt >= threshold`):
 *   made and never touched through the manager since (`access`, `gpu`, `use`, uploads, reads all count);
 * - **idle**: used at some point, but not for at least the threshold (`time - lastAccess >= threshold`).
 * Only `live` resources are suspects: evicted, lost and failed ones hold no GPU memory. A tracking manager
 * (trackDevice / trackContext) does not see an engine's uses, so there every old resource is "never used":
 * read its suspects as "alive a long time".
 */
import type { ViewerDump, ViewerResource } from './parse-dump.ts';
import { type Rect, squarify, type TreemapCell } from './treemap-layout.ts';

/** Why a resource is a leak suspect. */
export type LeakClass = 'never-used' | 'idle';

/** The treemap kind that stands for pooled staging memory (it is in `byKind`, not in `resources`). */
export const STAGING_KIND = 'staging';

/**
 * The leak class of a resource in a dump taken at `time`, or `undefined` when it is no suspect.
 *
 * @example
 * classifyLeak({ state: 'live', accessCount: 0, createdAt: 0, lastAccess: 0 }, 60_000, 30_000); // 'never-used'
 */
export function classifyLeak(
  resource: Pick<ViewerResource, 'state' | 'accessCount' | 'createdAt' | 'lastAccess'>,
  time: number,
  thresholdMs: number,
): LeakClass | undefined {
  if (resource.state !== 'live') return undefined;
  if (resource.accessCount === 0) return time - resource.createdAt >= thresholdMs ? 'never-used' : undefined;
  return time - resource.lastAccess >= thresholdMs ? 'idle' : undefined;
}

/** One treemap leaf: every live resource of a kind that shares a label. */
export interface LabelGroup {
  readonly kind: string;
  readonly label: string;
  readonly bytes: number;
  /** Resources in the group. */
  readonly count: number;
  /** Resources in the group that are leak suspects. */
  readonly suspects: number;
}

/**
 * Groups a dump's live resources by kind and label, and adds pooled staging (from `byKind.staging`) as its
 * own group, so the treemap's whole area is the manager's GPU bytes.
 *
 * @example
 * const groups = groupByLabel(dump, 30_000);
 */
export function groupByLabel(dump: ViewerDump, thresholdMs: number): LabelGroup[] {
  const groups = new Map<
    string,
    { kind: string; label: string; bytes: number; count: number; suspects: number }
  >();
  for (const resource of dump.resources) {
    if (resource.state !== 'live') continue;
    const key = `${resource.kind}\u0000${resource.label}`;
    let group = groups.get(key);
    if (!group) {
      group = { kind: resource.kind, label: resource.label, bytes: 0, count: 0, suspects: 0 };
      groups.set(key, group);
    }
    group.bytes += resource.bytes;
    group.count++;
    if (classifyLeak(resource, dump.time, thresholdMs)) group.suspects++;
  }
  const staging = dump.byKind[STAGING_KIND];
  if (staging && staging.bytes > 0) {
    groups.set(STAGING_KIND, {
      kind: STAGING_KIND,
      label: 'pooled staging',
      bytes: staging.bytes,
      count: staging.count,
      suspects: 0,
    });
  }
  return [...groups.values()];
}

/** A cell of the kind level, with its label cells inside. */
export interface KindCell extends TreemapCell<string> {
  readonly labels: readonly TreemapCell<LabelGroup>[];
}

/**
 * The two-level treemap: kinds share `bounds` by bytes, and each kind's labels share its cell. Every label
 * cell's area is its bytes' share of the whole area (no padding is taken out: borders are drawn over cells).
 *
 * @example
 * const kinds = layoutDumpTreemap(groupByLabel(dump, 30_000), { x: 0, y: 0, width: 800, height: 500 });
 */
export function layoutDumpTreemap(groups: readonly LabelGroup[], bounds: Rect): KindCell[] {
  const byKind = new Map<string, LabelGroup[]>();
  for (const group of groups) {
    const list = byKind.get(group.kind);
    if (list) list.push(group);
    else byKind.set(group.kind, [group]);
  }
  const kinds = squarify(
    [...byKind].map(([kind, list]) => ({ value: list.reduce((sum, g) => sum + g.bytes, 0), data: kind })),
    bounds,
  );
  return kinds.map((cell) => ({
    ...cell,
    labels: squarify(
      (byKind.get(cell.data) ?? []).map((group) => ({ value: group.bytes, data: group })),
      cell,
    ),
  }));
}

/**
 * The `n` biggest resources of any state, biggest first (ties: older first).
 *
 * @example
 * biggestResources(dump, 10).map((r) => r.label);
 */
export function biggestResources(dump: ViewerDump, n: number): ViewerResource[] {
  return [...dump.resources]
    .sort((a, b) => b.bytes - a.bytes || a.createdAt - b.createdAt || a.handle - b.handle)
    .slice(0, Math.max(0, n));
}

/**
 * Every leak suspect with its class, the biggest first.
 *
 * @example
 * for (const { resource, leak } of leakSuspects(dump, 30_000)) console.log(resource.label, leak);
 */
export function leakSuspects(
  dump: ViewerDump,
  thresholdMs: number,
): { readonly resource: ViewerResource; readonly leak: LeakClass }[] {
  const suspects: { resource: ViewerResource; leak: LeakClass }[] = [];
  for (const resource of dump.resources) {
    const leak = classifyLeak(resource, dump.time, thresholdMs);
    if (leak) suspects.push({ resource, leak });
  }
  return suspects.sort((a, b) => b.resource.bytes - a.resource.bytes);
}
