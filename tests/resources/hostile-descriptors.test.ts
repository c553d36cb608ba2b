/**
 * Every normalize* function against values of the wrong shape and type: each gets a ValidationError naming
 * the field, never an untyped error, never a conversion that runs user code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCapabilities } from '../../src/core/capabilities.ts';
import { ValidationError } from '../../src/errors.ts';
import type { Handle } from '../../src/handles/handle.ts';
import { normalizeBufferDescriptor } from '../../src/resources/buffer.ts';
import { normalizeLabel, readLabel } from '../../src/resources/label.ts';
import { normalizeRenderTargetDescriptor } from '../../src/resources/render-target.ts';
import { normalizeShaderDescriptor } from '../../src/resources/shader.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from '../../src/resources/texture.ts';
import { BufferUsage, TextureUsage } from '../../src/resources/usage.ts';

const caps = defaultCapabilities();
const RA = TextureUsage.RENDER_ATTACHMENT;
const rgba: TextureDescriptor = { label: 't', size: [4, 4], format: 'rgba8unorm', usage: RA };
const rgbaNormalized = normalizeTextureDescriptor(rgba, caps);

type Kind = 'texture' | 'buffer' | 'shader' | 'renderTarget';
const valid: Record<Kind, Record<string, unknown>> = {
  texture: { ...rgba },
  buffer: { label: 'b', size: 16, usage: BufferUsage.UNIFORM },
  shader: { label: 's', code: '@compute @workgroup_size(1) fn main() {}' },
  renderTarget: { label: 'r', color: [1] },
};
const normalize: Record<Kind, (desc: unknown) => unknown> = {
  texture: (d) => normalizeTextureDescriptor(d as never, caps),
  buffer: (d) => normalizeBufferDescriptor(d as never, caps),
  shader: (d) => normalizeShaderDescriptor(d as never),
  renderTarget: (d) =>
    normalizeRenderTargetDescriptor(d as never, (h) => (h === 1 ? rgbaNormalized : 'stale'), caps),
};
const KINDS = Object.keys(valid) as Kind[];

function rejection(run: () => unknown): ValidationError {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  // The message was built without throwing and names the field.
  const v = error as ValidationError;
  expect(v.message).toContain(v.field);
  return v;
}

function throwingProxy(): object {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    },
  );
}

const hostileLabels: [string, () => unknown][] = [
  ['a Symbol', () => Symbol('x')],
  ['a throwing Proxy', throwingProxy],
  [
    'an object whose toString throws',
    () => ({
      toString() {
        throw new Error('no');
      },
    }),
  ],
  ['a number', () => 42],
  ['null', () => null],
  [
    'an object with toString and valueOf',
    () => ({
      toString() {
        converted = true;
        return 'x';
      },
      valueOf() {
        converted = true;
        return 1;
      },
    }),
  ],
];
/** Set by the labels above if anything converted them. */
let converted = false;

describe('labels: a string or omitted, never converted', () => {
  it('normalizeLabel keeps strings and maps undefined to the empty label', () => {
    expect(normalizeLabel(undefined)).toBe('');
    expect(normalizeLabel('albedo')).toBe('albedo');
    expect(normalizeLabel('a\ud800b')).toBe('a\ud800b');
  });

  for (const kind of KINDS) {
    it.each(hostileLabels)(`${kind}: a label that is %s is a ValidationError on 'label'`, (_name, make) => {
      converted = false;
      const label = make();
      const v = rejection(() => normalize[kind]({ ...valid[kind], label }));
      expect(v.field).toBe('label');
      expect(converted).toBe(false);
    });
  }

  it('a label getter that throws becomes a ValidationError', () => {
    const desc = Object.defineProperty({ ...valid.buffer }, 'label', {
      get() {
        throw new Error('getter');
      },
    });
    expect(rejection(() => readLabel(desc)).field).toBe('label');
  });
});

