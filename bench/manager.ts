/**
 * The manager's own cost on Dawn, against the raw WebGPU calls it wraps, measured in one run: create+destroy
 * of buffers and textures (the targets), create+destroy of every other kind, the figures a frame loop reads
 * (`counters`) and the full `stats()` snapshot, `use()` per draw against a draw loop without tracking, and
 * `get()`/`gpu()` per lookup against a `Map`. Every ratio is the median of interleaved rounds (rounds.ts),
 * printed with the spread of the round ratios; times are per operation.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ShaderStage } from '../src/resources/bind-group-layout.ts';
import { BufferUsage, TextureUsage } from '../src/resources/usage.ts';
import type { BenchGpu } from './gpu.ts';
import { benchManagerWork } from './manager-work.ts';
import { interleaved, interleavedSync, line, type RoundRatios } from './rounds.ts';

// Many short rounds: on a loaded 2-core machine a burst of other work then lands in one round, not in a side.
const PLAN = { rounds: 31, warmup: 1, samples: 5 };
/** A shorter plan for the informative per-kind lines (many kinds, each a few hundred GPU objects). */
const KIND_PLAN = { rounds: 5, warmup: 1, samples: 5 };

/** Microseconds per operation, for a detail column. */
function us(msPerOp: number): string {
  const value = msPerOp * 1000;
  return value >= 10 ? `${value.toFixed(1)} us` : `${value.toFixed(2)} us`;
}

/** `a vs b`, both per operation. */
function versus(r: RoundRatios): string {
  return `${us(r.aMs)} vs ${us(r.bMs)}`;
}

/**
 * Create+destroy through the manager against the raw calls, for buffers and textures (the targets). Each run
 * is 4,000 pairs with an empty submit every 200, as in a frame loop: Dawn reuses a destroyed object's memory
 * only once a submit has passed (with no submit at all, every 512th texture create stalls 27-40 ms on
 * SwiftShader). Garbage collection is charged to the side that made the garbage: each run ends with a timed
 * minor GC of its own garbage (about 60 us of a 25 ms run when there is nothing to collect), and between runs
 * the event loop turns once, untimed, so the finalizers Dawn's objects schedule run as in a frame loop.
 * Without that, a minor GC collects the dead GPU objects of both sides (about 1 us each) and bills whichever
 * side allocates more, whose run it interrupts.
 */
async function benchCreateDestroy(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const gc = exposeGc();
  const plan = { rounds: 15, warmup: 1, samples: 3, pause: () => new Promise<void>((r) => setImmediate(r)) };
  const manager = gpu.manager();
  const N = 4000;
  /** A timed run: N pairs of `pair`, a submit every 200, then the minor GC of what the run left. */
  const run = (pair: () => void) => async () => {
    for (let i = 0; i < N; i++) {
      if (i % 200 === 0) device.queue.submit([]);
      pair();
    }
    gc({ type: 'minor' });
  };
  const perPair = (r: RoundRatios): RoundRatios => ({ ...r, aMs: r.aMs / N, bMs: r.bMs / N });
  const bufferDesc = { label: 'bench buffer', size: 1024, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST };
  const rawBufferDesc = { label: 'bench buffer', size: 1024, usage: bufferDesc.usage };
  const buffers = perPair(
    await interleaved(
      plan,
      run(() => manager.destroy(manager.createBuffer(bufferDesc))),
      run(() => device.createBuffer(rawBufferDesc).destroy()),
    ),
  );
  const okBuffer = line(
    'buffer create+destroy: manager vs raw (time ratio)',
    versus(buffers),
    buffers,
    '<= 1.2x',
    buffers.ratio <= 1.2,
  );
  const textureDesc = {
    label: 'bench texture',
    size: [64, 64] as [number, number],
    format: 'rgba8unorm' as const,
    usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
  };
  const rawTextureDesc: GPUTextureDescriptor = { ...textureDesc, size: [64, 64] };
  const textures = perPair(
    await interleaved(
      plan,
      run(() => manager.destroy(manager.createTexture(textureDesc))),
      run(() => device.createTexture(rawTextureDesc).destroy()),
    ),
  );
  const okTexture = line(
    'texture create+destroy: manager vs raw (time ratio)',
    versus(textures),
    textures,
    '<= 1.15x',
    textures.ratio <= 1.15,
  );
  manager.dispose();
  return okBuffer && okTexture;
}

