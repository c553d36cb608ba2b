import { describe, expect, it } from 'vitest';
import {
  biggestResources,
  classifyLeak,
  groupByLabel,
  layoutDumpTreemap,
  leakSuspects,
} from '../../demos/dump/dump-model.ts';
import { parseDump } from '../../demos/dump/parse-dump.ts';
import { FollowedTimeline, timelineFromDump } from '../../demos/dump/timeline.ts';
import { type LooseDump, sampleDump } from './sample-dump.ts';

const live = { state: 'live', accessCount: 0, createdAt: 0, lastAccess: 0 };

describe('leak classes', () => {
  it('never used: no access since creation for the threshold; idle: no access for the threshold since the last', () => {
    expect(classifyLeak(live, 29_999, 30_000)).toBeUndefined();
    expect(classifyLeak(live, 30_000, 30_000)).toBe('never-used');
    expect(classifyLeak({ ...live, accessCount: 3, lastAccess: 10_000 }, 39_999, 30_000)).toBeUndefined();
    expect(classifyLeak({ ...live, accessCount: 3, lastAccess: 10_000 }, 40_000, 30_000)).toBe('idle');
    for (const state of ['evicted', 'lost', 'failed'])
      expect(classifyLeak({ ...live, state }, 1e9, 0)).toBeUndefined();
  });

  it('in the sample dump at 90 s: the texture was never used, the buffer was used 5 s ago', () => {
    const dump = parseDump(sampleDump());
    expect(leakSuspects(dump, 30_000).map((s) => [s.resource.label, s.leak])).toEqual([
      ['albedo', 'never-used'],
    ]);
    expect(leakSuspects(dump, 5_000).map((s) => [s.resource.label, s.leak])).toEqual([
      ['albedo', 'never-used'],
      ['vertices', 'idle'],
    ]);
  });
});

describe('treemap of a dump', () => {
  it('groups live resources by kind and label, adds staging, and leaves out resources without GPU memory', () => {
    const value = sampleDump() as LooseDump;
    value.resources.push(
      { ...value.resources[1], handle: 3, bytes: 512 },
      { ...value.resources[1], handle: 4, bytes: 999, state: 'evicted' },
    );
    value.byKind.staging = { bytes: 2048, count: 1 };
    const groups = groupByLabel(parseDump(value), 30_000);
    expect(groups).toEqual([
      { kind: 'texture', label: 'albedo', bytes: 4096, count: 1, suspects: 1 },
      { kind: 'buffer', label: 'vertices', bytes: 1536, count: 2, suspects: 0 },
      { kind: 'staging', label: 'pooled staging', bytes: 2048, count: 1, suspects: 0 },
    ]);
    const bounds = { x: 10, y: 20, width: 770, height: 480 };
    const kinds = layoutDumpTreemap(groups, bounds);
    const total = 4096 + 1536 + 2048;
    const cells = kinds.flatMap((k) => k.labels);
    expect(cells).toHaveLength(3);
    for (const cell of cells) {
      expect((cell.width * cell.height) / (bounds.width * bounds.height)).toBeCloseTo(
        cell.data.bytes / total,
        9,
      );
    }
    // Label cells sit inside their kind's cell.
    for (const kind of kinds)
      for (const cell of kind.labels) {
        expect(cell.x).toBeGreaterThanOrEqual(kind.x - 1e-9);
        expect(cell.x + cell.width).toBeLessThanOrEqual(kind.x + kind.width + 1e-9);
      }
  });

  it('the biggest first, any state, ties by age', () => {
    const value = sampleDump() as LooseDump;
    value.resources.push({ ...value.resources[1], handle: 3, bytes: 4096, createdAt: 3000, state: 'lost' });
    expect(biggestResources(parseDump(value), 2).map((r) => r.handle)).toEqual([16777217, 3]);
  });
});

describe('timelines', () => {
  it('from a dump: survivors by creation time, and the destroy count only', () => {
    const timeline = timelineFromDump(parseDump(sampleDump()));
    expect(timeline.points).toEqual([
      { t: 1000, bytes: 4096 },
      { t: 2000, bytes: 5120 },
      { t: 90_000, bytes: 5120 },
    ]);
    expect(timeline.creates).toEqual([
      { t: 1000, count: 1 },
      { t: 2000, count: 1 },
    ]);
    expect(timeline.destroys).toEqual([]);
    expect(timeline.note).toContain('5 created and 3 destroyed');
    expect([timeline.start, timeline.end]).toEqual([1000, 90_000]);
  });

  it('from a followed manager: creates and destroys between samples; a clock going back starts again', () => {
    const at = (time: number, bytes: number, created: number, destroyed: number) =>
      parseDump({
        ...sampleDump(),
        time,
        total: { ...(sampleDump().total as object), bytes, created, destroyed },
      });
    const followed = new FollowedTimeline(3);
    followed.add(at(100, 10, 5, 0));
    followed.add(at(200, 30, 8, 1));
    followed.add(at(300, 20, 8, 4));
    let timeline = followed.timeline();
    expect(timeline.points).toEqual([
      { t: 100, bytes: 10 },
      { t: 200, bytes: 30 },
      { t: 300, bytes: 20 },
    ]);
    expect(timeline.creates).toEqual([{ t: 200, count: 3 }]);
    expect(timeline.destroys).toEqual([
      { t: 200, count: 1 },
      { t: 300, count: 3 },
    ]);
    followed.add(at(400, 20, 9, 4));
    expect(followed.size).toBe(3); // capacity
    followed.add(at(50, 1, 1, 0)); // another manager, or the page reloaded
    timeline = followed.timeline();
    expect(timeline.points).toEqual([{ t: 50, bytes: 1 }]);
  });
});
