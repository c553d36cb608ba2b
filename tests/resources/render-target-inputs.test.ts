/**
 * Render target rules that WebGPU enforces and validation used to let through (clear values, resolve
 * targets), and what WebGPU allows that validation used to reject (empty colour slots).
 */
import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import type { Handle } from '../../src/handles/handle.ts';
import { normalizeRenderTargetDescriptor } from '../../src/resources/render-target.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../../src/resources/texture.ts';
import { TextureUsage } from '../../src/resources/usage.ts';

const caps = defaultCapabilities();
const RA = TextureUsage.RENDER_ATTACHMENT;
const tex = (extra: Partial<TextureDescriptor> = {}): TextureDescriptor => ({
  size: [8, 8],
  format: 'rgba8unorm',
  usage: RA,
  ...extra,
});
/** Handle N is TEXTURES[N - 1]. */
const TEXTURES = [
  tex({ label: 'ms-a', sampleCount: 4 }), // 1
  tex({ label: 'ms-b', sampleCount: 4 }), // 2
  tex({ label: 'resolve' }), // 3
  tex({ label: 'resolve-2-mips', mipLevelCount: 2 }), // 4
  tex({ label: 'resolve-2-layers', size: [8, 8, 2] }), // 5
  tex({ label: 'plain' }), // 6
  tex({ label: 'depth', format: 'depth24plus-stencil8' }), // 7
  tex({ label: 'transient', usage: RA | TextureUsage.TRANSIENT_ATTACHMENT }), // 8
  tex({ label: 'resolve-2' }), // 9
  tex({ label: 'stencil', format: 'stencil8' }), // 10
].map((t) => normalizeTextureDescriptor(t, caps));
const lookup = (handle: number) => TEXTURES[handle - 1] ?? 'stale';
const h = (n: number) => n as Handle<'texture'>;
const normalize = (desc: unknown) => normalizeRenderTargetDescriptor(desc as never, lookup, caps);