/** Create+destroy of every other kind, against the raw call where WebGPU has one (informative). */
function benchKinds(gpu: BenchGpu): void {
  const { device } = gpu;
  const manager = gpu.manager();
  const N = 100;
  const texture = manager.createTexture({
    label: 'kinds texture',
    size: [16, 16],
    format: 'rgba8unorm',
    usage: TextureUsage.TEXTURE_BINDING | TextureUsage.RENDER_ATTACHMENT,
  });
  const rawTexture = manager.gpu(texture);
  const uniforms = manager.createBuffer({ label: 'kinds uniforms', size: 256, usage: BufferUsage.UNIFORM });
  const layoutEntries = [
    { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
    { binding: 1, visibility: ShaderStage.FRAGMENT, buffer: {} },
  ];
  const layout = manager.createBindGroupLayout({ label: 'kinds layout', entries: layoutEntries });
  const rawLayout = manager.gpu(layout);
  const view = manager.createView(texture);
  const rawView = manager.gpu(view);
  const kinds: [string, () => void, (() => void) | undefined][] = [
    [
      'sampler',
      () => manager.destroy(manager.createSampler({ label: 's', magFilter: 'linear' })),
      () => void device.createSampler({ label: 's', magFilter: 'linear' }),
    ],
    [
      'texture view',
      () => manager.destroy(manager.createView(texture, { label: 'v', baseMipLevel: 0 })),
      () => void rawTexture.createView({ label: 'v', baseMipLevel: 0 }),
    ],
    [
      'bind group layout',
      () =>
        manager.destroy(
          manager.createBindGroupLayout({
            label: 'l',
            entries: [{ binding: 0, visibility: ShaderStage.COMPUTE, buffer: {} }],
          }),
        ),
      () =>
        void device.createBindGroupLayout({
          label: 'l',
          entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: {} }],
        }),
    ],
    [
      'pipeline layout',
      () => manager.destroy(manager.createPipelineLayout({ label: 'p', bindGroupLayouts: [layout] })),
      () => void device.createPipelineLayout({ label: 'p', bindGroupLayouts: [rawLayout] }),
    ],
    [
      'bind group',
      () =>
        manager.destroy(
          manager.createBindGroup({
            label: 'g',
            layout,
            entries: [
              { binding: 0, resource: view },
              { binding: 1, resource: { buffer: uniforms } },
            ],
          }),
        ),
      () =>
        void device.createBindGroup({
          label: 'g',
          layout: rawLayout,
          entries: [
            { binding: 0, resource: rawView },
            { binding: 1, resource: { buffer: manager.gpu(uniforms) } },
          ],
        }),
    ],
    [
      'query set',
      () => manager.destroy(manager.createQuerySet({ label: 'q', type: 'occlusion', count: 16 })),
      () => device.createQuerySet({ label: 'q', type: 'occlusion', count: 16 }).destroy(),
    ],
    [
      'render target (over an existing texture)',
      () => manager.destroy(manager.createRenderTarget({ label: 'rt', color: [texture] })),
      undefined,
    ],
  ];
  const plan = { ...KIND_PLAN, between: () => device.queue.submit([]) }; // as for the targets above
  for (const [kind, managed, raw] of kinds) {
    const pairs = () => {
      for (let i = 0; i < N; i++) managed();
    };
    if (raw === undefined) {
      const r = interleavedSync(plan, N, pairs, pairs);
      console.log(
        `${`${kind}: create+destroy, manager`.padEnd(54)} ${us(r.aMs)} per pair (no raw equivalent)`,
      );
      continue;
    }
    const r = interleavedSync(plan, N, pairs, () => {
      for (let i = 0; i < N; i++) raw();
    });
    line(`${kind}: create+destroy, manager vs raw`, versus(r), r, 'informative', true);
  }
  manager.dispose();
}

