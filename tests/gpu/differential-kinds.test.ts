/**
 * Differential validation of the kinds beyond textures and buffers: seeded random samplers, texture views,
 * bind group layouts, pipeline layouts, bind groups and query sets, each judged by our normalize* function and
 * by Dawn (created inside 'validation' and 'out-of-memory' error scopes). What validation accepts, Dawn must
 * accept; what it rejects, Dawn must reject. Wrong-typed values only check our typed error (they never reach
 * Dawn). The one rule we refuse by choice (a query set of count 0, which WebGPU allows) is counted apart with
 * Dawn's verdict; empty buffer bindings are refused by the spec itself ("has non-zero size") and compared. Accepted views and layouts join the pool the later kinds draw from.
 *
 * DIFF_SEED=<n> replays another seed; DIFF_SCALE=<k> multiplies the case counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webgpuCapabilities } from '../../src/backends/webgpu/webgpu-backend.ts';
import type { Capabilities } from '../../src/core/capabilities.ts';
import { normalizeBindGroupDescriptor } from '../../src/resources/bind-group.ts';
import {
  type NormalizedBindGroupLayoutDescriptor,
  normalizeBindGroupLayoutDescriptor,
} from '../../src/resources/bind-group-layout.ts';
import { normalizeRenderPipelineDescriptor } from '../../src/resources/pipeline.ts';
import { normalizePipelineLayoutDescriptor } from '../../src/resources/pipeline-layout.ts';
import { normalizeQuerySetDescriptor } from '../../src/resources/query-set.ts';
import { normalizeSamplerDescriptor } from '../../src/resources/sampler.ts';
import type { NormalizedTextureDescriptor } from '../../src/resources/texture.ts';
import { normalizeTextureViewDescriptor } from '../../src/resources/texture-view.ts';
import { dawn, useGpuDevice } from '../support/webgpu.ts';
import { type Case, Draw, seededRandom } from './differential-cases.ts';
import {
  type BindingPool,
  bindGroupCase,
  bindGroupLayoutCase,
  pipelineLayoutCase,
  querySetCase,
  samplerCase,
  viewCase,
} from './differential-kinds-cases.ts';
import { attempt, dawnVerdict, Judge } from './differential-kinds-judge.ts';
import { PIPELINE_WGSL, renderPipelineCase } from './differential-kinds-pipeline.ts';
import { POOL_LAYOUTS, World } from './differential-kinds-world.ts';

const SEED = Number(process.env.DIFF_SEED ?? 20_261_211);
const SCALE = Number(process.env.DIFF_SCALE ?? 1);
const COUNTS = {
  sampler: 800,
  view: 1200,
  bindGroupLayout: 1200,
  pipelineLayout: 600,
  bindGroup: 1500,
  querySet: 300,
  renderPipeline: 500,
};
/** How many accepted views and layouts join the pool. */
const POOL_CAP = 80;

const gpu = useGpuDevice();
const judge = new Judge();

/** Awaits Dawn's verdicts in batches, so that error scopes do not pile up. */
class Pending {
  private readonly items: Promise<void>[] = [];
  async add(p: Promise<void>): Promise<void> {
    this.items.push(p);
    if (this.items.length >= 200) await Promise.all(this.items.splice(0));
  }
  drain(): Promise<unknown> {
    return Promise.all(this.items.splice(0));
  }
}

/** Runs one kind: for each case our verdict, then (when well-typed) Dawn's. */
async function run<C extends Case, T>(
  kind: string,
  count: number,
  seed: number,
  generate: (d: Draw) => C,
  ours: (c: C) => T,
  theirs: (c: C) => unknown,
  options: {
    device?: GPUDevice;
    chosen?: (c: C, error: unknown) => boolean;
    accepted?: (c: C, value: T, object: unknown) => void;
  } = {},
): Promise<void> {
  const draw = new Draw(seededRandom(seed));
  const pending = new Pending();
  const device = options.device ?? gpu.device;
  for (let i = 0; i < count; i++) {
    const c = generate(draw);
    judge.tally(kind).cases++;
    const mine = attempt(() => ours(c));
    if (c.typeError) {
      judge.typedOnly(kind, c, mine);
      continue;
    }
    let object: unknown;
    const verdict = dawnVerdict(device, () => {
      object = theirs(c);
    });
    await pending.add(
      verdict.then((gpuError) => {
        const chosen = !mine.accepted && options.chosen?.(c, mine.error) === true;
        judge.compare(kind, c, mine, gpuError, chosen);
        if (mine.accepted && gpuError === undefined) options.accepted?.(c, mine.value, object);
      }),
    );
  }
  await pending.drain();
}

