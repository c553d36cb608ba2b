/**
 * The hostile-input table shared by the null-backend and the Dawn suites: every public method of
 * ResourceManager, one row per argument position, against hostile values (undefined, null, NaN, Infinity,
 * -1, 2^53, strings, Symbols, throwing getters, throwing Proxies, frozen objects, wrong-kind, foreign,
 * stale and disposed-manager handles, detached typed arrays). A row lists the values that are valid in its
 * position (they are not hostile there). Every other value must give a typed error (`GpuHandlesError`)
 * whose message names the problem, with the manager's books and live handles identical before and after;
 * query methods (`has`, `get`, `handleOf`, `destroyIfOwned`) may instead answer "not here".
 */
import { expect } from 'vitest';
import type { AnyHandle, Handle, ResourceManager } from '../../src/index.ts';
import { BufferUsage, GpuHandlesError, TextureUsage } from '../../src/index.ts';

/** The valid objects a row combines with the hostile value. */
export interface HostileContext {
  readonly manager: ResourceManager;
  readonly texture: Handle<'texture'>;
  readonly buffer: Handle<'buffer'>;
  readonly renderTarget: Handle<'renderTarget'>;
  /** A valid encoder and command buffer of the backend. */
  encoder(): unknown;
  commandBuffer(): unknown;
  /** Extra state to compare before and after (the backend's live objects, for example). */
  extraState?(): unknown;
}

/** The handles a context needs, created on `manager`. */
export function createHostileResources(manager: ResourceManager) {
  const texture = manager.createTexture({
    label: 'hostile-target-texture',
    size: [4, 4],
    format: 'rgba8unorm',
    usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.RENDER_ATTACHMENT,
  });
  const buffer = manager.createBuffer({
    label: 'hostile-target-buffer',
    size: 64,
    usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
  });
  const renderTarget = manager.createRenderTarget({ label: 'hostile-target-rt', color: [texture] });
  return { texture, buffer, renderTarget };
}

/** Names of the hostile values, so rows can say which are valid in their position. */
export type HostileName =
  | 'undefined'
  | 'null'
  | 'NaN'
  | 'Infinity'
  | '-1'
  | '2^53'
  | 'string'
  | 'numeric string'
  | 'Symbol'
  | 'throwing getters'
  | 'throwing Proxy'
  | 'frozen object'
  | 'wrong-kind handle'
  | 'foreign handle'
  | 'stale handle'
  | 'disposed-manager handle'
  | 'handle 0'
  | 'detached typed array';

const boom = (): never => {
  throw new Error('hostile getter ran');
};

/** An object whose every commonly read member is a getter that throws, and whose conversions throw. */
function throwingGetters(): object {
  const names = [
    'label',
    'size',
    'format',
    'usage',
    'code',
    'color',
    'depthStencil',
    'entries',
    'layout',
    'cascade',
    'encoders',
    'byteLength',
    'byteOffset',
    'buffer',
    'length',
    'mipLevel',
    'origin',
    'flipY',
    'bytesPerRow',
    'rowsPerImage',
    'width',
    'height',
    'keepBytes',
    'idleMs',
    'type',
    'count',
    'vertex',
    'compute',
    'then',
    'valueOf',
    'toString',
    'capabilities',
    'onLost',
    'mappedAtCreation',
    'dimension',
    'sampleCount',
    'mipLevelCount',
    'load',
    'store',
    'bindGroupLayouts',
    'resource',
    'binding',
    'texture',
    'bytes',
    'dependencies',
  ];
  const object: Record<PropertyKey, unknown> = {};
  for (const name of names) Object.defineProperty(object, name, { get: boom, enumerable: true });
  Object.defineProperty(object, Symbol.toPrimitive, { get: boom });
  Object.defineProperty(object, Symbol.iterator, { get: boom });
  return object;
}

