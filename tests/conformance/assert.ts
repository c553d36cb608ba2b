/**
 * A tiny portable assertion module for the conformance cases. No vitest import, so the cases bundle into a
 * browser page as well as run under vitest in Node; a failed assertion throws `AssertionError` whose message
 * says what was expected and what came instead.
 */

/** A failed conformance assertion. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function fail(message: string | undefined, detail: string): never {
  throw new AssertionError(message ? `${message}: ${detail}` : detail);
}

/**
 * Strict equality (`Object.is`).
 *
 * @example
 * equal(record.bytes, 1024, 'texture bytes');
 */
export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Structural equality of plain data (arrays, plain objects, primitives); key order does not matter.
 *
 * @example
 * deepEqual(manager.usageStats(), before, 'ledger unchanged');
 */
export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  const path = difference(actual, expected, '');
  if (path !== undefined) {
    fail(message, `differs at ${path || '(root)'}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = difference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Truthiness.
 *
 * @example
 * ok(manager.has(tex), 'texture is live');
 */
export function ok(value: unknown, message?: string): asserts value {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function checkError<E extends Error>(
  error: unknown,
  errorClass: ErrorClass<E>,
  pattern: RegExp | undefined,
  message: string | undefined,
): E {
  if (!(error instanceof errorClass)) {
    fail(message, `expected a ${errorClass.name}, got ${show(error)}`);
  }
  if (pattern && !pattern.test(error.message)) {
    fail(message, `expected the ${errorClass.name} message to match ${pattern}, got ${show(error.message)}`);
  }
  return error;
}

/**
 * `fn` must throw an instance of `errorClass` (whose message matches `pattern`); returns the error.
 *
 * @example
 * const e = throws(() => manager.destroy(tex), StaleHandleError, /does not resolve/);
 */
export function throws<E extends Error>(
  fn: () => unknown,
  errorClass: ErrorClass<E>,
  pattern?: RegExp,
  message?: string,
): E {
  try {
    fn();
  } catch (error) {
    return checkError(error, errorClass, pattern, message);
  }
  return fail(message, `expected a ${errorClass.name} to be thrown, but nothing was thrown`);
}

/**
 * The promise (or the promise `fn` returns) must reject with an instance of `errorClass`; returns the error.
 *
 * @example
 * const e = await rejects(manager.createShader(broken), ShaderCompileError, /undeclared/);
 */
export async function rejects<E extends Error>(
  promise: Promise<unknown> | (() => Promise<unknown>),
  errorClass: ErrorClass<E>,
  pattern?: RegExp,
  message?: string,
): Promise<E> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return checkError(error, errorClass, pattern, message);
  }
  return fail(message, `expected a rejection with ${errorClass.name}, but the promise resolved`);
}
