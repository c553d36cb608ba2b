/**
 * Typed errors. Every message names the resource label, the field, the bad value and the rule broken,
 * so a failure in a log is actionable without a debugger.
 */

/** Formats a value for an error message: strings quoted, objects as compact JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return '[function]';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
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
    super('stale-handle', `handle ${handle} does not resolve: ${detail}`);
    this.handle = handle;
  }
}

/** A handle issued by a different manager (or table) than the one it was passed to. */
export class ForeignHandleError extends GpuHandlesError {
  readonly handle: number;
  constructor(handle: number, ownerTag: number, expectedTag: number) {
    super(
      'foreign-handle',
      `handle ${handle} belongs to table #${ownerTag}, not to this table #${expectedTag}: ` +
        'handles cannot be shared between managers',
    );
    this.handle = handle;
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
  constructor(label: string, dependents: readonly string[]) {
    super(
      'resource-in-use',
      `${describeLabel(label)} cannot be destroyed: it is used by ${dependents.map(describeLabel).join(', ')}; ` +
        'destroy those first or pass { cascade: true }',
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
      `${what} was aborted${reason === undefined ? '' : `: ${describeValue(String(reason))}`}`,
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

function describeLabel(label: string): string {
  return label ? `'${label}'` : '(unlabelled resource)';
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