/** A Proxy whose every trap throws. */
function throwingProxy(): object {
  const trap = () => boom();
  return new Proxy(
    {},
    {
      get: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      getPrototypeOf: trap,
      apply: trap,
      construct: trap,
      set: trap,
      defineProperty: trap,
      deleteProperty: trap,
      isExtensible: trap,
      preventExtensions: trap,
      setPrototypeOf: trap,
    },
  );
}

function detachedView(): Uint8Array {
  const bytes = new ArrayBuffer(64);
  const view = new Uint8Array(bytes);
  structuredClone(bytes, { transfer: [bytes] });
  return view;
}

/** Handles that must not work on `manager`: of the wrong kind, from another manager, stale, disposed. */
export interface ForeignHandles {
  readonly foreign: AnyHandle;
  readonly stale: AnyHandle;
  readonly disposedManager: AnyHandle;
}

/** Builds the hostile values; `wrongKind` is a live handle of another kind than the row expects. */
export function hostileValues(handles: ForeignHandles, wrongKind: AnyHandle): [HostileName, () => unknown][] {
  return [
    ['undefined', () => undefined],
    ['null', () => null],
    ['NaN', () => Number.NaN],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['-1', () => -1],
    ['2^53', () => 2 ** 53],
    ['string', () => 'hostile'],
    ['numeric string', () => '4'],
    ['Symbol', () => Symbol('hostile')],
    ['throwing getters', throwingGetters],
    ['throwing Proxy', throwingProxy],
    ['frozen object', () => Object.freeze({ label: 'frozen' })],
    ['wrong-kind handle', () => wrongKind],
    ['foreign handle', () => handles.foreign],
    ['stale handle', () => handles.stale],
    ['disposed-manager handle', () => handles.disposedManager],
    ['handle 0', () => 0],
    ['detached typed array', detachedView],
  ];
}

/** What a row expects in its hostile position. */
type Expected = 'texture' | 'buffer' | 'renderTarget' | 'any handle' | 'other';

/** One argument position of one method. */
export interface HostileRow {
  readonly name: string;
  /** Which handle kind is expected there (decides the wrong-kind handle), or 'other'. */
  readonly expects: Expected;
  /** Values that are valid in this position (not hostile here). */
  readonly valid?: readonly HostileName[];
  /** A query: answering "not here" (false, undefined, nothing done) is fine as well as a typed error. */
  readonly query?: boolean;
  readonly call: (ctx: HostileContext, value: unknown) => unknown;
}

const OPTIONAL: readonly HostileName[] = ['undefined'];
/** Handles are numbers >= 0 too: as ages in ms they are valid. */
const AGES: readonly HostileName[] = [
  'Infinity',
  '2^53',
  'wrong-kind handle',
  'foreign handle',
  'stale handle',
  'disposed-manager handle',
  'handle 0',
];
/** A descriptor whose members all have defaults: any object is a valid one (WebIDL dictionaries are too). */
const ALL_DEFAULTS: readonly HostileName[] = ['undefined', 'frozen object', 'detached typed array'];

