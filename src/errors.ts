/**
 * Typed errors. Every message names the resource label, the field, the bad value and the rule broken,
 * so a failure in a log is actionable without a debugger.
 */

import { unpackHandle } from './handles/handle.ts';

const MAX_SHOWN = 120;
const MAX_ITEMS = 8;

/**
 * Formats any JavaScript value for an error message, and never throws: strings quoted, numbers as written
 * (`-0`, `NaN`), bigints with `n`, symbols as `Symbol(desc)`, arrays and plain objects in a compact JSON-like
 * form (at most 8 items, two levels deep), typed arrays with their type (`Uint32Array [4, 4]`, or
 * `Uint8Array (detached)`), and anything that throws while being read (a revoked Proxy, a throwing getter or
 * `toString`) as a placeholder. Long results are cut at 120 characters.
 *
 * @example
 * describeValue(null) // 'null'
 * describeValue(new Uint32Array([4, 4])) // 'Uint32Array [4,4]'
 * describeValue({ width: 0 }) // '{"width":0}'
 * describeValue(Symbol('x')) // 'Symbol(x)'
 */
export function describeValue(value: unknown): string {
  const shown = describeAt(value, 0);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 3)}...` : shown;
}

function describeAt(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return `Symbol(${value.description ?? ''})`;
    case 'function':
      return '[function]';
  }
  if (value === null) return 'null';
  try {
    return describeObject(value as object, depth);
  } catch {
    // A revoked Proxy, or a Proxy whose traps throw: nothing about it can be read safely.
    return '[unreadable object]';
  }
}

function describeObject(value: object, depth: number): string {
  if (ArrayBuffer.isView(value)) return describeView(value);
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (value instanceof Set || value instanceof Map) return `${value.constructor.name}(${value.size})`;
  if (value instanceof Error) return `${String(value.name)}: ${String(value.message)}`;
  const isArray = Array.isArray(value);
  if (depth >= 2) return isArray ? '[...]' : '{...}';
  if (isArray) {
    const items = value as readonly unknown[];
    const shown: string[] = [];
    for (let i = 0; i < Math.min(items.length, MAX_ITEMS); i++) shown.push(readSafely(items, i, depth));
    if (items.length > MAX_ITEMS) shown.push(`... ${items.length - MAX_ITEMS} more`);
    return `[${shown.join(',')}]`;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const keys = Object.keys(value);
  const shown = keys
    .slice(0, MAX_ITEMS)
    .map((key) => `${JSON.stringify(key)}:${readSafely(value, key, depth)}`);
  if (keys.length > MAX_ITEMS) shown.push(`... ${keys.length - MAX_ITEMS} more`);
  const body = `{${shown.join(',')}}`;
  return tag === 'Object' ? body : `${tag} ${body}`;
}

function readSafely(owner: object, key: PropertyKey, depth: number): string {
  try {
    return describeAt((owner as Record<PropertyKey, unknown>)[key], depth + 1);
  } catch {
    return '<getter threw>';
  }
}

function describeView(view: ArrayBufferView): string {
  const name = Object.prototype.toString.call(view).slice(8, -1);
  try {
    // Any view over a detached buffer throws on construction; reading its length would just say 0.
    new Uint8Array(view.buffer);
  } catch {
    return `${name} (detached)`;
  }
  if (view instanceof DataView) return `DataView(${view.byteLength})`;
  const items = Array.from(view as unknown as ArrayLike<number | bigint>).slice(0, MAX_ITEMS);
  const more = (view as unknown as ArrayLike<unknown>).length - items.length;
  return `${name} [${items.map((v) => describeAt(v, 2)).join(',')}${more > 0 ? `,... ${more} more` : ''}]`;
}

/** Base class of every error gpu-handles throws; `code` is stable for programmatic checks. */
export class GpuHandlesError extends Error {
  /** A stable identifier, e.g. `'validation'`, `'stale-handle'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A descriptor broke a rule. Thrown before anything reaches the GPU: no table entry, no ledger change.
 *
 * @example
 * try { manager.createTexture({ label: 'albedo', size: [0, 4], format: 'rgba8unorm', usage }) }
 * catch (e) { if (e instanceof ValidationError) console.log(e.field, e.value, e.rule) }
 */
