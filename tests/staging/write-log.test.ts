import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEASURED_SCATTER_COST, planScatterBatch } from '../../src/staging/planning/scatter-plan.ts';
import { WriteLog } from '../../src/staging/planning/write-log.ts';

const limits = {
  maxBindingBytes: 1 << 27,
  offsetAlignment: 256,
  maxElementBytes: 4096,
  cost: MEASURED_SCATTER_COST,
  maxScratchBytes: 1 << 26,
  minWrites: 16,
};

describe('write log', () => {
  it('merges a write that continues the previous one in both the chunk and the target, and only then', () => {
    const log = new WriteLog<string, string>();
    const a = log.addChunk('a');
    log.add(a, 0, 'ubo', 0, 256);
    log.add(a, 256, 'ubo', 256, 256); // continues
    log.add(a, 512, 'ubo', 1024, 256); // a gap in the target
    log.add(a, 768, 'vbo', 1280, 256); // another target
    log.breakRun();
    log.add(a, 1024, 'vbo', 1536, 256); // would continue, but a texture went between
    expect(log.count).toBe(4);
    expect([...log.sizeOf.subarray(0, 4)]).toEqual([512, 256, 256, 256]);
    expect(log.targets).toEqual(['ubo', 'vbo']);
    expect([...log.targetOf.subarray(0, 4)]).toEqual([0, 0, 1, 1]);
    log.clear();
    expect(log.count).toBe(0);
    expect(log.has('ubo')).toBe(false);
  });

  it('keeps every write across growth, in call order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 500 }), (slots) => {
        const log = new WriteLog<number, string>();
        const chunk = log.addChunk(0);
        for (const [i, slot] of slots.entries()) log.add(chunk, i * 8, 't', slot * 16, 4); // gaps in src: no merge
        expect(log.count).toBe(slots.length);
        expect([...log.dstOf.subarray(0, log.count)]).toEqual(slots.map((s) => s * 16));
      }),
    );
  });
});

describe('write log: overlaps and remove', () => {
  it('overlaps answers whether a logged write of the same target shares a byte with a range', () => {
    const log = new WriteLog<string, string>();
    const a = log.addChunk('a');
    log.add(a, 0, 'ubo', 256, 256); // [256, 512)
    log.add(a, 256, 'vbo', 0, 1024);
    expect(log.overlaps('ubo', 0, 256)).toBe(false); // ends where the write starts
    expect(log.overlaps('ubo', 508, 4)).toBe(true);
    expect(log.overlaps('ubo', 512, 4096)).toBe(false);
    expect(log.overlaps('ibo', 0, 1 << 20)).toBe(false); // never written
    expect(log.overlaps('vbo', 1020, 8)).toBe(true);
  });

  it('remove drops one target in call order and never merges a later write into a removed one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ target: fc.constantFrom('a', 'b', 'c'), slot: fc.nat(64) }), { maxLength: 200 }),
        fc.constantFrom('a', 'b', 'c'),
        (writes, gone) => {
          const log = new WriteLog<number, string>();
          const chunk = log.addChunk(0);
          for (const [i, { target, slot }] of writes.entries()) log.add(chunk, i * 8, target, slot * 16, 4); // no merge
          log.remove(gone);
          const kept = writes.filter((w) => w.target !== gone);
          expect(log.count).toBe(kept.length);
          expect([...log.dstOf.subarray(0, log.count)]).toEqual(kept.map((w) => w.slot * 16));
          expect([...log.targetOf.subarray(0, log.count)].map((t) => log.targets[t])).toEqual(
            kept.map((w) => w.target),
          );
          expect(log.overlaps(gone, 0, 1 << 20)).toBe(false);
          // A write that would have continued the last removed one starts its own entry.
          const before = log.count;
          log.add(chunk, writes.length * 8, gone, 0, 4);
          expect(log.count).toBe(before + 1);
        },
      ),
    );
  });
});

describe('scatter batch planning', () => {
  it('builds the entry table of each target in 16-byte units when everything is aligned, else in words', () => {
    const log = new WriteLog<string, string>();
    const chunk = log.addChunk('c');
    // 2,000 aligned writes into 'a' (reversed order: not ascending), 2,000 word-aligned ones into 'b'.
    for (let i = 0; i < 2000; i++) log.add(chunk, i * 512, 'a', (1999 - i) * 1024 + 256, 256);
    for (let i = 0; i < 2000; i++) log.add(chunk, 2000 * 512 + i * 32, 'b', i * 64 + 4, 12);
    const plan = planScatterBatch(log, new Uint8Array([1, 1]), limits)!;
    expect(plan.targets.map((t) => [t.target, t.wide, t.count])).toEqual([
      [0, true, 2000],
      [1, false, 2000],
    ]);
    const [a, b] = plan.targets;
    expect(a!.windowOffset).toBe(256);
    expect(plan.chunkBase[0]).toBe(0);
    expect(plan.chunkBytes[0]).toBe(2000 * 512 + 1999 * 32 + 12);
    const word = (at: number) => plan.table[(at - plan.dataBytes) / 4]!;
    // First entry of 'a': source 0, destination (1999 * 1024 + 256 - 256) / 16, 16 vectors.
    expect([word(a!.entriesOffset), word(a!.entriesOffset + 4), word(a!.entriesOffset + 8)]).toEqual([
      0,
      (1999 * 1024) / 16,
      16,
    ]);
    // First entry of 'b': source word (2000 * 512) / 4, destination word 1 (window starts at 0), 3 words.
    expect([word(b!.entriesOffset), word(b!.entriesOffset + 4), word(b!.entriesOffset + 8)]).toEqual([
      (2000 * 512) / 4,
      1,
      3,
    ]);
    expect(plan.scattered.reduce((sum, x) => sum + x, 0)).toBe(4000);
  });

  it('leaves a target to copies when it may not scatter, when its writes overlap, or when they are few', () => {
    const log = new WriteLog<string, string>();
    const chunk = log.addChunk('c');
    for (let i = 0; i < 2000; i++) log.add(chunk, i * 512, 'a', i * 1024, 256);
    log.add(chunk, 2000 * 512, 'a', 128, 256); // overlaps the first write of 'a'
    for (let i = 0; i < 2000; i++) log.add(chunk, 2001 * 512 + i * 512, 'b', i * 1024, 256);
    for (let i = 0; i < 8; i++) log.add(chunk, 4001 * 512 + i * 512, 'c', i * 1024, 256);
    expect(planScatterBatch(log, new Uint8Array([1, 0, 1]), limits)).toBeUndefined();
    const plan = planScatterBatch(log, new Uint8Array([1, 1, 1]), limits)!;
    expect(plan.targets.map((t) => t.target)).toEqual([1]);
  });
});