/** Every public method x argument position. */
export const HOSTILE_ROWS: readonly HostileRow[] = [
  // creation
  { name: 'createTexture(desc)', expects: 'other', call: (c, v) => c.manager.createTexture(v as never) },
  { name: 'createBuffer(desc)', expects: 'other', call: (c, v) => c.manager.createBuffer(v as never) },
  { name: 'createShader(desc)', expects: 'other', call: (c, v) => c.manager.createShader(v as never) },
  {
    name: 'createRenderTarget(desc)',
    expects: 'other',
    call: (c, v) => c.manager.createRenderTarget(v as never),
  },
  {
    name: 'createRenderTarget({ color: [value] })',
    expects: 'texture',
    call: (c, v) => c.manager.createRenderTarget({ label: 'hostile-rt', color: [v as never] }),
  },
  {
    name: 'createSampler(desc)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.createSampler(v as never),
  },
  { name: 'createView(texture)', expects: 'texture', call: (c, v) => c.manager.createView(v as never) },
  {
    name: 'createView(texture, desc)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.createView(c.texture, v as never),
  },
  {
    name: 'createBindGroupLayout(desc)',
    expects: 'other',
    call: (c, v) => c.manager.createBindGroupLayout(v as never),
  },
  {
    name: 'createPipelineLayout(desc)',
    expects: 'other',
    call: (c, v) => c.manager.createPipelineLayout(v as never),
  },
  { name: 'createBindGroup(desc)', expects: 'other', call: (c, v) => c.manager.createBindGroup(v as never) },
  { name: 'createQuerySet(desc)', expects: 'other', call: (c, v) => c.manager.createQuerySet(v as never) },
  {
    name: 'createRenderPipeline(desc)',
    expects: 'other',
    call: (c, v) => c.manager.createRenderPipeline(v as never),
  },
  {
    name: 'createComputePipeline(desc)',
    expects: 'other',
    call: (c, v) => c.manager.createComputePipeline(v as never),
  },
  {
    name: 'getBindGroupLayout(pipeline, 0)',
    expects: 'other',
    call: (c, v) => c.manager.getBindGroupLayout(v as never, 0),
  },
  { name: 'renderPass(rt)', expects: 'renderTarget', call: (c, v) => c.manager.renderPass(v as never) },
  {
    name: 'renderPass(rt, options)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.renderPass(c.renderTarget, v as never),
  },
  {
    name: 'adopt(kind, ...)',
    expects: 'other',
    call: (c, v) => c.manager.adopt(v as never, {} as never, {} as never),
  },
  {
    name: 'forgetAdopted(handle)',
    expects: 'any handle',
    call: (c, v) => c.manager.forgetAdopted(v as never),
  },
  // lookup
  { name: 'get(handle)', expects: 'any handle', query: true, call: (c, v) => c.manager.get(v as never) },
  { name: 'has(handle)', expects: 'any handle', query: true, call: (c, v) => c.manager.has(v as never) },
  { name: 'handleOf(object)', expects: 'other', query: true, call: (c, v) => c.manager.handleOf(v) },
  { name: 'resolve(handle)', expects: 'any handle', call: (c, v) => c.manager.resolve(v as never) },
  { name: 'gpu(handle)', expects: 'any handle', call: (c, v) => c.manager.gpu(v as never) },
  { name: 'access(handle)', expects: 'any handle', call: (c, v) => c.manager.access(v as never) },
  // lifetimes
  { name: 'destroy(handle)', expects: 'any handle', call: (c, v) => c.manager.destroy(v as never) },
  {
    name: 'destroy(handle, options)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.destroy(c.buffer, v as never),
  },
  {
    name: 'destroyIfOwned(handle)',
    expects: 'any handle',
    query: true,
    call: (c, v) => c.manager.destroyIfOwned(v as never),
  },
  { name: 'retain(handle)', expects: 'any handle', call: (c, v) => c.manager.retain(v as never) },
  { name: 'release(handle)', expects: 'any handle', call: (c, v) => c.manager.release(v as never) },
  { name: 'weak(handle)', expects: 'any handle', call: (c, v) => c.manager.weak(v as never) },
  { name: 'use(handle)', expects: 'any handle', call: (c, v) => c.manager.use(v as never) },
  {
    name: 'use(valid, handle)',
    expects: 'any handle',
    call: (c, v) => c.manager.use(c.buffer, v as never),
  },
  {
    name: 'useIn(encoder, handle)',
    expects: 'other',
    call: (c, v) => c.manager.useIn(v as never, c.buffer),
  },
  {
    name: 'useIn(valid encoder, handle)',
    expects: 'any handle',
    call: (c, v) => c.manager.useIn(c.encoder() as never, v as never),
  },
  { name: 'submit(commandBuffers)', expects: 'other', call: (c, v) => c.manager.submit(v as never) },
  {
    name: 'submit([value])',
    expects: 'other',
    call: (c, v) => c.manager.submit([v] as never),
  },
  {
    name: 'submit([], options)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.submit([], v as never),
  },
  {
    name: 'submit([], { encoders: value })',
    expects: 'other',
    valid: OPTIONAL,
    call: (c, v) => c.manager.submit([], { encoders: v as never }),
  },
  // residency
  { name: 'evict(handle)', expects: 'any handle', call: (c, v) => c.manager.evict(v as never) },
  {
    name: 'ensureResident(handles)',
    expects: 'any handle',
    call: (c, v) => c.manager.ensureResident(v as never),
  },
  { name: 'restore(backend)', expects: 'other', call: (c, v) => c.manager.restore(v as never) },
  { name: 'attach(backend)', expects: 'other', call: (c, v) => c.manager.attach(v as never) },
  // monitoring
  { name: 'onUsage(listener)', expects: 'other', call: (c, v) => c.manager.onUsage(v as never) },
  { name: 'on(event, fn)', expects: 'other', call: (c, v) => c.manager.on(v as never, () => {}) },
  {
    name: "on('destroy', listener)",
    expects: 'other',
    call: (c, v) => c.manager.on('destroy', v as never),
  },
  {
    name: 'findStale(maxAgeMs)',
    expects: 'other',
    valid: AGES,
    call: (c, v) => c.manager.findStale(v as never),
  },
  {
    name: 'destroyStale(maxAgeMs)',
    expects: 'other',
    valid: AGES,
    call: (c, v) => c.manager.destroyStale(v as never),
  },
  // staging
  {
    name: 'upload(buffer, 0, data)',
    expects: 'buffer',
    call: (c, v) => c.manager.upload(v as never, 0, new Uint8Array(4)),
  },
  {
    name: 'upload(buf, offset, data)',
    expects: 'other',
    valid: ['handle 0'], // 0 is a valid offset
    call: (c, v) => c.manager.upload(c.buffer, v as never, new Uint8Array(4)),
  },
  {
    name: 'upload(buf, 0, data)',
    expects: 'other',
    call: (c, v) => c.manager.upload(c.buffer, 0, v as never),
  },
  {
    name: 'uploadTexture(texture, ...)',
    expects: 'texture',
    call: (c, v) => c.manager.uploadTexture(v as never, new Uint8Array(64), {}, [4, 4]),
  },
  {
    name: 'uploadTexture(tex, data, ...)',
    expects: 'other',
    call: (c, v) => c.manager.uploadTexture(c.texture, v as never, {}, [4, 4]),
  },
  {
    name: 'uploadTexture(tex, data, layout, ...)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.uploadTexture(c.texture, new Uint8Array(64), v as never, [4, 4]),
  },
  {
    name: 'uploadTexture(tex, data, layout, size)',
    expects: 'other',
    call: (c, v) => c.manager.uploadTexture(c.texture, new Uint8Array(64), {}, v as never),
  },
  {
    name: 'uploadTexture(tex, data, layout, size, destination)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.uploadTexture(c.texture, new Uint8Array(64), {}, [4, 4], v as never),
  },
  { name: 'flush(encoder)', expects: 'other', valid: OPTIONAL, call: (c, v) => c.manager.flush(v as never) },
  { name: 'read(buffer)', expects: 'buffer', call: (c, v) => c.manager.read(v as never) },
  {
    name: 'read(buf, offset)',
    expects: 'other',
    valid: ['undefined', 'handle 0'],
    call: (c, v) => c.manager.read(c.buffer, v as never),
  },
  {
    name: 'read(buf, 0, size)',
    expects: 'other',
    valid: ['undefined', 'handle 0'],
    call: (c, v) => c.manager.read(c.buffer, 0, v as never),
  },
  { name: 'readTexture(texture)', expects: 'texture', call: (c, v) => c.manager.readTexture(v as never) },
  {
    name: 'readTexture(tex, region)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.readTexture(c.texture, v as never),
  },
  {
    name: 'trimStaging(policy)',
    expects: 'other',
    valid: ALL_DEFAULTS,
    call: (c, v) => c.manager.trimStaging(v as never),
  },
];