describe('descriptors of the wrong shape', () => {
  for (const kind of KINDS) {
    it.each([null, undefined, 4, 'texture', Symbol('d'), true])(
      `${kind}(%s) is a ValidationError on 'descriptor'`,
      (desc) => {
        expect(rejection(() => normalize[kind](desc)).field).toBe('descriptor');
      },
    );

    it(`${kind}: a descriptor whose every read throws is a ValidationError`, () => {
      rejection(() => normalize[kind](throwingProxy()));
    });

    it(`${kind}: any value in any member gives a result or a ValidationError (property)`, () => {
      const members = Object.keys(valid[kind]).concat([
        'mipLevelCount',
        'sampleCount',
        'dimension',
        'viewFormats',
      ]);
      fc.assert(
        fc.property(
          fc.constantFrom(...members),
          fc.anything({ withTypedArray: true, withBigInt: true, withSet: true, withNullPrototype: true }),
          (member, value) => {
            try {
              normalize[kind]({ ...valid[kind], [member]: value });
            } catch (e) {
              if (!(e instanceof ValidationError)) throw e;
              return typeof e.message === 'string';
            }
            return true;
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe('textures: types and forms', () => {
  const MEMBERS = [
    'format',
    'dimension',
    'size',
    'usage',
    'mipLevelCount',
    'sampleCount',
    'filterable',
    'viewFormats',
  ];

  it('reads each member exactly once, and a getter that throws is a ValidationError naming that member', () => {
    const reads = new Map<string, number>();
    const counted = new Proxy(
      { ...rgba, mipLevelCount: 1, sampleCount: 1, dimension: '2d', viewFormats: [], filterable: false },
      {
        get(target, key, receiver) {
          reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    normalizeTextureDescriptor(counted as never, caps);
    for (const member of ['label', ...MEMBERS]) expect(reads.get(member), member).toBe(1);
    for (const member of MEMBERS) {
      const desc = Object.defineProperty({ ...rgba }, member, {
        get() {
          throw new Error(`no ${member}`);
        },
      });
      const v = rejection(() => normalizeTextureDescriptor(desc as never, caps));
      expect(v.field).toBe(member);
      expect(v.message).toContain(`no ${member}`);
    }
  });

  const tex = (d: Record<string, unknown>) => () =>
    normalizeTextureDescriptor({ ...rgba, ...d } as never, caps);

  it.each([
    ['size.height', { size: { width: 4, height: null } }],
    ['size.depthOrArrayLayers', { size: { width: 4, depthOrArrayLayers: null } }],
    ['size.height', { size: [4, null] }],
    ['size.height', { size: [4, undefined] }],
    ['size.width', { size: { height: 4 } }],
    ['mipLevelCount', { mipLevelCount: null }],
    ['sampleCount', { sampleCount: null }],
    ['dimension', { dimension: null }],
    ['sampleCount', { sampleCount: '4' }],
    ['sampleCount', { sampleCount: true }],
    ['mipLevelCount', { mipLevelCount: 1.5 }],
    ['usage', { usage: '16' }],
    ['usage', { usage: 2 ** 32 + RA }],
    ['format', { format: Symbol('rgba8unorm') }],
    ['filterable', { filterable: 'yes' }],
    ['viewFormats', { viewFormats: 'rgba8unorm' }],
    ['viewFormats[0]', { viewFormats: [null] }],
  ])('null is not "omitted" and nothing is converted: %s of %o', (field, d) => {
    const v = rejection(tex(d));
    expect(v.field).toBe(field);
  });

  it('shows the value actually passed: a typed-array size as the array, null as null', () => {
    expect(rejection(tex({ size: new Uint32Array([0, 4]) })).message).toContain('size.width = 0');
    expect(rejection(tex({ size: new Uint32Array([4, 4, 1, 1]) })).message).toContain(
      'size = Uint32Array [4,4,1,1]',
    );
    expect(rejection(tex({ sampleCount: null })).message).toContain('sampleCount = null');
    const full = rejection(tex({ size: [64, 64], sampleCount: 4, mipLevelCount: 'full' }));
    expect(full.message).toContain(`mipLevelCount = "'full' (7 levels)"`);
  });

  it('takes any iterable where WebGPU takes a sequence', () => {
    const fromTyped = normalizeTextureDescriptor({ ...rgba, size: new Uint32Array([8, 2]) }, caps);
    expect([fromTyped.width, fromTyped.height, fromTyped.depthOrArrayLayers]).toEqual([8, 2, 1]);
    function* sizes() {
      yield 4;
      yield 4;
      yield 3;
    }
    expect(normalizeTextureDescriptor({ ...rgba, size: sizes() }, caps).depthOrArrayLayers).toBe(3);
    const views = normalizeTextureDescriptor(
      { ...rgba, viewFormats: new Set(['rgba8unorm-srgb' as const]) },
      caps,
    );
    expect(views.viewFormats).toEqual(['rgba8unorm-srgb']);
  });

  it('reports a detached typed-array size as a typed error that shows it', () => {
    const buffer = new ArrayBuffer(8);
    const size = new Uint32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    const v = rejection(tex({ size }));
    expect(v.field).toBe('size');
    expect(v.message).toContain('Uint32Array (detached)');
  });

  it('stops reading an endless iterator', () => {
    const endless = {
      *[Symbol.iterator]() {
        for (;;) yield 4;
      },
    };
    expect(rejection(tex({ size: endless })).field).toBe('size.length');
  });

  it('accepts TRANSIENT_ATTACHMENT exactly with RENDER_ATTACHMENT, 2D, one mip, one layer', () => {
    const usage = TextureUsage.TRANSIENT_ATTACHMENT | RA;
    expect(normalizeTextureDescriptor({ ...rgba, usage }, caps).usage).toBe(0x30);
    expect(normalizeTextureDescriptor({ ...rgba, usage, sampleCount: 4 }, caps).sampleCount).toBe(4);
    expect(normalizeTextureDescriptor({ ...rgba, format: 'depth24plus', usage }, caps).usage).toBe(0x30);
    expect(rejection(tex({ usage: TextureUsage.TRANSIENT_ATTACHMENT })).field).toBe('usage');
    expect(rejection(tex({ usage: usage | TextureUsage.TEXTURE_BINDING })).field).toBe('usage');
    expect(rejection(tex({ usage, mipLevelCount: 2 })).field).toBe('mipLevelCount');
    expect(rejection(tex({ usage, size: [4, 4, 2] })).field).toBe('size.depthOrArrayLayers');
    expect(rejection(tex({ usage, dimension: '3d' })).field).toBe('dimension');
    expect(rejection(tex({ usage, viewFormats: ['rgba8unorm'] })).field).toBe('viewFormats');
  });

  it("accepts block-unaligned compressed sizes only with 'texture-compression-unaligned'", () => {
    const bc = { size: [5, 5], format: 'bc1-rgba-unorm', usage: TextureUsage.TEXTURE_BINDING } as const;
    const withBc = defaultCapabilities(['texture-compression-bc']);
    const unaligned = defaultCapabilities(['texture-compression-bc', 'texture-compression-unaligned']);
    expect(() => normalizeTextureDescriptor(bc, withBc)).toThrow(/multiple of the block width 4/);
    expect(normalizeTextureDescriptor({ ...bc, mipLevelCount: 'full' }, unaligned).mipLevelCount).toBe(3);
  });
});

describe('buffers: types', () => {
  const buf = (d: Record<string, unknown>) => () =>
    normalizeBufferDescriptor({ ...valid.buffer, ...d } as never, caps);

  it('accepts size 0 (valid WebGPU), mapped or not', () => {
    expect(buf({ size: 0 })()).toMatchObject({ size: 0 });
    expect(buf({ size: 0, mappedAtCreation: true })()).toMatchObject({ size: 0, mappedAtCreation: true });
  });

  it.each([
    ['mappedAtCreation', { mappedAtCreation: 'false' }],
    ['mappedAtCreation', { mappedAtCreation: 1 }],
    ['mappedAtCreation', { mappedAtCreation: null }],
    ['size', { size: '16' }],
    ['size', { size: null }],
    ['size', { size: 16n }],
    ['usage', { usage: 2 ** 32 }],
    ['usage', { usage: 2 ** 40 + BufferUsage.UNIFORM }],
    ['usage', { usage: null }],
  ])('%s of %o is a ValidationError', (field, d) => {
    expect(rejection(buf(d)).field).toBe(field);
  });
});

describe('shaders: types', () => {
  const shader = (d: Record<string, unknown>) => () =>
    normalizeShaderDescriptor({ ...valid.shader, ...d } as never);

  it.each([
    ['entryPoints', { entryPoints: 0 }],
    ['entryPoints', { entryPoints: 'main' }],
    ['entryPoints[1]', { entryPoints: ['main', 7] }],
    ['code', { code: 12 }],
  ])('%s of %o is a ValidationError', (field, d) => {
    expect(rejection(shader(d)).field).toBe(field);
  });

  it('takes entry points as any iterable and sorts them for the sharing key', () => {
    expect(shader({ entryPoints: new Set(['vs', 'fs']) })()).toMatchObject({ entryPoints: ['fs', 'vs'] });
  });
});

describe('render targets: the wrong shape', () => {
  const rt = (d: Record<string, unknown>) => () => normalize.renderTarget({ label: 'r', ...d });
  it.each([
    ['descriptor', undefined],
    ['color', { color: 5 }],
    ['color[0]', { color: [undefined] }],
    ['color[0]', { color: Object.assign(new Array(2), { 1: 1 }) }],
    ['color', { color: [null] }],
    ['depthStencil', { color: [1], depthStencil: null }],
    ['color[0].texture', { color: [{ texture: Symbol('t') }] }],
  ])('%s: %o is a ValidationError', (field, d) => {
    expect(rejection(d === undefined ? () => normalize.renderTarget(undefined) : rt(d)).field).toBe(field);
  });

  it('accepts an empty colour slot (null) and keeps the slot order', () => {
    const result = normalize.renderTarget({ color: [null, 1 as Handle<'texture'>] }) as {
      color: readonly unknown[];
    };
    expect(result.color[0]).toBeNull();
    expect(result.color[1]).toMatchObject({ texture: 1 });
  });
});