export class ValidationError extends GpuHandlesError {
  readonly label: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  constructor(label: string, field: string, value: unknown, rule: string) {
    super('validation', `${describeLabel(label)}: ${field} = ${describeValue(value)} is invalid: ${rule}`);
    this.label = label;
    this.field = field;
    this.value = value;
    this.rule = rule;
  }
}

/** A handle whose resource was destroyed (its slot's generation moved on) or that was never issued. */
export class StaleHandleError extends GpuHandlesError {
  readonly handle: number;
  constructor(handle: number, detail: string) {
    super('stale-handle', `handle ${describeValue(handle)} does not resolve: ${detail}`);
    this.handle = handle;
  }
}

/**
 * A handle that this table did not issue: one from another manager (its tag names that table), or a number
 * with a handle's shape whose tag no table ever uses (tag 0: a hand-made or corrupted number). The message
 * shows the handle's parts so the two cases can be told apart.
 *
 * @example
 * try { managerB.destroy(handleOfA) } catch (e) { if (e instanceof ForeignHandleError) console.log(e.ownerTag) }
 */
export class ForeignHandleError extends GpuHandlesError {
  readonly handle: number;
  /** The tag the handle carries (0: issued by no table). */
  readonly ownerTag: number;
  constructor(handle: number, ownerTag: number, expectedTag: number) {
    // Only a number can be unpacked (`&` throws on a Symbol or a BigInt).
    const unpacked = typeof handle === 'number' ? unpackHandle(handle) : undefined;
    const parts = unpacked
      ? `slot ${unpacked.index}, generation ${unpacked.generation}, tag ${describeValue(ownerTag)}`
      : `tag ${describeValue(ownerTag)}`;
    super(
      'foreign-handle',
      ownerTag === 0
        ? `handle ${describeValue(handle)} (${parts}) was not issued by any manager: tag 0 is never issued ` +
            `(this table's tag is ${describeValue(expectedTag)}); handles come only from a manager's create calls`
        : `handle ${describeValue(handle)} belongs to table #${ownerTag}, not to this table #${describeValue(expectedTag)} ` +
            `(${parts}): handles cannot be shared between managers`,
    );
    this.handle = handle;
    this.ownerTag = ownerTag;
  }
}

/** A handle of one kind was used where another kind is required (possible only through casts). */
export class WrongKindError extends GpuHandlesError {
  constructor(label: string, field: string, actual: string, expected: string) {
    super(
      'wrong-kind',
      `${describeLabel(label)}: ${field} is a ${actual}, but the rule requires a ${expected}`,
    );
  }
}

/** The table was created with a capacity and is full. */
export class TableFullError extends GpuHandlesError {
  readonly capacity: number;
  constructor(capacity: number) {
    super('table-full', `the resource table is full: capacity is ${capacity} live entries`);
    this.capacity = capacity;
  }
}

/** Destroying a resource that live resources still depend on (e.g. a render target's attachment). */
export class ResourceInUseError extends GpuHandlesError {
  readonly dependents: readonly string[];
  constructor(
    label: string,
    dependents: readonly string[],
    remedy = 'destroy those first or pass { cascade: true }',
  ) {
    super(
      'resource-in-use',
      `${describeLabel(label)} cannot be destroyed: it is used by ${dependents.map(describeLabel).join(', ')}; ` +
        remedy,
    );
    this.dependents = dependents;
  }
}

/** One WGSL/GLSL compiler message with its position and the source line it points at. */
export interface ShaderMessage {
  readonly type: 'error' | 'warning' | 'info';
  readonly message: string;
  /** 1-based line, 0 when the compiler gave none. */
  readonly line: number;
  /** 1-based column, 0 when the compiler gave none. */
  readonly column: number;
  /** The offending source line, '' when unknown. */
  readonly sourceLine: string;
}

/** Formats a shader message as `line:column: type: message` followed by the source line and a caret. */
export function formatShaderMessage(m: ShaderMessage): string {
  const head = `${m.line}:${m.column}: ${m.type}: ${m.message}`;
  if (!m.sourceLine) return head;
  const caret = m.column > 0 ? `\n    ${' '.repeat(m.column - 1)}^` : '';
  return `${head}\n    ${m.sourceLine}${caret}`;
}