/** The books and live handles, for before/after comparison. */
export function managerState(ctx: HostileContext): unknown {
  const { manager } = ctx;
  return {
    stats: manager.stats(),
    usage: manager.usageStats(),
    staging: manager.stagingStats(),
    residency: manager.residencyStats(),
    resources: [...manager.resources()].map((r) => [r.handle, r.kind, r.state, r.label]),
    extra: ctx.extraState?.(),
  };
}

/** Messages of a JS engine failure rather than of a check that knew what it was looking at. */
const UNTYPED_MESSAGE =
  /is not a function|Cannot read propert|is not iterable|Cannot convert|undefined is not|null is not|Cannot destructure|Maximum call stack/;

/** The outcome of one call: a value, or what it threw or rejected with. */
async function outcome(
  call: () => unknown,
): Promise<{ threw: false; value: unknown } | { threw: true; error: unknown }> {
  try {
    const value = call();
    if (value instanceof Promise) {
      // A hang is a failure too: the table must finish.
      const settled = await Promise.race([
        value.then(
          (v) => ({ threw: false as const, value: v }),
          (e: unknown) => ({ threw: true as const, error: e }),
        ),
        new Promise<{ threw: true; error: unknown }>((resolve) =>
          setTimeout(() => resolve({ threw: true, error: new Error('hung for 2 s') }), 2000),
        ),
      ]);
      return settled;
    }
    return { threw: false, value };
  } catch (error) {
    return { threw: true, error };
  }
}

