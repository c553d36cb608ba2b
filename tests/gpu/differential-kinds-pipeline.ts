/**
 * Seeded random render pipeline state for the differential test: vertex buffer layouts, colour targets (format,
 * blend, write mask, up to maxColorAttachments + 1), depth-stencil, primitive and multisample state, over one
 * shader whose vertex stage reads no attributes (so every layout rule is the pipeline's, not the shader's) and
 * whose fragment entry points write float, uint or sint outputs to match the target formats. What only the
 * shader decides is kept out of the cases: each target's sample type matches the entry point picked.
 */
import { getFormatInfo } from '../../src/resources/formats.ts';
import type { Case, Draw } from './differential-cases.ts';

/** The shader every case uses: `vs`, and fragment entry points by output type and location count. */
export const PIPELINE_WGSL = /* wgsl */ `
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  return vec4f(f32(i) * 0.1, 0.0, 0.0, 1.0);
}
struct F4 {
  @location(0) a: vec4f, @location(1) b: vec4f, @location(2) c: vec4f, @location(3) d: vec4f,
}
@fragment fn fs_float() -> @location(0) vec4f { return vec4f(1.0); }
@fragment fn fs_float4() -> F4 { return F4(vec4f(1.0), vec4f(1.0), vec4f(1.0), vec4f(1.0)); }
@fragment fn fs_uint() -> @location(0) vec4u { return vec4u(1u); }
@fragment fn fs_sint() -> @location(0) vec4i { return vec4i(1); }
@fragment fn fs_none() {}
`;

const FLOAT_TARGETS = [
  'rgba8unorm',
  'rgba8unorm',
  'bgra8unorm',
  'rgba16float',
  'rgba32float',
  'r32float',
  'rg11b10ufloat',
  'rgba8unorm-srgb',
  'r8unorm',
  'rgb10a2unorm',
  'rgba8snorm',
  'rgb9e5ufloat',
  'bc1-rgba-unorm',
  'depth24plus',
];
const UINT_TARGETS = ['rgba8uint', 'r32uint', 'rgba32uint'];
const SINT_TARGETS = ['rgba8sint', 'r32sint'];
const FACTORS = [
  'zero',
  'one',
  'src',
  'one-minus-src',
  'src-alpha',
  'one-minus-src-alpha',
  'dst',
  'dst-alpha',
  'src-alpha-saturated',
  'constant',
  'one-minus-constant',
];
const OPERATIONS = ['add', 'subtract', 'reverse-subtract', 'min', 'max'];
const VERTEX_FORMATS = [
  'float32',
  'float32x3',
  'float32x4',
  'uint8x2',
  'unorm8x4',
  'float16x2',
  'uint16',
  'unorm10-10-10-2',
  'sint32x2',
  'unorm8x4-bgra',
];
const COMPARES = ['never', 'less', 'equal', 'less-equal', 'greater', 'always'];
const STENCIL_OPS = ['keep', 'zero', 'replace', 'invert', 'increment-clamp', 'decrement-wrap'];

function blendComponent(d: Draw): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (d.chance(0.6)) c.operation = d.pick(OPERATIONS);
  if (d.chance(0.6)) c.srcFactor = d.pick(FACTORS);
  if (d.chance(0.6)) c.dstFactor = d.pick(FACTORS);
  // min and max need factors 'one': give them often, so such blends are legal in a good share of cases.
  if ((c.operation === 'min' || c.operation === 'max') && d.chance(0.6)) {
    c.srcFactor = 'one';
    c.dstFactor = 'one';
  }
  return c;
}

function target(d: Draw, formats: readonly string[]): Record<string, unknown> {
  const t: Record<string, unknown> = { format: d.pick(formats) };
  if (d.chance(0.3)) t.blend = { color: blendComponent(d), alpha: blendComponent(d) };
  if (d.chance(0.2)) t.writeMask = d.pick([0, 1, 0xf, 0x5, 16]);
  return t;
}

function vertexBuffers(d: Draw): Record<string, unknown>[] {
  const count = d.chance(0.05) ? 9 : d.pick([0, 0, 1, 1, 2, 3]);
  let location = 0;
  return Array.from({ length: count }, () => {
    const arrayStride = d.pick([0, 4, 12, 16, 16, 32, 6, 2048, 2052]);
    const n = d.chance(0.04) ? 17 : d.pick([0, 1, 1, 2, 3]);
    const attributes = Array.from({ length: n }, () => ({
      format: d.pick(VERTEX_FORMATS),
      offset: d.pick([0, 0, 0, 4, 8, 2, 12, 2044]),
      shaderLocation: d.chance(0.05) ? d.pick([0, 16, 30]) : location++ % 16,
    }));
    const layout: Record<string, unknown> = { arrayStride, attributes };
    if (d.chance(0.3)) layout.stepMode = d.pick(['vertex', 'instance']);
    return layout;
  });
}