async function runAll(device: GPUDevice, caps: Capabilities, world: World): Promise<void> {
  await run(
    'sampler',
    COUNTS.sampler * SCALE,
    SEED,
    samplerCase,
    (c) => normalizeSamplerDescriptor(c.ours as never),
    (c) => device.createSampler(c.dawn as GPUSamplerDescriptor),
  );

  // Views: accepted ones (up to POOL_CAP) become pool views for the bind groups.
  const textures = world.handles('texture').map((handle) => ({
    handle,
    desc: world.descriptor<NormalizedTextureDescriptor>(handle),
  }));
  const views: BindingPool['views'][number][] = [];
  await run(
    'textureView',
    COUNTS.view * SCALE,
    SEED + 1,
    (d) => viewCase(d, textures),
    (c) => normalizeTextureViewDescriptor(c.texture, c.ours as never, world.lookup, caps),
    (c) => world.object<GPUTexture>(c.texture).createView(c.dawn as GPUTextureViewDescriptor),
    {
      accepted: (c, desc, object) => {
        if (views.length >= POOL_CAP) return;
        const handle = world.add('textureView', desc, object);
        views.push({ handle, desc, texture: world.descriptor(c.texture) });
      },
    },
  );

  // Layouts: the fixed ones cover every binding type; accepted random ones join the pipeline layout pool.
  const layouts: BindingPool['layouts'][number][] = [];
  for (const entries of POOL_LAYOUTS) {
    const desc = normalizeBindGroupLayoutDescriptor({ entries } as never, caps);
    const object = device.createBindGroupLayout({ entries } as unknown as GPUBindGroupLayoutDescriptor);
    layouts.push({ handle: world.add('bindGroupLayout', desc, object), entries });
  }
  const randomLayouts: number[] = [];
  await run(
    'bindGroupLayout',
    COUNTS.bindGroupLayout * SCALE,
    SEED + 2,
    bindGroupLayoutCase,
    (c) => normalizeBindGroupLayoutDescriptor(c.ours as never, caps),
    (c) => device.createBindGroupLayout(c.dawn as unknown as GPUBindGroupLayoutDescriptor),
    {
      accepted: (_c, desc: NormalizedBindGroupLayoutDescriptor, object) => {
        if (randomLayouts.length < POOL_CAP) randomLayouts.push(world.add('bindGroupLayout', desc, object));
      },
    },
  );

  const allLayouts = [...layouts.map((l) => l.handle), ...randomLayouts];
  await run(
    'pipelineLayout',
    COUNTS.pipelineLayout * SCALE,
    SEED + 3,
    (d) => pipelineLayoutCase(d, allLayouts, caps.limits.maxBindGroups),
    (c) => normalizePipelineLayoutDescriptor(c.ours as never, world.lookup, caps),
    (c) => {
      const plain = c.dawn as { label: string; bindGroupLayouts: number[] };
      return device.createPipelineLayout({
        label: plain.label,
        bindGroupLayouts: plain.bindGroupLayouts.map((h) => world.object<GPUBindGroupLayout>(h)),
      });
    },
  );

  const pool: BindingPool = {
    layouts,
    buffers: world.handles('buffer').map((handle) => ({ handle, desc: world.descriptor(handle) })),
    samplers: world.handles('sampler').map((handle) => ({ handle, desc: world.descriptor(handle) })),
    views,
    textures,
  };
  await run(
    'bindGroup',
    COUNTS.bindGroup * SCALE,
    SEED + 4,
    (d) => bindGroupCase(d, pool),
    (c) => normalizeBindGroupDescriptor(c.ours as never, world.lookup, caps),
    (c) => {
      const plain = c.dawn as {
        label: string;
        layout: number;
        entries: { binding: number; resource: unknown }[];
      };
      return device.createBindGroup({
        label: plain.label,
        layout: world.object<GPUBindGroupLayout>(plain.layout),
        entries: plain.entries.map((e) => ({
          binding: e.binding,
          resource: world.dawnResource(e.resource) as GPUBindingResource,
        })),
      });
    },
  );
}

/**
 * Fixed probes where the random cases are thin: every depth and stencil format seen through each aspect, bound
 * to a slot of each sample type (a combined depth-stencil view must pick one aspect to be sampled), and empty
 * buffer ranges.
 */
