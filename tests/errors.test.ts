import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  describeValue,
  ForeignHandleError,
  PoolReleaseError,
  StaleHandleError,
  ValidationError,
} from '../src/errors.ts';
import { packHandle } from '../src/handles/handle.ts';

/** Values that broke message building before: each must describe without throwing. */
function hostileValues(): [string, unknown, RegExp][] {
  const detachedBuffer = new ArrayBuffer(8);
  const detached = new Uint32Array(detachedBuffer);
  structuredClone(detachedBuffer, { transfer: [detachedBuffer] });
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const throwingTraps = new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
    },
  );
  const throwingGetter = Object.defineProperty({ a: 1 }, 'b', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  const badToString = {
    toString() {
      throw new Error('toString');
    },
  };
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  return [
    ['a detached typed array', detached, /^Uint32Array \(detached\)$/],
    ['a typed array', new Uint32Array([4, 4]), /^Uint32Array \[4,4\]$/],
    ['a long typed array', new Uint8Array(100), /^Uint8Array \[0,0,0,0,0,0,0,0,\.\.\. 92 more\]$/],
    ['a symbol', Symbol('label'), /^Symbol\(label\)$/],
    ['a symbol with no description', Symbol(), /^Symbol\(\)$/],
    ['a revoked proxy', revocable.proxy, /^\[unreadable object\]$/],
    ['a proxy whose traps throw', throwingTraps, /^\[unreadable object\]$/],
    ['a throwing getter', throwingGetter, /^\{"a":1,"b":<getter threw>\}$/],
    ['an object whose toString throws', badToString, /^\{"toString":\[function\]\}$/],
    ['a bigint', 12n, /^12n$/],
    ['minus zero', -0, /^-0$/],
    ['NaN', Number.NaN, /^NaN$/],
    ['null', null, /^null$/],
    ['undefined', undefined, /^undefined$/],
    ['a cyclic object', cyclic, /^\{"name":"loop","self":\{"name":"loop","self":\{\.\.\.\}\}\}$/],
    ['a long string', 'x'.repeat(500), /^"x+\.\.\.$/],
    ['an error', new TypeError('bad'), /^TypeError: bad$/],
    ['a Set', new Set([1]), /^Set\(1\)$/],
    ['a Map', new Map([[1, 2]]), /^Map\(1\)$/],
    ['a sparse array', Object.assign(new Array(3), { 0: 1, 2: 3 }), /^\[1,undefined,3\]$/],
  ];
}

describe('describeValue', () => {
  it.each(hostileValues())('describes %s without throwing', (_name, value, shape) => {
    const shown = describeValue(value);
    expect(shown).toMatch(shape);
    expect(shown.length).toBeLessThanOrEqual(120);
  });

  it('never throws and stays short for any value (property)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withSet: true }),
        (v) => {
          const shown = describeValue(v);
          return typeof shown === 'string' && shown.length <= 120;
        },
      ),
    );
  });

  it('lets every error class build its message from hostile values', () => {
    for (const [, value] of hostileValues()) {
      expect(new ValidationError('t', 'size', value, 'rule').message).toContain('t');
      expect(new PoolReleaseError("pool 'p'", value, 'never acquired').message).toContain('release(');
      expect(new StaleHandleError(value as number, 'gone').message).toContain('does not resolve');
      expect(new AbortError('acquire', value).message).toContain('was aborted');
      expect(new ValidationError(value as string, 'label', value, 'rule').message).toContain('label');
    }
  });
});

describe('ForeignHandleError', () => {
  it('names the other table for a handle of another manager', () => {
    const handle = packHandle(3, 5, 7);
    const error = new ForeignHandleError(handle, 3, 1);
    expect(error.message).toBe(
      `handle ${handle} belongs to table #3, not to this table #1 (slot 7, generation 5, tag 3): ` +
        'handles cannot be shared between managers',
    );
    expect(error.ownerTag).toBe(3);
  });

  it('does not call an untagged number "table #0": it says no manager issued it', () => {
    const handle = packHandle(0, 2, 9);
    const message = new ForeignHandleError(handle, 0, 4).message;
    expect(message).not.toContain('table #0');
    expect(message).toBe(
      `handle ${handle} (slot 9, generation 2, tag 0) was not issued by any manager: tag 0 is never issued ` +
        "(this table's tag is 4); handles come only from a manager's create calls",
    );
  });

  it('builds a message for a value that is not a number', () => {
    expect(new ForeignHandleError(Symbol('h') as unknown as number, 0, 1).message).toContain('Symbol(h)');
  });
});
