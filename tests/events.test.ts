import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../src/errors.ts';
import { Emitter, type ListenerErrorSink, reportListenerError } from '../src/events.ts';

interface TestEvents {
  create: number;
  destroy: string;
}

const NAMES: (keyof TestEvents)[] = ['create', 'destroy'];

function makeEmitter() {
  const errors: [unknown, string][] = [];
  const sink: ListenerErrorSink = (error, eventName) => errors.push([error, eventName]);
  return { events: new Emitter<TestEvents>(NAMES, { onListenerError: sink }), errors };
}

/** Values that are not listeners. */
const NOT_FUNCTIONS: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['a string', 'listener'],
  ['a Symbol', Symbol('listener')],
  ['an object', {}],
  ['a Proxy of an object', new Proxy({}, {})],
  ['a frozen object', Object.freeze({ handleEvent() {} })],
];

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Emitter: construction', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'create'],
    ['an object', { create: true }],
  ])('rejects an event list that is %s', (_, names) => {
    expect(() => new Emitter(names as never)).toThrow(ValidationError);
    expect(() => new Emitter(names as never)).toThrow(/eventNames = .* is invalid: must be an array/);
  });

  it.each<[string, unknown[]]>([
    ['a duplicate', ['create', 'create']],
    ['an empty name', ['']],
    ['a number', [1]],
    ['a Symbol', [Symbol('create')]],
  ])('rejects an event list with %s', (_, names) => {
    expect(() => new Emitter(names as never)).toThrow(
      /eventNames\[\d\] = .* is invalid: must be a non-empty string/,
    );
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['a string', 'log'],
  ])('rejects onListenerError = %s', (_, sink) => {
    expect(() => new Emitter<TestEvents>(NAMES, { onListenerError: sink as never })).toThrow(
      /options\.onListenerError = .* is invalid: must be a function/,
    );
  });

  it('rejects options that are not an object, and options whose getter throws', () => {
    expect(() => new Emitter<TestEvents>(NAMES, null as never)).toThrow(/options = null is invalid/);
    const hostile = {
      get onListenerError(): never {
        throw new Error('boom');
      },
    };
    expect(() => new Emitter<TestEvents>(NAMES, hostile)).toThrow(
      /options\.onListenerError .* reading it threw Error: "boom"/,
    );
  });

  it('lists its event names', () => {
    expect(new Emitter<TestEvents>(NAMES).eventNames).toEqual(['create', 'destroy']);
  });
});

describe('Emitter: on() refuses what would never fire', () => {
  it.each<[string, unknown]>([
    ['a misspelt name', 'destory'],
    ['undefined', undefined],
    ['a Symbol', Symbol('create')],
    ['a number', 0],
    ['an inherited property name', 'toString'],
    ['__proto__', '__proto__'],
  ])('throws a ValidationError naming the known events for %s, and subscribes nothing', (_, name) => {
    const { events } = makeEmitter();
    const listener = vi.fn();
    expect(() => events.on(name as never, listener)).toThrow(ValidationError);
    expect(() => events.on(name as never, listener)).toThrow(
      /event = .* is invalid: must be one of "create", "destroy"/,
    );
    for (const event of NAMES) expect(events.hasListeners(event)).toBe(false);
  });

  it.each(NOT_FUNCTIONS)(
    'throws a ValidationError for a listener that is %s, and subscribes nothing',
    (_, listener) => {
      const { events } = makeEmitter();
      expect(() => events.on('create', listener as never)).toThrow(ValidationError);
      expect(() => events.on('create', listener as never)).toThrow(
        /listener of "create" = .* is invalid: must be a function/,
      );
      expect(events.hasListeners('create')).toBe(false);
      events.emit('create', 1); // nothing to call, nothing to throw
    },
  );
});

describe('Emitter: a listener that throws', () => {
  it('does not stop the others, is reported with its event name, and does not escape emit', () => {
    const { events, errors } = makeEmitter();
    const calls: string[] = [];
    const boom = new Error('boom');
    events.on('create', () => calls.push('a'));
    events.on('create', () => {
      calls.push('b');
      throw boom;
    });
    events.on('create', () => calls.push('c'));
    expect(() => events.emit('create', 1)).not.toThrow();
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([[boom, 'create']]);
  });

  it('reports non-Error throws (undefined, a Symbol, a Proxy) as they were thrown', () => {
    const { events, errors } = makeEmitter();
    const thrown = [
      undefined,
      Symbol('s'),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('trap');
          },
        },
      ),
    ];
    for (const value of thrown)
      events.on('destroy', () => {
        throw value;
      });
    events.emit('destroy', 'x');
    expect(errors).toHaveLength(thrown.length);
    errors.forEach(([error, name], i) => {
      expect(error === thrown[i]).toBe(true); // identity: toEqual would read the hostile Proxy
      expect(name).toBe('destroy');
    });
  });

  it('goes to globalThis.reportError by default', () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const events = new Emitter<TestEvents>(NAMES);
    const boom = new Error('boom');
    const after = vi.fn();
    events.on('create', () => {
      throw boom;
    });
    events.on('create', after);
    events.emit('create', 1);
    expect(reportError).toHaveBeenCalledExactlyOnceWith(boom);
    expect(after).toHaveBeenCalledOnce();
  });

  it('is rethrown from a microtask when there is no reportError', () => {
    vi.stubGlobal('reportError', undefined);
    const tasks: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => tasks.push(task));
    const boom = new Error('boom');
    const events = new Emitter<TestEvents>(NAMES);
    events.on('create', () => {
      throw boom;
    });
    events.emit('create', 1);
    expect(tasks).toHaveLength(1);
    expect(() => tasks[0]!()).toThrow(boom);
  });

  it('reaches the default route, with the sink error, when the sink itself throws', () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const sinkError = new Error('sink');
    const events = new Emitter<TestEvents>(NAMES, {
      onListenerError: () => {
        throw sinkError;
      },
    });
    const boom = new Error('boom');
    const after = vi.fn();
    events.on('create', () => {
      throw boom;
    });
    events.on('create', after);
    expect(() => events.emit('create', 1)).not.toThrow();
    expect(reportError.mock.calls).toEqual([[boom], [sinkError]]);
    expect(after).toHaveBeenCalledOnce();
  });

  it('reportListenerError survives a reportError that throws', () => {
    vi.stubGlobal('reportError', () => {
      throw new Error('broken');
    });
    const tasks: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => tasks.push(task));
    const boom = new Error('boom');
    reportListenerError(boom, 'create');
    expect(() => tasks[0]!()).toThrow(boom);
  });
});

