import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_KINDS, type LedgerKind, MemoryLedger } from '../src/ledger.ts';

describe('MemoryLedger', () => {
  it('counts bytes and counts per kind, peak, created and destroyed', () => {
    const ledger = new MemoryLedger();
    ledger.add('texture', 1000);
    ledger.add('buffer', 24);
    ledger.remove('texture', 1000);
    const s = ledger.snapshot();
    expect(s.byKind.texture).toEqual({ bytes: 0, count: 0 });
    expect(s.byKind.buffer).toEqual({ bytes: 24, count: 1 });
    expect(s.totalBytes).toBe(24);
    expect(s.peakBytes).toBe(1024);
    expect(s.created).toBe(2);
    expect(s.destroyed).toBe(1);
  });

  it('keeps pending-free bytes apart until the deferred destroy settles', () => {
    const ledger = new MemoryLedger();
    ledger.add('buffer', 256);
    ledger.moveToPending('buffer', 256);
    expect(ledger.snapshot()).toMatchObject({
      totalBytes: 0,
      pendingFreeBytes: 256,
      pendingFreeCount: 1,
      destroyed: 0,
    });
    expect(ledger.residentBytes).toBe(256);
    ledger.add('buffer', 100);
    expect(ledger.snapshot().peakBytes).toBe(356); // the GPU really held both at once
    ledger.settlePending(256);
    expect(ledger.snapshot()).toMatchObject({ totalBytes: 100, pendingFreeBytes: 0, destroyed: 1 });
  });

  it('equals a recount of the live set after random add/remove/defer sequences', () => {
    const kind = fc.constantFrom(...LEDGER_KINDS);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('add', 'remove', 'defer', 'settle'), kind, fc.nat(1 << 20)), {
          maxLength: 200,
        }),
        (ops) => {
          const ledger = new MemoryLedger();
          const live: { kind: LedgerKind; bytes: number }[] = [];
          const pending: number[] = [];
          let peak = 0;
          for (const [op, k, bytes] of ops) {
            if (op === 'add') {
              ledger.add(k, bytes);
              live.push({ kind: k, bytes });
            } else if (op === 'remove' && live.length) {
              const r = live.shift()!;
              ledger.remove(r.kind, r.bytes);
            } else if (op === 'defer' && live.length) {
              const r = live.pop()!;
              ledger.moveToPending(r.kind, r.bytes);
              pending.push(r.bytes);
            } else if (op === 'settle' && pending.length) {
              ledger.settlePending(pending.shift()!);
            }
            const resident = live.reduce((sum, r) => sum + r.bytes, 0) + pending.reduce((a, b) => a + b, 0);
            peak = Math.max(peak, resident);
          }
          const s = ledger.snapshot();
          for (const k of LEDGER_KINDS) {
            const mine = live.filter((r) => r.kind === k);
            expect(s.byKind[k]).toEqual({
              bytes: mine.reduce((sum, r) => sum + r.bytes, 0),
              count: mine.length,
            });
          }
          expect(s.totalBytes).toBe(live.reduce((sum, r) => sum + r.bytes, 0));
          expect(s.pendingFreeBytes).toBe(pending.reduce((a, b) => a + b, 0));
          expect(s.peakBytes).toBe(peak);
        },
      ),
    );
  });
});