function depthStencil(d: Draw): Record<string, unknown> {
  const ds: Record<string, unknown> = {
    format: d.pick([
      'depth24plus',
      'depth24plus',
      'depth24plus-stencil8',
      'depth32float',
      'stencil8',
      'depth16unorm',
      'depth32float-stencil8',
      'rgba8unorm',
    ]),
  };
  if (d.chance(0.8)) ds.depthWriteEnabled = d.chance(0.5);
  if (d.chance(0.8)) ds.depthCompare = d.pick(COMPARES);
  if (d.chance(0.25)) {
    ds.stencilFront = {
      compare: d.pick(COMPARES),
      passOp: d.pick(STENCIL_OPS),
      depthFailOp: d.pick(STENCIL_OPS),
    };
  }
  if (d.chance(0.15)) ds.stencilWriteMask = d.pick([0, 0xff, 0xffffffff]);
  if (d.chance(0.2)) ds.depthBias = d.pick([0, 1, -4, 1000]);
  if (d.chance(0.15)) ds.depthBiasSlopeScale = d.pick([0, 0.5, -1]);
  if (d.chance(0.1)) ds.depthBiasClamp = d.pick([0, 0.01]);
  return ds;
}

/**
 * Generates a render pipeline over `shader` (a handle, mapped to the module by the test); about one case in
 * ten holds a wrong-typed value.
 */
export function renderPipelineCase(d: Draw, shader: number, maxColorAttachments: number): Case {
  const desc: Record<string, unknown> = {
    label: `rp${d.int(0, 999)}`,
    layout: 'auto',
    vertex: { module: shader, entryPoint: 'vs', buffers: vertexBuffers(d) },
  };
  const kind = d.pick(['float', 'float', 'float', 'float4', 'uint', 'sint', 'none', 'none-fragment']);
  if (kind !== 'none-fragment') {
    let targets: unknown[];
    let entryPoint: string;
    if (kind === 'float') {
      entryPoint = 'fs_float';
      targets = [target(d, FLOAT_TARGETS)];
    } else if (kind === 'float4') {
      entryPoint = 'fs_float4';
      const n = d.chance(0.1) ? maxColorAttachments + 1 : 4;
      targets = Array.from({ length: n }, (_, i) =>
        i >= 4 ? null : target(d, ['rgba8unorm', 'rgba16float', 'rgba32float', 'r32float']),
      );
    } else if (kind === 'uint') {
      entryPoint = 'fs_uint';
      targets = [target(d, UINT_TARGETS)];
    } else if (kind === 'sint') {
      entryPoint = 'fs_sint';
      targets = [target(d, SINT_TARGETS)];
    } else {
      entryPoint = 'fs_none';
      targets = d.chance(0.5) ? [] : [null];
    }
    desc.fragment = { module: shader, entryPoint, targets };
  }
  if (kind.startsWith('none') || d.chance(0.3)) desc.depthStencil = depthStencil(d);
  if (d.chance(0.4)) {
    const p: Record<string, unknown> = {};
    if (d.chance(0.7))
      p.topology = d.pick(['point-list', 'line-list', 'line-strip', 'triangle-list', 'triangle-strip']);
    if (d.chance(0.2)) p.stripIndexFormat = d.pick(['uint16', 'uint32']);
    if (d.chance(0.3)) p.cullMode = d.pick(['none', 'front', 'back']);
    if (d.chance(0.2)) p.frontFace = d.pick(['ccw', 'cw']);
    if (d.chance(0.1)) p.unclippedDepth = d.chance(0.5);
    desc.primitive = p;
  }
  if (d.chance(0.35)) {
    const m: Record<string, unknown> = { count: d.pick([1, 4, 4, 2]) };
    if (d.chance(0.3)) m.alphaToCoverageEnabled = d.chance(0.5);
    if (d.chance(0.2)) m.mask = d.pick([0xffffffff, 1, 0]);
    desc.multisample = m;
  }
  if (d.chance(0.1)) {
    const [what, change] = d.pick<[string, (o: Record<string, unknown>) => void]>([
      [
        'vertex format unknown',
        (o) =>
          ((o.vertex as { buffers: unknown[] }).buffers = [
            { arrayStride: 4, attributes: [{ format: 'float33', offset: 0, shaderLocation: 0 }] },
          ]),
      ],
      [
        'arrayStride string',
        (o) => ((o.vertex as { buffers: unknown[] }).buffers = [{ arrayStride: '4', attributes: [] }]),
      ],
      ['topology unknown', (o) => (o.primitive = { topology: 'quad-list' })],
      [
        'depthBias fraction',
        (o) =>
          (o.depthStencil = {
            format: 'depth24plus',
            depthWriteEnabled: true,
            depthCompare: 'less',
            depthBias: 0.5,
          }),
      ],
      ['sample count null', (o) => (o.multisample = { count: null })],
      [
        'blend factor unknown',
        (o) =>
          (o.fragment = {
            module: shader,
            entryPoint: 'fs_float',
            targets: [{ format: 'rgba8unorm', blend: { color: { srcFactor: 'two' }, alpha: {} } }],
          }),
      ],
    ]);
    const ours = structuredClone(desc);
    change(ours);
    return { ours, dawn: undefined, typeError: what };
  }
  return { ours: desc, dawn: desc, typeError: undefined };
}

/** Whether a case's target formats all match their entry point's output type (the generator's promise). */
export function targetsMatchShader(desc: Record<string, unknown>): boolean {
  const fragment = desc.fragment as
    | { entryPoint: string; targets: ({ format: string } | null)[] }
    | undefined;
  if (!fragment) return true;
  return fragment.targets.every((t) => {
    if (t === null) return true;
    const type = getFormatInfo(t.format)?.sampleType;
    if (fragment.entryPoint === 'fs_uint') return type === 'uint';
    if (fragment.entryPoint === 'fs_sint') return type === 'sint';
    return type !== 'uint' && type !== 'sint';
  });
}