function rejects(desc: unknown, field: string, rule: RegExp): ValidationError {
  let error: unknown;
  try {
    normalize(desc);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(v.field).toBe(field);
  expect(v.rule).toMatch(rule);
  return v;
}

describe('resolve targets', () => {
  it('accepts one resolve target per multisampled attachment', () => {
    const rt = normalize({
      color: [
        { texture: h(1), resolveTarget: h(3) },
        { texture: h(2), resolveTarget: h(9) },
      ],
    });
    expect(rt.color.map((c) => c?.resolveTarget)).toEqual([3, 9]);
  });

  it('rejects two attachments resolving into the same texture', () => {
    const v = rejects(
      {
        color: [
          { texture: h(1), resolveTarget: h(3) },
          { texture: h(2), resolveTarget: h(3) },
        ],
      },
      'color[1].resolveTarget',
      /only once per render target \(it is already color\[0\]\.resolveTarget\)/,
    );
    expect(v.value).toBe(3);
  });

  it('rejects a transient resolve target (Dawn: its contents would never leave the pass)', () => {
    rejects(
      { color: [{ texture: h(1), resolveTarget: h(8) }] },
      'color[0].resolveTarget',
      /TRANSIENT_ATTACHMENT/,
    );
  });

  it('rejects a resolve target with 2 mips or 2 layers (its view would not be renderable)', () => {
    rejects({ color: [{ texture: h(1), resolveTarget: h(4) }] }, 'color[0].resolveTarget', /one mip level/);
    rejects({ color: [{ texture: h(1), resolveTarget: h(5) }] }, 'color[0].resolveTarget', /one layer/);
  });
});

describe('clear values', () => {
  it('takes a { r, g, b, a } colour or any sequence of 4 and stores [r, g, b, a]', () => {
    const dict = normalize({ color: [{ texture: h(6), clearValue: { r: 1, g: 0.5, b: 0, a: 1 } }] });
    expect(dict.color[0]?.clearValue).toEqual([1, 0.5, 0, 1]);
    const typed = normalize({ color: [{ texture: h(6), clearValue: new Float64Array([0, 0, 1, 1]) }] });
    expect(typed.color[0]?.clearValue).toEqual([0, 0, 1, 1]);
    // Integer formats take values outside 0..1; Dawn accepts any finite value.
    expect(
      normalize({ color: [{ texture: h(6), clearValue: [2, -1, 1e6, 0] }] }).color[0]?.clearValue,
    ).toEqual([2, -1, 1e6, 0]);
  });

  it.each([
    [[0, 0, 0], 'color[0].clearValue', /exactly 4 components/],
    [[0, 0, 0, 0, 0], 'color[0].clearValue', /exactly 4 components/],
    [[Number.NaN, 0, 0, 0], 'color[0].clearValue[0]', /finite number/],
    [[0, Number.POSITIVE_INFINITY, 0, 0], 'color[0].clearValue[1]', /finite number/],
    ['red', 'color[0].clearValue', /sequence of 4 numbers/],
    [['1', 0, 0, 0], 'color[0].clearValue[0]', /finite number/],
    [{ r: 1, g: 0, b: 0 }, 'color[0].clearValue.a', /required/],
    [{ r: 1, g: 0, b: 0, a: null }, 'color[0].clearValue.a', /finite number/],
    [null, 'color[0].clearValue', /sequence of 4 numbers/],
  ])('rejects the colour %o', (clearValue, field, rule) => {
    rejects({ color: [{ texture: h(6), clearValue }] }, field, rule);
  });

  it.each([
    [{ depthClearValue: 1.5 }, 'depthStencil.depthClearValue', /between 0 and 1/],
    [{ depthClearValue: -0.1 }, 'depthStencil.depthClearValue', /between 0 and 1/],
    [{ depthClearValue: Number.NaN }, 'depthStencil.depthClearValue', /finite/],
    [{ depthClearValue: null }, 'depthStencil.depthClearValue', /finite/],
    [{ stencilClearValue: -1 }, 'depthStencil.stencilClearValue', />= 0/],
    [{ stencilClearValue: 1.5 }, 'depthStencil.stencilClearValue', /integer/],
    [{ stencilClearValue: 2 ** 32 }, 'depthStencil.stencilClearValue', /<= 4294967295/],
  ])('rejects the depth/stencil clear %o', (values, field, rule) => {
    rejects({ color: [h(6)], depthStencil: { texture: h(7), ...values } }, field, rule);
  });

  it('ignores the depth clear range for a stencil-only format (WebGPU checks it only with a depth aspect)', () => {
    const rt = normalize({ color: [h(6)], depthStencil: { texture: h(10), depthClearValue: 1.5 } });
    expect(rt.depthStencil?.depthClearValue).toBe(1.5);
    rejects(
      { color: [h(6)], depthStencil: { texture: h(10), depthClearValue: Number.NaN } },
      'depthStencil.depthClearValue',
      /finite/,
    );
  });

  it('accepts depth 0 and 1 and any stencil integer', () => {
    const rt = normalize({
      color: [],
      depthStencil: { texture: h(7), depthClearValue: 0, stencilClearValue: 300 },
    });
    expect(rt.depthStencil).toMatchObject({ depthClearValue: 0, stencilClearValue: 300 });
  });
});

describe('empty colour slots and transient attachments', () => {
  it('accepts gaps, counts them against maxColorAttachments, and needs one real attachment', () => {
    expect(normalize({ color: [null, null, h(6)] }).color).toHaveLength(3);
    rejects(
      { color: [null, null, null, null, null, null, null, null, h(6)] },
      'color.length',
      /maxColorAttachments/,
    );
    rejects({ color: [null, null] }, 'color', /at least one attachment/);
    expect(normalize({ color: [null], depthStencil: h(7) }).color).toEqual([null]);
  });

  it('marks transient attachments, which a pass must clear and discard', () => {
    const rt = normalize({ color: [h(8), h(6)] });
    expect(rt.color.map((c) => c?.transient)).toEqual([true, false]);
  });
});
