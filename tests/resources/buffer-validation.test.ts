import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import { type BufferDescriptor, normalizeBufferDescriptor } from '../../src/resources/buffer.ts';
import { BufferUsage } from '../../src/resources/usage.ts';

const caps = defaultCapabilities([], { maxBufferSize: 1024 });
const { MAP_READ, MAP_WRITE, COPY_SRC, COPY_DST, VERTEX, UNIFORM } = BufferUsage;

function rejects(desc: BufferDescriptor, field: string, value: unknown, rule: RegExp): void {
  let error: unknown;
  try {
    normalizeBufferDescriptor(desc, caps);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(v.label).toBe(desc.label ?? '');
  expect(v.field).toBe(field);
  expect(v.value).toEqual(value);
  expect(v.rule).toMatch(rule);
  expect(v.message).toContain(field);
}

describe('buffer validation', () => {
  it.each([
    [{ label: 'neg', size: -4, usage: VERTEX }, 'size', -4, />= 0/],
    [{ label: 'frac', size: 4.5, usage: VERTEX }, 'size', 4.5, /integer/],
    [{ label: 'nan', size: Number.NaN, usage: VERTEX }, 'size', Number.NaN, /integer/],
    [{ label: 'big', size: 2048, usage: VERTEX }, 'size', 2048, /maxBufferSize \(1024\)/],
    [{ label: 'no usage', size: 4, usage: 0 }, 'usage', 0, /non-zero/],
    [{ label: 'unknown bit', size: 4, usage: 0x800 }, 'usage', 0x800, /BufferUsage bits/],
    [{ label: 'usage 2^32', size: 4, usage: 2 ** 32 }, 'usage', 2 ** 32, /<= 4294967295/],
    [
      { label: 'usage 2^32+VERTEX', size: 4, usage: 2 ** 32 + VERTEX },
      'usage',
      2 ** 32 + VERTEX,
      /<= 4294967295/,
    ],
    [{ label: 'usage fraction', size: 4, usage: 32.5 }, 'usage', 32.5, /integer/],
    [{ label: 'usage negative', size: 4, usage: -32 }, 'usage', -32, />= 0/],
    [
      { label: 'read+vertex', size: 4, usage: MAP_READ | VERTEX },
      'usage',
      'MAP_READ|VERTEX',
      /MAP_READ may only be combined with COPY_DST/,
    ],
    [
      { label: 'read+write', size: 4, usage: MAP_READ | MAP_WRITE },
      'usage',
      'MAP_READ|MAP_WRITE',
      /MAP_READ may only/,
    ],
    [
      { label: 'write+uniform', size: 4, usage: MAP_WRITE | UNIFORM },
      'usage',
      'MAP_WRITE|UNIFORM',
      /MAP_WRITE may only be combined with COPY_SRC/,
    ],
    [
      { label: 'mapped 6', size: 6, usage: VERTEX, mappedAtCreation: true },
      'size',
      6,
      /multiple of 4 when mappedAtCreation/,
    ],
  ] as const)('%o is rejected on %s', (desc, field, value, rule) => rejects(desc, field, value, rule));

  it('accepts the legal map combinations and fills defaults', () => {
    expect(normalizeBufferDescriptor({ size: 8, usage: MAP_READ | COPY_DST }, caps)).toEqual({
      label: '',
      size: 8,
      usage: MAP_READ | COPY_DST,
      mappedAtCreation: false,
    });
    expect(
      normalizeBufferDescriptor(
        { label: 's', size: 1024, usage: MAP_WRITE | COPY_SRC, mappedAtCreation: true },
        caps,
      ).size,
    ).toBe(1024);
  });
});
