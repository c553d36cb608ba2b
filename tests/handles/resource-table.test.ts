import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ForeignHandleError, StaleHandleError, TableFullError, ValidationError } from '../../src/errors.ts';
import {
  formatHandle,
  type Handle,
  isHandleShaped,
  MAX_GENERATION,
  packHandle,
  unpackHandle,
} from '../../src/handles/handle.ts';
import { ResourceTable } from '../../src/handles/resource-table.ts';

describe('Handle<K> brand', () => {
  it('a texture handle is not assignable to a buffer handle', () => {
    const texture = 1 as Handle<'texture'>;
    // @ts-expect-error Handle<'texture'> is not assignable to Handle<'buffer'>
    const buffer: Handle<'buffer'> = texture;
    expectTypeOf<Handle<'texture'>>().not.toMatchTypeOf<Handle<'buffer'>>();
    expectTypeOf<Handle<'texture'>>().toMatchTypeOf<number>();
    expect(buffer).toBe(texture);
  });

  it('handles are plain numbers: they fit a Float64Array and survive structured clone (postMessage)', () => {
    const table = new ResourceTable<string>();
    const handles = Array.from({ length: 100 }, (_, i) => table.insert(`v${i}`));
    const stored = new Float64Array(handles);
    const cloned = structuredClone({ handles: [...stored] });
    for (const [i, h] of cloned.handles.entries()) expect(table.get(h)).toBe(`v${i}`);
    expect(JSON.parse(JSON.stringify(handles))).toEqual(handles);
  });

  it('packs tag, generation and index losslessly below 2^53', () => {
    const h = packHandle(255, MAX_GENERATION, 2 ** 20 - 1);
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(unpackHandle(h)).toEqual({ tag: 255, generation: MAX_GENERATION, index: 2 ** 20 - 1 });
    expect(isHandleShaped(h)).toBe(true);
    expect(isHandleShaped(0)).toBe(false);
    expect(isHandleShaped(packHandle(1, 0, 5))).toBe(false);
    expect(isHandleShaped(1.5)).toBe(false);
    expect(formatHandle(packHandle(3, 2, 7))).toBe('#7v2@3');
  });
});

describe('ResourceTable', () => {
  it('insert / get / has / remove / size', () => {
    const table = new ResourceTable<string>();
    const a = table.insert('a');
    const b = table.insert('b');
    expect(table.size).toBe(2);
    expect(table.get(a)).toBe('a');
    expect(table.has(b)).toBe(true);
    expect(table.remove(a)).toBe('a');
    expect(table.get(a)).toBeUndefined();
    expect(table.has(a)).toBe(false);
    expect(table.remove(a)).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('a reused slot gets a new generation: the old handle stays stale', () => {
    const table = new ResourceTable<string>();
    const old = table.insert('old');
    table.remove(old);
    const reused = table.insert('new');
    expect(unpackHandle(reused).index).toBe(unpackHandle(old).index);
    expect(unpackHandle(reused).generation).toBe(unpackHandle(old).generation + 1);
    expect(table.get(old)).toBeUndefined();
    expect(table.get(reused)).toBe('new');
    expect(() => table.resolve(old)).toThrow(StaleHandleError);
    expect(() => table.resolve(old)).toThrow(/destroyed .*now holding another resource/);
  });

  it('rejects a handle of another table with ForeignHandleError, never resolving it', () => {
    const a = new ResourceTable<string>();
    const b = new ResourceTable<string>();
    const ha = a.insert('from a');
    b.insert('from b'); // same slot index and generation as ha, different tag
    expect(b.get(ha)).toBeUndefined();
    expect(() => b.resolve(ha)).toThrow(ForeignHandleError);
    expect(() => b.resolve(ha)).toThrow(/belongs to table/);
  });

  it('explains malformed and never-issued handles', () => {
    const table = new ResourceTable<string>();
    expect(() => table.resolve(42.5)).toThrow(/not a handle/);
    expect(() => table.resolve(packHandle(table.tag, 9, 3))).toThrow(/never issued/);
  });

  it('is bounded by its capacity', () => {
    const table = new ResourceTable<number>({ capacity: 3 });
    const handles = [table.insert(1), table.insert(2), table.insert(3)];
    expect(() => table.insert(4)).toThrow(TableFullError);
    expect(() => table.insert(4)).toThrow(/capacity is 3/);
    table.remove(handles[0]!);
    expect(table.get(table.insert(5))).toBe(5);
    expect(() => new ResourceTable({ capacity: 0 })).toThrow(ValidationError);
  });

  it('iterates live entries and clear() makes every handle stale', () => {
    const table = new ResourceTable<string>({ initialSlots: 1 });
    const hs = ['a', 'b', 'c', 'd'].map((v) => table.insert(v));
    table.remove(hs[1]!);
    expect([...table].map(([, v]) => v)).toEqual(['a', 'c', 'd']);
    expect([...table.handles()]).toEqual([hs[0], hs[2], hs[3]]);
    table.clear();
    expect(table.size).toBe(0);
    for (const h of hs) expect(table.get(h)).toBeUndefined();
    expect(unpackHandle(table.insert('e')).generation).toBeGreaterThan(1);
  });

  it('matches a Map model under random insert/remove sequences, and never repeats a handle', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant({ op: 'insert' as const }),
            fc.nat(50).map((i) => ({ op: 'remove' as const, i })),
          ),
          {
            maxLength: 300,
          },
        ),
        fc.integer({ min: 1, max: 40 }),
        (ops, capacity) => {
          const table = new ResourceTable<number>({ capacity, initialSlots: 2 });
          const model = new Map<number, number>();
          const everIssued = new Set<number>();
          const removed: number[] = [];
          let next = 0;
          for (const step of ops) {
            if (step.op === 'insert') {
              if (model.size >= capacity) {
                expect(() => table.insert(next)).toThrow(TableFullError);
                continue;
              }
              const h = table.insert(next);
              expect(everIssued.has(h)).toBe(false);
              everIssued.add(h);
              model.set(h, next++);
            } else {
              const keys = [...model.keys()];
              if (keys.length === 0) continue;
              const h = keys[step.i % keys.length]!;
              expect(table.remove(h)).toBe(model.get(h));
              model.delete(h);
              removed.push(h);
            }
            expect(table.size).toBe(model.size);
          }
          for (const [h, v] of model) expect(table.get(h)).toBe(v);
          for (const h of removed) expect(table.get(h)).toBeUndefined();
          expect(new Map([...table])).toEqual(model);
        },
      ),
    );
  });
});