/** A shader failed to compile or link; `messages` lists every diagnostic with line:column and source. */
export class ShaderCompileError extends GpuHandlesError {
  readonly label: string;
  readonly messages: readonly ShaderMessage[];
  constructor(label: string, messages: readonly ShaderMessage[]) {
    const errors = messages.filter((m) => m.type === 'error');
    super(
      'shader-compile',
      `${describeLabel(label)}: shader failed to compile with ${errors.length} error(s):\n` +
        messages.map(formatShaderMessage).join('\n'),
    );
    this.label = label;
    this.messages = messages;
  }
}

/** The GPU rejected something the TypeScript validation let through (debug mode). A bug in validation. */
export class GpuValidationError extends GpuHandlesError {
  readonly label: string;
  constructor(label: string, operation: string, gpuMessage: string) {
    super('gpu-validation', `${describeLabel(label)}: the GPU rejected ${operation}: ${gpuMessage}`);
    this.label = label;
  }
}

/** An operation on a manager (or pool, or cache) after `dispose()` / `close()`. */
export class DisposedError extends GpuHandlesError {
  constructor(what: string, operation: string) {
    super('disposed', `${what} is disposed: cannot ${operation}`);
  }
}

/** Reference counting misuse: releasing more than was retained, and similar. */
export class RefCountError extends GpuHandlesError {
  constructor(label: string, detail: string) {
    super('ref-count', `${describeLabel(label)}: ${detail}`);
  }
}

