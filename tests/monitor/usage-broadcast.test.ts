import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { UsageBroadcast } from '../../src/monitor/usage-broadcast.ts';

/** Lets queued microtasks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function makeBroadcast() {
  let version = 0;
  const errors: [unknown, string][] = [];
  const usage = new UsageBroadcast(() => version, {
    onListenerError: (error, eventName) => errors.push([error, eventName]),
  });
  const change = () => {
    version++;
    usage.changed();
  };
  return { usage, errors, change };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('UsageBroadcast: arguments', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['NaN', Number.NaN],
    ['a string', 'render'],
    ['a Symbol', Symbol('render')],
    ['an object', {}],
    ['a frozen object', Object.freeze({})],
    ['a Proxy', new Proxy({}, {})],
  ])('subscribe(%s) throws a ValidationError and subscribes nothing', (_, listener) => {
    const { usage } = makeBroadcast();
    expect(() => usage.subscribe(listener as never)).toThrow(ValidationError);
    expect(() => usage.subscribe(listener as never)).toThrow(/listener = .* is invalid: must be a function/);
    expect(usage.subscriberCount).toBe(0);
  });

  it('rejects a snapshot that is not a function and a bad onListenerError', () => {
    expect(() => new UsageBroadcast(undefined as never)).toThrow(/snapshot = undefined is invalid/);
    expect(() => new UsageBroadcast(() => 0, { onListenerError: 1 as never })).toThrow(
      /options\.onListenerError = 1 is invalid/,
    );
    expect(() => new UsageBroadcast(() => 0, 'x' as never)).toThrow(/options = "x" is invalid/);
  });
});

describe('UsageBroadcast: subscribers that throw', () => {
  it('every later subscriber still gets the snapshot; the error is reported as a usage error', async () => {
    const { usage, errors, change } = makeBroadcast();
    const boom = new Error('boom');
    const seen: number[] = [];
    usage.subscribe(() => {
      throw boom;
    });
    usage.subscribe((v) => seen.push(v));
    change();
    change();
    await flush();
    expect(seen).toEqual([2]);
    expect(errors).toEqual([[boom, 'usage']]);
    change();
    await flush();
    expect(seen).toEqual([2, 3]); // the thrower did not break later bursts either
    expect(errors).toHaveLength(2);
  });

  it('goes to reportError by default, never out of the microtask', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const usage = new UsageBroadcast(() => 1);
    const boom = new Error('boom');
    const after = vi.fn();
    usage.subscribe(() => {
      throw boom;
    });
    usage.subscribe(after);
    usage.changed();
    await flush();
    expect(reportError).toHaveBeenCalledExactlyOnceWith(boom);
    expect(after).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('reports a snapshot function that throws instead of throwing from a microtask', async () => {
    const errors: unknown[] = [];
    const boom = new Error('snapshot');
    const usage = new UsageBroadcast(
      () => {
        throw boom;
      },
      { onListenerError: (error) => errors.push(error) },
    );
    const listener = vi.fn();
    usage.subscribe(listener);
    usage.changed();
    await flush();
    expect(errors).toEqual([boom]);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('UsageBroadcast: re-entrancy', () => {
  it('a subscriber that changes usage gets the next burst, once', async () => {
    const { usage, change } = makeBroadcast();
    const seen: number[] = [];
    usage.subscribe((v) => {
      seen.push(v);
      if (v === 1) change();
    });
    change();
    await flush();
    expect(seen).toEqual([1, 2]);
  });

  it('a subscriber that unsubscribes itself, or a later one, or adds one, follows the delivery rule', async () => {
    const { usage, change } = makeBroadcast();
    const calls: string[] = [];
    const offA = usage.subscribe(() => {
      calls.push('a');
      offA();
      offB();
      usage.subscribe(() => calls.push('late'));
    });
    const offB = usage.subscribe(() => calls.push('b'));
    change();
    await flush();
    expect(calls).toEqual(['a']);
    change();
    await flush();
    expect(calls).toEqual(['a', 'late']);
  });

  it('unsubscribe is idempotent, and a function subscribed twice is two subscriptions', async () => {
    const { usage, change } = makeBroadcast();
    const listener = vi.fn();
    const off1 = usage.subscribe(listener);
    usage.subscribe(listener);
    off1();
    off1();
    expect(usage.subscriberCount).toBe(1);
    change();
    await flush();
    expect(listener).toHaveBeenCalledOnce();
  });

  it('any mix of throwing subscribers: each non-removed one is called once per burst (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), async (throwsList) => {
        const { usage, errors, change } = makeBroadcast();
        const calls = throwsList.map(() => 0);
        throwsList.forEach((throws, i) => {
          usage.subscribe(() => {
            calls[i]!++;
            if (throws) throw new Error(String(i));
          });
        });
        change();
        await flush();
        expect(calls).toEqual(throwsList.map(() => 1));
        expect(errors).toHaveLength(throwsList.filter(Boolean).length);
      }),
      { numRuns: 50 },
    );
  });
});