/** Shader modules: the manager's create is async (it waits for the compilation info), so timed apart. */
async function benchShaders(gpu: BenchGpu): Promise<void> {
  const { device } = gpu;
  const manager = gpu.manager();
  const N = 20;
  const code = (i: number) => `@compute @workgroup_size(1) fn main() { _ = ${i}u; }`;
  let serial = 0;
  const time = async (body: () => Promise<void>) => {
    const start = performance.now();
    for (let i = 0; i < N; i++) await body();
    return (performance.now() - start) / N;
  };
  const managed: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < 5; round++) {
    managed.push(
      await time(async () => manager.destroy(await manager.createShader({ code: code(serial++) }))),
    );
    raw.push(
      await time(async () => {
        const module = device.createShaderModule({ code: code(serial++) });
        await module.getCompilationInfo();
      }),
    );
  }
  const ratios = managed.map((m, i) => m / raw[i]!);
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const mid = (values: number[]) => sorted(values)[values.length >> 1]!;
  const r = {
    ratio: mid(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    aMs: mid(managed),
    bMs: mid(raw),
  };
  line('shader: create+destroy, manager vs module + compilation info', versus(r), r, 'informative', true);
  manager.dispose();
}

/** Returns `gc()` (exposed for this process): a full collection, or `{ type: 'minor' }` for the young one. */
function exposeGc(): (options?: { type: 'minor' | 'major' }) => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
}

/** Bytes the heap grew by per call of `body`, over `calls` calls after a full collection. */
function bytesPerCall(gc: () => void, calls: number, body: () => number): number {
  // The sink stays a small integer, so the loop itself never boxes a number.
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink = (sink + (body() & 1023)) & 1023;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) sink = (sink + (body() & 1023)) & 1023;
  const after = process.memoryUsage().heapUsed;
  if (sink === -1) console.log('');
  return Math.max(0, (after - before) / calls);
}

/** `counters` (the live view a frame loop reads) and `stats()` (the full snapshot). */
function benchStats(gpu: BenchGpu): boolean {
  const manager = gpu.manager();
  for (let i = 0; i < 64; i++) {
    manager.createBuffer({ label: `b${i}`, size: 256 * (i + 1), usage: BufferUsage.UNIFORM });
  }
  const N = 20_000;
  let sink = 0;
  const counters = manager.counters;
  const readCounters = () => {
    for (let i = 0; i < N; i++) sink += manager.counters.totalBytes + manager.counters.residentBytes;
  };
  const readField = () => {
    for (let i = 0; i < N; i++) sink += counters.totalBytes + counters.residentBytes;
  };
  const live = interleavedSync(PLAN, N, readCounters, readField);
  const okCounters = live.aMs * 1000 <= 0.3;
  console.log(
    `${'manager.counters.totalBytes + residentBytes'.padEnd(54)} ${`${us(live.aMs)} per read`.padEnd(30)} ` +
      `(target <= 0.3 us) ${okCounters ? 'PASS' : 'MISS'}; a held reference: ${us(live.bMs)}`,
  );
  const M = 2_000;
  const snapshot = interleavedSync(
    PLAN,
    M,
    () => {
      for (let i = 0; i < M; i++) sink += manager.stats().totalBytes;
    },
    () => {
      for (let i = 0; i < M; i++) sink += manager.counters.totalBytes;
    },
  );
  line('stats() (full snapshot) vs counters', versus(snapshot), snapshot, 'informative', true);
  const gc = exposeGc();
  const liveBytes = bytesPerCall(gc, 100_000, () => manager.counters.totalBytes);
  const snapshotBytes = bytesPerCall(gc, 2_000, () => manager.stats().totalBytes);
  const okAlloc = liveBytes < 1;
  console.log(
    `${'allocation per call: counters / stats()'.padEnd(54)} ${`${liveBytes.toFixed(1)} B / ${snapshotBytes.toFixed(0)} B`.padEnd(30)} ` +
      `(target: counters 0 B) ${okAlloc ? 'PASS' : 'MISS'}`,
  );
  if (sink === -1) console.log('');
  manager.dispose();
  return okCounters && okAlloc;
}