/** An async wait ran past its deadline. */
export class TimeoutError extends GpuHandlesError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super('timeout', `${what} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** An async wait was cancelled through its AbortSignal. */
export class AbortError extends GpuHandlesError {
  constructor(what: string, reason?: unknown) {
    super(
      'aborted',
      `${what} was aborted${reason === undefined ? '' : `: ${describeValue(reasonText(reason))}`}`,
      {
        cause: reason,
      },
    );
  }
}

/** The device or context was lost; every handle of the manager went stale. */
export class DeviceLostError extends GpuHandlesError {
  constructor(detail: string) {
    super('device-lost', `the GPU device was lost: ${detail}`);
  }
}

function describeLabel(label: unknown): string {
  if (typeof label !== 'string') return describeValue(label);
  return label ? `'${label}'` : '(unlabelled resource)';
}

// An abort reason is usually an Error or a string; String() shows both best, but may throw (a Symbol is
// fine, an object whose toString throws is not).
function reasonText(reason: unknown): unknown {
  try {
    return String(reason);
  } catch {
    return reason;
  }
}

/**
 * An item was released to a pool that does not have it checked out: released twice, or never acquired from it.
 * Thrown before anything changes, so the pool's state and stats are as they were.
 *
 * @example
 * pool.release(buffer);
 * try { pool.release(buffer) } catch (e) { if (e instanceof PoolReleaseError) console.warn(e.message) }
 */
export class PoolReleaseError extends GpuHandlesError {
  /** The pool's description, e.g. `resource pool 'staging'`. */
  readonly pool: string;
  readonly item: unknown;
  constructor(pool: string, item: unknown, detail: string) {
    const shown = describeValue(item);
    super(
      'pool-release',
      `${pool}: release(${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}) is invalid: ${detail}; ` +
        'rule: release each acquired item exactly once, to the pool it came from',
    );
    this.pool = pool;
    this.item = item;
  }
}

/**
 * WebGL2: `checkFramebufferStatus` did not return FRAMEBUFFER_COMPLETE for a render target whose descriptor
 * passed validation (GL's last word on an attachment combination). Nothing is created.
 *
 * @example
 * try { manager.createRenderTarget({ label: 'gbuffer', color: [a, b] }) }
 * catch (e) { if (e instanceof FramebufferIncompleteError) console.warn(e.statusName) }
 */
export class FramebufferIncompleteError extends GpuHandlesError {
  readonly label: string;
  /** The GL status value, e.g. 0x8cd6. */
  readonly status: number;
  /** The status name, e.g. `'FRAMEBUFFER_INCOMPLETE_ATTACHMENT'`. */
  readonly statusName: string;
  constructor(label: string, what: string, status: number, statusName: string) {
    super(
      'framebuffer-incomplete',
      `${describeLabel(label)}: ${what} status = ${statusName} (0x${status.toString(16)}) is invalid: ` +
        'checkFramebufferStatus must return FRAMEBUFFER_COMPLETE for these attachments',
    );
    this.label = label;
    this.status = status;
    this.statusName = statusName;
  }
}

/**
 * A pending read (`manager.read`, `manager.readTexture`) was cancelled before the GPU returned its data: its
 * source was destroyed, the manager was disposed, or the device was lost. The readback buffer it used went
 * back to the pool; nothing leaked.
 *
 * @example
 * const pending = manager.read(buffer);
 * manager.destroy(buffer);
 * await pending.catch((e) => { if (e instanceof ReadbackCancelledError) console.log(e.reason) }); // 'destroyed'
 */
export class ReadbackCancelledError extends GpuHandlesError {
  /** The source's label. */
  readonly label: string;
  /** Why: the source was destroyed, the manager disposed, the device lost, or the GPU failed the map. */
  readonly reason: 'destroyed' | 'disposed' | 'device-lost' | 'map-failed';
  constructor(label: string, reason: ReadbackCancelledError['reason'], detail?: string) {
    const why = {
      destroyed: 'its source was destroyed',
      disposed: 'the resource manager was disposed',
      'device-lost': 'the GPU device was lost',
      'map-failed': 'the GPU failed to map the readback buffer',
    }[reason];
    super(
      'readback-cancelled',
      `${describeLabel(label)}: the pending read was cancelled before the GPU returned its data: ${why}` +
        (detail ? ` (${detail})` : ''),
    );
    this.label = label;
    this.reason = reason;
  }
}

/**
 * A resource exists (its handle is valid) but is not `live`, so it has no GPU object to hand out: it was
 * evicted, its device was lost, or the GPU refused it (`failed`).
 *
 * @example
 * try { manager.gpu(tex) } catch (e) { if (e instanceof ResourceStateError) console.log(e.state) }
 */
export class ResourceStateError extends GpuHandlesError {
  readonly label: string;
  readonly state: string;
  constructor(label: string, state: string, operation: string, detail?: string) {
    super(
      'resource-state',
      `${describeLabel(label)} is ${state}, not live: cannot ${operation}` + (detail ? ` (${detail})` : ''),
    );
    this.label = label;
    this.state = state;
  }
}

/**
 * A create would take the manager past its memory budget, and evicting what may be evicted was not enough
 * (`budget.strict: true`). Nothing was created.
 *
 * @example
 * try { manager.createTexture(desc) } catch (e) { if (e instanceof BudgetExceededError) shrinkQuality() }
 */
export class BudgetExceededError extends GpuHandlesError {
  readonly label: string;
  readonly bytes: number;
  readonly budgetBytes: number;
  constructor(label: string, bytes: number, residentBytes: number, budgetBytes: number) {
    super(
      'budget-exceeded',
      `${describeLabel(label)} (${bytes} bytes) does not fit the budget: ${residentBytes} of ${budgetBytes} ` +
        'bytes are resident and nothing more may be evicted now (pinned, in use this or the last frame, or in flight)',
    );
    this.label = label;
    this.bytes = bytes;
    this.budgetBytes = budgetBytes;
  }
}

/**
 * An evicted resource was asked for its GPU object, and its contents cannot come back at once (a loader or an
 * owner must run): `await manager.ensureResident(handle)` first.
 *
 * @example
 * try { manager.gpu(tex) } catch (e) { if (e instanceof NotResidentError) await manager.ensureResident(tex) }
 */
export class NotResidentError extends ResourceStateError {
  constructor(label: string, operation: string) {
    super(label, 'evicted', operation, 'await manager.ensureResident(handle) to bring it back');
    (this as { code: string }).code = 'not-resident';
  }
}

/**
 * An atlas (or atlas allocator) call broke a rule: a bad size or option, a stale region id, a request that
 * cannot fit even in an empty page, or a full atlas. The message names the atlas label, the field, the bad
 * value and the rule; the call changed nothing.
 *
 * @example
 * try { allocator.deallocate(staleId) }
 * catch (e) { if (e instanceof AtlasError) console.warn(e.field, e.value, e.rule) }
 */
export class AtlasError extends GpuHandlesError {
  readonly label: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  constructor(label: string, field: string, value: unknown, rule: string, options?: { cause?: unknown }) {
    super(
      'atlas',
      `${label ? `'${label}'` : '(unlabelled atlas)'}: ${field} = ${describeValue(value)} is invalid: ${rule}`,
      options,
    );
    this.label = label;
    this.field = field;
    this.value = value;
    this.rule = rule;
  }
}