async function runProbes(device: GPUDevice, caps: Capabilities, world: World): Promise<void> {
  const kind = 'bindGroup (aspect and empty-range probes)';
  const pending = new Pending();
  const formats = ['depth24plus', 'depth24plus-stencil8', 'depth32float-stencil8', 'stencil8'];
  const textures = world.handles('texture').filter((h) => {
    const t = world.descriptor<NormalizedTextureDescriptor>(h);
    return formats.includes(t.format) && t.sampleCount === 1;
  });
  const layoutOf = (entries: Record<string, unknown>[]) =>
    world.add(
      'bindGroupLayout',
      normalizeBindGroupLayoutDescriptor({ entries } as never, caps),
      device.createBindGroupLayout({ entries } as unknown as GPUBindGroupLayoutDescriptor),
    );
  const probe = async (layout: number, resource: unknown) => {
    judge.tally(kind).cases++;
    const c = {
      ours: { layout, entries: [{ binding: 0, resource }] },
      dawn: { layout, resource },
      typeError: undefined,
    };
    const mine = attempt(() => normalizeBindGroupDescriptor(c.ours as never, world.lookup, caps));
    const verdict = dawnVerdict(device, () =>
      device.createBindGroup({
        layout: world.object<GPUBindGroupLayout>(layout),
        entries: [{ binding: 0, resource: world.dawnResource(resource) as GPUBindingResource }],
      }),
    );
    await pending.add(verdict.then((gpuError) => judge.compare(kind, c, mine, gpuError)));
  };
  for (const sampleType of ['depth', 'unfilterable-float', 'uint', 'float']) {
    const layout = layoutOf([{ binding: 0, visibility: 2, texture: { sampleType } }]);
    for (const texture of textures) {
      await probe(layout, texture);
      for (const aspect of ['all', 'depth-only', 'stencil-only']) {
        const desc = attempt(() =>
          normalizeTextureViewDescriptor(texture, { aspect } as never, world.lookup, caps),
        );
        if (!desc.accepted) continue;
        const view = world.object<GPUTexture>(texture).createView({ aspect } as GPUTextureViewDescriptor);
        await probe(layout, world.add('textureView', desc.value, view));
      }
    }
  }
  const buffers = world.handles('buffer');
  for (const [type, usageOk] of [
    ['uniform', (u: number) => (u & 0x40) !== 0],
    ['storage', (u: number) => (u & 0x80) !== 0],
  ] as const) {
    const layout = layoutOf([{ binding: 0, visibility: 4, buffer: { type } }]);
    for (const buffer of buffers) {
      const b = world.descriptor<{ size: number; usage: number }>(buffer);
      if (!usageOk(b.usage)) continue;
      await probe(layout, { buffer, size: 0 });
      if (b.size % 256 === 0) await probe(layout, { buffer, offset: b.size });
      await probe(layout, { buffer, offset: 0, size: 4 });
    }
  }
  await pending.drain();
}

/** Render pipeline state over one shader (see differential-kinds-pipeline.ts); Dawn builds them synchronously. */
async function runPipelines(device: GPUDevice, caps: Capabilities, world: World): Promise<void> {
  const module = device.createShaderModule({ code: PIPELINE_WGSL });
  const shader = world.add('shader', {}, module);
  const withModule = (desc: Record<string, unknown>): GPURenderPipelineDescriptor => {
    const plain = structuredClone(desc) as { vertex: { module: unknown }; fragment?: { module: unknown } };
    plain.vertex.module = module;
    if (plain.fragment) plain.fragment.module = module;
    return plain as unknown as GPURenderPipelineDescriptor;
  };
  await run(
    'renderPipeline',
    COUNTS.renderPipeline * SCALE,
    SEED + 7,
    (d) => renderPipelineCase(d, shader, caps.limits.maxColorAttachments),
    (c) => normalizeRenderPipelineDescriptor(c.ours as never, world.lookup, caps),
    (c) => device.createRenderPipeline(withModule(c.dawn!)),
  );
}

async function runQuerySets(
  kind: string,
  device: GPUDevice,
  caps: Capabilities,
  seed: number,
): Promise<void> {
  await run(
    kind,
    COUNTS.querySet * SCALE,
    seed,
    querySetCase,
    (c) => normalizeQuerySetDescriptor(c.ours as never, caps),
    (c) => device.createQuerySet(c.dawn as unknown as GPUQuerySetDescriptor).destroy(),
    // A set of no queries is refused by choice: it can hold nothing.
    { device, chosen: (c) => (c.dawn as { count: number }).count === 0 },
  );
}

describe('differential validation of samplers, views, layouts, bind groups and query sets against Dawn', () => {
  // A second device without optional features: timestamp queries need 'timestamp-query'.
  let core: GPUDevice | undefined;
  beforeAll(async () => {
    const adapter = await dawn().requestAdapter();
    if (!adapter) throw new Error('No WebGPU adapter from Dawn for the core-features device');
    core = await adapter.requestDevice();
  });
  afterAll(() => core?.destroy());

  it('agrees with Dawn on every generated descriptor', async () => {
    console.log(`[differential-kinds] seed ${SEED}, scale ${SCALE}`);
    const started = performance.now();
    const caps = webgpuCapabilities(gpu.device);
    const world = new World(gpu.device, caps);
    world.populate();
    await runAll(gpu.device, caps, world);
    await runProbes(gpu.device, caps, world);
    await runPipelines(gpu.device, caps, world);
    await runQuerySets('querySet', gpu.device, caps, SEED + 5);
    await runQuerySets('querySet (core device)', core!, webgpuCapabilities(core!), SEED + 6);
    world.destroy();
    judge.print('[differential-kinds]');
    console.log(`[differential-kinds] ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const t of judge.tallies.values()) expect(t.disagreements).toEqual([]);
    // Each random kind must exercise both verdicts and wrong types, or the comparison proves little.
    for (const [kind, t] of judge.tallies) {
      expect(t.bothAccepted).toBeGreaterThan(t.cases / 20);
      expect(t.bothRejected).toBeGreaterThan(t.cases / 20);
      if (!kind.includes('probes')) expect(t.typedOnly).toBeGreaterThan(0);
    }
  }, 120_000);
});