/** A draw loop on a real render pass, with `use()` per draw against the same loop without tracking. */
function benchUse(gpu: BenchGpu): void {
  const { device } = gpu;
  const manager = gpu.manager();
  const target = manager.createTexture({
    label: 'use target',
    size: [4, 4],
    format: 'rgba8unorm',
    usage: TextureUsage.RENDER_ATTACHMENT,
  });
  const vbo = manager.createBuffer({ label: 'use vbo', size: 48, usage: BufferUsage.VERTEX });
  const texture = manager.createTexture({
    label: 'use texture',
    size: [4, 4],
    format: 'rgba8unorm',
    usage: TextureUsage.TEXTURE_BINDING,
  });
  const module = device.createShaderModule({
    code: `@vertex fn vs(@location(0) p: vec3f) -> @builtin(position) vec4f { return vec4f(p, 1); }
           @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }`,
  });
  const pipeline = device.createRenderPipeline({
    layout: 'auto',
    vertex: {
      module,
      entryPoint: 'vs',
      buffers: [{ arrayStride: 12, attributes: [{ shaderLocation: 0, offset: 0, format: 'float32x3' }] }],
    },
    fragment: { module, entryPoint: 'fs', targets: [{ format: 'rgba8unorm' }] },
  });
  const view = manager.gpu(target).createView();
  const rawVbo = manager.gpu(vbo);
  const DRAWS = 1000;
  const frame = (track: boolean) => () => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view, loadOp: 'clear', storeOp: 'store' }],
    });
    pass.setPipeline(pipeline);
    for (let i = 0; i < DRAWS; i++) {
      pass.setVertexBuffer(0, rawVbo);
      if (track) manager.use(vbo, texture);
      pass.draw(3);
    }
    pass.end();
    manager.submit([encoder.finish()]);
  };
  const r = interleavedSync(PLAN, DRAWS, frame(true), frame(false));
  const added = (r.aMs - r.bMs) * 1e6;
  line(
    'draw loop: use(vbo, texture) per draw vs no tracking',
    `${versus(r)} per draw`,
    r,
    'informative',
    true,
  );
  console.log(`${'  use() adds per draw'.padEnd(54)} ${added.toFixed(0)} ns`);
  manager.dispose();
}

/** get() and gpu() per lookup, against a Map from handle to GPU object. */
function benchLookups(gpu: BenchGpu): void {
  const manager = gpu.manager();
  const handles = Array.from({ length: 1000 }, (_, i) =>
    manager.createBuffer({ label: `lookup ${i}`, size: 256, usage: BufferUsage.UNIFORM }),
  );
  const map = new Map<number, GPUBuffer>(handles.map((h) => [h as number, manager.gpu(h)]));
  const N = handles.length;
  let sink = 0;
  const viaMap = () => {
    for (let i = 0; i < N; i++) sink += map.get(handles[i]! as number)!.size;
  };
  const gets = interleavedSync(
    PLAN,
    N,
    () => {
      for (let i = 0; i < N; i++) sink += manager.get(handles[i]!)!.bytes;
    },
    viaMap,
  );
  line('get(handle) vs Map.get', `${versus(gets)} per lookup`, gets, 'informative', true);
  const gpus = interleavedSync(
    PLAN,
    N,
    () => {
      for (let i = 0; i < N; i++) sink += manager.gpu(handles[i]!).size;
    },
    viaMap,
  );
  line('gpu(handle) vs Map.get', `${versus(gpus)} per lookup`, gpus, 'informative', true);
  if (sink === -1) console.log('');
  manager.dispose();
}

/**
 * Runs the manager benchmarks; false when a target is missed.
 *
 * @example
 * const ok = await benchManager(await openGpu());
 */
export async function benchManager(gpu: BenchGpu): Promise<boolean> {
  const ok = [await benchCreateDestroy(gpu)];
  benchManagerWork(gpu);
  benchKinds(gpu);
  await benchShaders(gpu);
  ok.push(benchStats(gpu));
  benchUse(gpu);
  benchLookups(gpu);
  await gpu.device.queue.onSubmittedWorkDone();
  return !ok.includes(false);
}
