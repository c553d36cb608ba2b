import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import type { Handle } from '../../src/handles/handle.ts';
import {
  type AttachmentLookup,
  normalizeRenderTargetDescriptor,
  type RenderTargetDescriptor,
} from '../../src/resources/render-target.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../../src/resources/texture.ts';
import { TextureUsage } from '../../src/resources/usage.ts';

const caps = defaultCapabilities([], { maxColorAttachments: 4 });
const RA = TextureUsage.RENDER_ATTACHMENT;

/** A pure lookup over descriptors: handle N is textures[N - 1]; 99 is a buffer; anything else is stale. */
function world(...textures: TextureDescriptor[]): {
  lookup: AttachmentLookup;
  h: (i: number) => Handle<'texture'>;
} {
  const normalized = textures.map((t) => normalizeTextureDescriptor(t, caps));
  return {
    lookup: (handle) => (handle === 99 ? 'not-a-texture' : (normalized[handle - 1] ?? 'stale')),
    h: (i) => i as Handle<'texture'>,
  };
}

const color = (w = 64, h = 64, extra: Partial<TextureDescriptor> = {}): TextureDescriptor => ({
  label: 'c',
  size: [w, h],
  format: 'rgba8unorm',
  usage: RA,
  ...extra,
});

function rejects(
  desc: RenderTargetDescriptor,
  lookup: AttachmentLookup,
  field: string,
  rule: RegExp,
): ValidationError {
  let error: unknown;
  try {
    normalizeRenderTargetDescriptor(desc, lookup, caps);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(v.label).toBe(desc.label ?? '');
  expect(v.field).toBe(field);
  expect(v.rule).toMatch(rule);
  return v;
}

describe('render target validation', () => {
  it('accepts colour + depth of one size and reports size and samples', () => {
    const { lookup, h } = world(color(), { label: 'd', size: [64, 64], format: 'depth24plus', usage: RA });
    const rt = normalizeRenderTargetDescriptor(
      { label: 'ok', color: [h(1)], depthStencil: h(2) },
      lookup,
      caps,
    );
    expect(rt).toMatchObject({ width: 64, height: 64, sampleCount: 1 });
    expect(rt.color[0]).toEqual({
      texture: 1,
      resolveTarget: undefined,
      clearValue: [0, 0, 0, 0],
      transient: false,
    });
    expect(rt.depthStencil).toEqual({
      texture: 2,
      depthClearValue: 1,
      stencilClearValue: 0,
      transient: false,
    });
  });

  it('accepts a depth-only target (shadow maps)', () => {
    const { lookup, h } = world({ label: 'd', size: [32, 32], format: 'depth32float', usage: RA });
    expect(normalizeRenderTargetDescriptor({ color: [], depthStencil: h(1) }, lookup, caps).width).toBe(32);
  });

  it('rejects no attachments at all', () => {
    rejects(
      { label: 'empty', color: [] },
      world().lookup,
      'color',
      /at least one attachment .* unless a depthStencil/,
    );
  });

  it('rejects more than maxColorAttachments', () => {
    const w = world(color(), color(), color(), color(), color());
    const v = rejects(
      { label: 'many', color: [1, 2, 3, 4, 5].map(w.h) },
      w.lookup,
      'color.length',
      /maxColorAttachments \(4\)/,
    );
    expect(v.value).toBe(5);
  });

  it('rejects a stale handle and a handle of another kind', () => {
    const w = world(color());
    expect(
      rejects({ label: 'stale', color: [w.h(7)] }, w.lookup, 'color[0]', /live texture of this manager/)
        .value,
    ).toBe(7);
    rejects({ label: 'kind', color: [w.h(99)] }, w.lookup, 'color[0]', /texture handle/);
  });

  it('rejects an attachment without RENDER_ATTACHMENT usage', () => {
    const w = world(color(64, 64, { usage: TextureUsage.TEXTURE_BINDING }));
    rejects({ label: 'usage', color: [w.h(1)] }, w.lookup, 'color[0]', /RENDER_ATTACHMENT/);
  });

  it('rejects a depth format in a colour slot and a colour format in the depth slot', () => {
    const w = world({ label: 'd', size: [64, 64], format: 'depth16unorm', usage: RA }, color());
    rejects({ label: 'depth as color', color: [w.h(1)] }, w.lookup, 'color[0].format', /colour-renderable/);
    rejects(
      { label: 'color as depth', color: [], depthStencil: w.h(2) },
      w.lookup,
      'depthStencil.format',
      /depth or stencil format/,
    );
  });

  it('rejects attachments of different sizes and sample counts', () => {
    const w = world(color(64, 64), color(32, 64), color(64, 64, { sampleCount: 4 }));
    expect(
      rejects(
        { label: 'size', color: [w.h(1), w.h(2)] },
        w.lookup,
        'color[1]',
        /same size \(color\[0\] is 64x64\)/,
      ).value,
    ).toBe('32x64');
    rejects(
      { label: 'samples', color: [w.h(1), w.h(3)] },
      w.lookup,
      'color[1].sampleCount',
      /same sample count/,
    );
  });

  it('rejects the same texture twice', () => {
    const w = world(color());
    rejects({ label: 'twice', color: [w.h(1), w.h(1)] }, w.lookup, 'color[1]', /only once/);
  });

  it('rejects mipmapped and array attachments', () => {
    const w = world(color(64, 64, { mipLevelCount: 2 }), color(64, 64, { size: [64, 64, 2] }));
    rejects({ label: 'mips', color: [w.h(1)] }, w.lookup, 'color[0]', /one layer and one mip level/);
    rejects({ label: 'layers', color: [w.h(2)] }, w.lookup, 'color[0]', /one layer and one mip level/);
  });

  it('enforces maxColorAttachmentBytesPerSample (32 by default)', () => {
    const wide = (l: string): TextureDescriptor => ({
      label: l,
      size: [8, 8],
      format: 'rgba32float',
      usage: RA,
    });
    const w = world(wide('a'), wide('b'), wide('c'));
    const v = rejects(
      { label: 'fat', color: [w.h(1), w.h(2), w.h(3)] },
      w.lookup,
      'color',
      /maxColorAttachmentBytesPerSample \(32\)/,
    );
    expect(v.value).toBe('48 bytes per sample');
    expect(normalizeRenderTargetDescriptor({ color: [w.h(1), w.h(2)] }, w.lookup, caps).color).toHaveLength(
      2,
    );
  });

  it('checks MSAA resolve targets', () => {
    const w = world(
      color(64, 64, { sampleCount: 4 }),
      color(64, 64),
      color(64, 64, { format: 'bgra8unorm' }),
      color(32, 32),
      color(64, 64, { sampleCount: 4, label: 'ms2' }),
    );
    const ok = normalizeRenderTargetDescriptor(
      { color: [{ texture: w.h(1), resolveTarget: w.h(2) }] },
      w.lookup,
      caps,
    );
    expect(ok.color[0]!.resolveTarget).toBe(2);
    rejects(
      { label: 'r1', color: [{ texture: w.h(2), resolveTarget: w.h(4) }] },
      w.lookup,
      'color[0].resolveTarget',
      /only allowed for a multisampled/,
    );
    rejects(
      { label: 'r2', color: [{ texture: w.h(1), resolveTarget: w.h(3) }] },
      w.lookup,
      'color[0].resolveTarget.format',
      /must equal the attachment's format/,
    );
    rejects(
      { label: 'r3', color: [{ texture: w.h(1), resolveTarget: w.h(4) }] },
      w.lookup,
      'color[0].resolveTarget',
      /must match the attachment's size/,
    );
    rejects(
      { label: 'r4', color: [{ texture: w.h(1), resolveTarget: w.h(5) }] },
      w.lookup,
      'color[0].resolveTarget.sampleCount',
      /single-sampled/,
    );
  });
});