/** One failed expectation of the table, for a readable report of every finding at once. */
export interface HostileFinding {
  readonly row: string;
  readonly value: HostileName;
  readonly problem: string;
}

/**
 * Runs every row against every hostile value and returns what broke the rules (an empty list passes).
 * `rows` filters the table (the Dawn suite keeps the rows that reach the GPU).
 */
export async function runHostileTable(
  ctx: HostileContext,
  handles: ForeignHandles,
  rows: readonly HostileRow[] = HOSTILE_ROWS,
): Promise<HostileFinding[]> {
  const findings: HostileFinding[] = [];
  const wrongKindFor: Record<Expected, AnyHandle> = {
    texture: ctx.buffer,
    buffer: ctx.texture,
    renderTarget: ctx.texture,
    'any handle': ctx.renderTarget, // any kind is right there: not run
    other: ctx.renderTarget,
  };
  for (const row of rows) {
    for (const [name, make] of hostileValues(handles, wrongKindFor[row.expects])) {
      if (row.valid?.includes(name)) continue;
      if (row.expects === 'any handle' && name === 'wrong-kind handle') continue;
      const before = managerState(ctx);
      const result = await outcome(() => row.call(ctx, make()));
      const after = managerState(ctx);
      const report = (problem: string) => findings.push({ row: row.name, value: name, problem });
      try {
        expect(after).toEqual(before);
      } catch {
        report('the books or live handles changed');
      }
      if (!result.threw) {
        const benign =
          result.value === undefined ||
          result.value === false ||
          (Array.isArray(result.value) && result.value.length === 0);
        if (!(row.query && benign)) report(`accepted (returned ${describe(result.value)})`);
        continue;
      }
      const { error } = result;
      if (!(error instanceof GpuHandlesError)) {
        report(`untyped error: ${describe(error)}`);
        continue;
      }
      if (error.message.length < 10 || UNTYPED_MESSAGE.test(error.message)) {
        report(`message does not name the problem: ${error.message}`);
      }
    }
  }
  return findings;
}

function describe(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    return typeof value === 'symbol' ? value.toString() : String(value);
  } catch {
    return '(a value that cannot be printed)';
  }
}
