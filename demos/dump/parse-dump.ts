/**
 * Reading a `gpu-handles/dump@1` (what `manager.toJSON()` returns, see src/manager/report.ts) from text or
 * from any JS value, as a pure function. A dump comes from outside the page (a file, a paste, another tab), so
 * nothing about it is trusted: every field the viewer draws is checked, and the first bad one is refused with
 * a ValidationError naming the field's path, its value and the rule, which the page shows as it is. Fields
 * the viewer does not draw (a descriptor's contents) are kept only if they are plain objects.
 */
import { ValidationError } from '../../src/index.ts';

/** The schema this viewer reads. */
export const DUMP_SCHEMA = 'gpu-handles/dump@1';

/** The label errors carry: messages start with `'dump'`. */
const DUMP_LABEL = 'dump';

/** Largest dump the viewer reads: 1,048,576 resources is the handle table's own limit. */
export const MAX_RESOURCES = 1 << 20;

/** A resource of a dump, as the viewer uses it. */
export interface ViewerResource {
  readonly handle: number;
  readonly kind: string;
  readonly label: string;
  readonly bytes: number;
  readonly state: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly dependencies: readonly number[];
  readonly createdAt: number;
  readonly lastAccess: number;
  readonly accessCount: number;
  readonly owners: number;
  readonly retains: number;
}

/** Bytes and count of one ledger kind. */
export interface KindTotal {
  readonly bytes: number;
  readonly count: number;
}

/** A checked dump. */
export interface ViewerDump {
  readonly backend: string;
  /** The manager's clock when the dump was taken (ms). */
  readonly time: number;
  readonly total: {
    readonly bytes: number;
    readonly count: number;
    readonly peakBytes: number;
    readonly pendingFreeBytes: number;
    readonly created: number;
    readonly destroyed: number;
  };
  /** Per ledger kind, including `staging` (pooled transfer memory, which is not a resource). */
  readonly byKind: Readonly<Record<string, KindTotal>>;
  readonly resources: readonly ViewerResource[];
}

/**
 * Parses dump text (a `.json` file or a paste).
 *
 * @throws ValidationError when the text is not JSON or not a dump (see {@link parseDump}).
 * @example
 * const dump = parseDumpText(JSON.stringify(manager.toJSON()));
 */
export function parseDumpText(text: unknown): ViewerDump {
  if (typeof text !== 'string') throw invalid('text', text, 'must be a string of JSON');
  if (text.trim() === '') throw invalid('text', text, 'is empty: choose a file or paste a dump');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid('text', text.slice(0, 40), `must be JSON (${reason})`);
  }
  return parseDump(value);
}

/**
 * Checks a value as a `gpu-handles/dump@1` and returns the fields the viewer uses.
 *
 * @throws ValidationError naming the first bad field (`resources[3].bytes`), its value and the rule.
 * @example
 * const dump = parseDump(manager.toJSON());
 * dump.resources.length;
 */
export function parseDump(value: unknown): ViewerDump {
  const root = record(value, '(the dump)');
  const schema = field(root, 'schema', '');
  if (schema !== DUMP_SCHEMA) {
    throw invalid(
      'schema',
      schema,
      `must be ${JSON.stringify(DUMP_SCHEMA)} (this viewer reads that version)`,
    );
  }
  const backend = text(root, 'backend', '');
  const time = finite(root, 'time', '');
  const totalRecord = record(field(root, 'total', ''), 'total');
  const total = {
    bytes: count(totalRecord, 'bytes', 'total.'),
    count: count(totalRecord, 'count', 'total.'),
    peakBytes: count(totalRecord, 'peakBytes', 'total.'),
    pendingFreeBytes: count(totalRecord, 'pendingFreeBytes', 'total.'),
    created: count(totalRecord, 'created', 'total.'),
    destroyed: count(totalRecord, 'destroyed', 'total.'),
  };
  const byKindRecord = record(field(root, 'byKind', ''), 'byKind');
  const byKind: Record<string, KindTotal> = {};
  for (const kind of Object.keys(byKindRecord)) {
    const usage = record(byKindRecord[kind], `byKind.${kind}`);
    byKind[kind] = {
      bytes: count(usage, 'bytes', `byKind.${kind}.`),
      count: count(usage, 'count', `byKind.${kind}.`),
    };
  }
  const list = field(root, 'resources', '');
  if (!Array.isArray(list)) throw invalid('resources', list, 'must be an array of resources');
  if (list.length > MAX_RESOURCES) {
    throw invalid(
      'resources.length',
      list.length,
      `must be at most ${MAX_RESOURCES} (a manager's handle limit)`,
    );
  }
  const seen = new Set<number>();
  const resources = list.map((entry, i) => {
    const resource = parseResource(entry, `resources[${i}].`);
    if (seen.has(resource.handle)) {
      throw invalid(`resources[${i}].handle`, resource.handle, 'must be unique: another resource has it');
    }
    seen.add(resource.handle);
    return resource;
  });
  return { backend, time, total, byKind, resources };
}

function parseResource(value: unknown, path: string): ViewerResource {
  const r = record(value, path.slice(0, -1));
  const handle = count(r, 'handle', path);
  if (handle === 0) throw invalid(`${path}handle`, handle, 'must be >= 1 (0 is never a handle)');
  const kind = text(r, 'kind', path);
  if (kind === '') throw invalid(`${path}kind`, kind, 'must be a kind name');
  const dependencies = field(r, 'dependencies', path);
  if (!Array.isArray(dependencies))
    throw invalid(`${path}dependencies`, dependencies, 'must be an array of handles');
  for (const [i, dependency] of dependencies.entries()) {
    if (!Number.isSafeInteger(dependency) || (dependency as number) < 1) {
      throw invalid(`${path}dependencies[${i}]`, dependency, 'must be a handle (an integer >= 1)');
    }
  }
  const descriptor = field(r, 'descriptor', path);
  return {
    handle,
    kind,
    label: text(r, 'label', path),
    bytes: count(r, 'bytes', path),
    state: text(r, 'state', path),
    descriptor: isPlainRecord(descriptor) ? descriptor : {},
    dependencies: dependencies as number[],
    createdAt: finite(r, 'createdAt', path),
    lastAccess: finite(r, 'lastAccess', path),
    accessCount: count(r, 'accessCount', path),
    owners: count(r, 'owners', path),
    retains: count(r, 'retains', path),
  };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isPlainRecord(value)) throw invalid(path, value, 'must be an object');
  return value;
}

/** Reads one field; a getter that throws (a value handed over by script, not parsed) becomes a refusal. */
function field(r: Record<string, unknown>, key: string, path: string): unknown {
  try {
    return r[key];
  } catch {
    throw invalid(
      `${path}${key}`,
      undefined,
      'could not be read (a throwing getter): a dump must be plain data',
    );
  }
}

function text(r: Record<string, unknown>, key: string, path: string): string {
  const value = field(r, key, path);
  if (typeof value !== 'string') throw invalid(`${path}${key}`, value, 'must be a string');
  return value;
}

function finite(r: Record<string, unknown>, key: string, path: string): number {
  const value = field(r, key, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${path}${key}`, value, 'must be a finite number (ms of the manager clock)');
  }
  return value;
}

function count(r: Record<string, unknown>, key: string, path: string): number {
  const value = field(r, key, path);
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw invalid(`${path}${key}`, value, 'must be an integer >= 0');
  }
  return value as number;
}

function invalid(fieldPath: string, value: unknown, rule: string): ValidationError {
  return new ValidationError(DUMP_LABEL, fieldPath, value, rule);
}
