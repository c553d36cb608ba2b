import { describe, expect, it } from 'vitest';
import { parseDump, parseDumpText } from '../../demos/dump/parse-dump.ts';
import { ValidationError } from '../../src/index.ts';
import { type LooseDump, sampleDump } from './sample-dump.ts';

/** `sampleDump()` with one field changed by `edit`. */
function edited(edit: (dump: LooseDump) => void): Record<string, unknown> {
  const dump = sampleDump();
  edit(dump);
  return dump;
}

describe('parseDump', () => {
  it('reads a dump as toJSON() writes it, text or value', () => {
    const dump = parseDumpText(JSON.stringify(sampleDump()));
    expect(dump).toEqual(parseDump(sampleDump()));
    expect(dump.backend).toBe('webgpu');
    expect(dump.total).toEqual({
      bytes: 5120,
      count: 2,
      peakBytes: 8192,
      pendingFreeBytes: 0,
      created: 5,
      destroyed: 3,
    });
    expect(dump.byKind.texture).toEqual({ bytes: 4096, count: 1 });
    expect(dump.resources.map((r) => [r.label, r.bytes, r.dependencies])).toEqual([
      ['albedo', 4096, []],
      ['vertices', 1024, [16777217]],
    ]);
  });

  it('accepts kinds and states it does not know (a newer manager), and keeps odd descriptors out', () => {
    const dump = parseDump(
      edited((d) => {
        d.resources[0].kind = 'accelerationStructure';
        d.resources[0].state = 'compressed';
        d.resources[0].descriptor = [1, 2];
      }),
    );
    expect(dump.resources[0]).toMatchObject({
      kind: 'accelerationStructure',
      state: 'compressed',
      descriptor: {},
    });
  });

  const refusals: [string, (d: LooseDump) => void, string | RegExp][] = [
    [
      'another schema',
      (d) => (d.schema = 'gpu-handles/dump@2'),
      'schema = "gpu-handles/dump@2" is invalid: must be "gpu-handles/dump@1"',
    ],
    ['no schema', (d) => delete d.schema, 'schema = undefined is invalid'],
    ['a string time', (d) => (d.time = '90000'), 'time = "90000" is invalid: must be a finite number'],
    [
      'negative total bytes',
      (d) => (d.total.bytes = -1),
      'total.bytes = -1 is invalid: must be an integer >= 0',
    ],
    [
      'a null byKind entry',
      (d) => (d.byKind.texture = null),
      'byKind.texture = null is invalid: must be an object',
    ],
    ['resources not an array', (d) => (d.resources = { 0: {} }), 'resources = '],
    ['a null resource', (d) => (d.resources[1] = null), 'resources[1] = null is invalid: must be an object'],
    [
      'NaN bytes',
      (d) => (d.resources[0].bytes = Number.NaN),
      'resources[0].bytes = NaN is invalid: must be an integer >= 0',
    ],
    ['fractional bytes', (d) => (d.resources[1].bytes = 1.5), 'resources[1].bytes = 1.5 is invalid'],
    [
      'a huge bytes',
      (d) => (d.resources[1].bytes = 2 ** 60),
      /resources\[1\]\.bytes = 1\.?1529\d+(e\+18)? is invalid: must be an integer >= 0/,
    ],
    ['handle 0', (d) => (d.resources[0].handle = 0), 'resources[0].handle = 0 is invalid: must be >= 1'],
    [
      'a duplicate handle',
      (d) => (d.resources[1].handle = d.resources[0].handle),
      'resources[1].handle = 16777217 is invalid: must be unique',
    ],
    [
      'a label that is a number',
      (d) => (d.resources[0].label = 7),
      'resources[0].label = 7 is invalid: must be a string',
    ],
    [
      'an empty kind',
      (d) => (d.resources[0].kind = ''),
      'resources[0].kind = "" is invalid: must be a kind name',
    ],
    [
      'a bad dependency',
      (d) => (d.resources[1].dependencies = ['x']),
      'resources[1].dependencies[0] = "x" is invalid',
    ],
    [
      'dependencies missing',
      (d) => delete d.resources[1].dependencies,
      'resources[1].dependencies = undefined is invalid',
    ],
    [
      'createdAt Infinity',
      (d) => (d.resources[0].createdAt = Number.POSITIVE_INFINITY),
      'resources[0].createdAt = Infinity is invalid',
    ],
  ];
  for (const [what, edit, message] of refusals) {
    it(`refuses ${what}, naming the field, the value and the rule`, () => {
      const value = edited(edit);
      expect(() => parseDump(value)).toThrow(ValidationError);
      expect(() => parseDump(value)).toThrow(message);
      expect(() => parseDump(value)).toThrow(/^'dump': /);
    });
  }

  it('refuses what is not a dump at all: not JSON, empty, not an object, hostile values', () => {
    expect(() => parseDumpText('{"schema": ')).toThrow(
      /^'dump': text = "\{\\"schema\\": " is invalid: must be JSON \(/,
    );
    expect(() => parseDumpText('   ')).toThrow('is empty: choose a file or paste a dump');
    expect(() => parseDumpText(42)).toThrow('text = 42 is invalid: must be a string of JSON');
    for (const value of [null, 42, 'dump', [], undefined])
      expect(() => parseDump(value)).toThrow(ValidationError);
    const throwing = Object.defineProperty(sampleDump(), 'time', {
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => parseDump(throwing)).toThrow(
      'time = undefined is invalid: could not be read (a throwing getter)',
    );
    const proxy = new Proxy(sampleDump(), {
      get() {
        throw new Error('trap');
      },
    });
    expect(() => parseDump(proxy)).toThrow(ValidationError);
  });
});