describe('Emitter: re-entrancy and the emit-time rule', () => {
  it('a listener that unsubscribes itself runs once', () => {
    const { events } = makeEmitter();
    const calls: number[] = [];
    const off = events.on('create', (n) => {
      calls.push(n);
      off();
    });
    events.emit('create', 1);
    events.emit('create', 2);
    expect(calls).toEqual([1]);
    expect(events.hasListeners('create')).toBe(false);
  });

  it('a listener unsubscribed by an earlier one during the emit does not run', () => {
    const { events } = makeEmitter();
    const calls: string[] = [];
    events.on('create', () => {
      calls.push('a');
      offB();
    });
    const offB = events.on('create', () => calls.push('b'));
    events.emit('create', 1);
    expect(calls).toEqual(['a']);
  });

  it('a listener added during the emit first runs at the next emit', () => {
    const { events } = makeEmitter();
    const calls: string[] = [];
    let added = false;
    events.on('create', () => {
      calls.push('a');
      if (!added) events.on('create', () => calls.push('late'));
      added = true;
    });
    events.emit('create', 1);
    expect(calls).toEqual(['a']);
    events.emit('create', 2);
    expect(calls).toEqual(['a', 'a', 'late']);
  });

  it('a listener may emit again: the nested emit runs fully, then the outer one continues', () => {
    const { events } = makeEmitter();
    const calls: string[] = [];
    events.on('create', (n) => {
      calls.push(`a${n}`);
      if (n === 1) events.emit('create', 2);
    });
    events.on('create', (n) => calls.push(`b${n}`));
    events.emit('create', 1);
    expect(calls).toEqual(['a1', 'a2', 'b2', 'b1']);
  });

  it('clear() during an emit stops the remaining listeners', () => {
    const { events } = makeEmitter();
    const calls: string[] = [];
    events.on('create', () => {
      calls.push('a');
      events.clear();
    });
    events.on('create', () => calls.push('b'));
    events.emit('create', 1);
    expect(calls).toEqual(['a']);
    expect(events.hasListeners('create')).toBe(false);
  });

  it('unsubscribe is idempotent and removes only its own subscription of a function subscribed twice', () => {
    const { events } = makeEmitter();
    const listener = vi.fn();
    const off1 = events.on('create', listener);
    events.on('create', listener);
    off1();
    off1();
    events.emit('create', 1);
    expect(listener).toHaveBeenCalledOnce();
    expect(events.hasListeners('create')).toBe(true);
  });
});

type Op =
  | { type: 'subscribe'; throws: boolean; selfRemove: boolean }
  | { type: 'unsubscribe'; index: number }
  | { type: 'emit' };

describe('Emitter: model-based (property)', () => {
  it('every active listener runs once per emit in subscription order; every throw is reported', () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant('subscribe' as const), throws: fc.boolean(), selfRemove: fc.boolean() }),
      fc.record({ type: fc.constant('unsubscribe' as const), index: fc.nat(20) }),
      fc.constant({ type: 'emit' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops: Op[]) => {
        const { events, errors } = makeEmitter();
        const calls: number[] = [];
        const offs: (() => void)[] = [];
        // The model: ids of active subscriptions in order, and the errors expected.
        let model: { id: number; throws: boolean; selfRemove: boolean }[] = [];
        const expectedCalls: number[] = [];
        let expectedErrors = 0;
        for (const step of ops) {
          if (step.type === 'subscribe') {
            const id = offs.length;
            const { throws, selfRemove } = step;
            const off = events.on('create', () => {
              calls.push(id);
              if (selfRemove) off();
              if (throws) throw new Error(`listener ${id}`);
            });
            offs.push(off);
            model.push({ id, throws, selfRemove });
          } else if (step.type === 'unsubscribe') {
            offs[step.index]?.();
            model = model.filter((s) => s.id !== step.index);
          } else {
            events.emit('create', 0);
            for (const s of model) {
              expectedCalls.push(s.id);
              if (s.throws) expectedErrors++;
            }
            model = model.filter((s) => !s.selfRemove);
          }
          expect(events.hasListeners('create')).toBe(model.length > 0);
        }
        expect(calls).toEqual(expectedCalls);
        expect(errors).toHaveLength(expectedErrors);
      }),
    );
  });
});
