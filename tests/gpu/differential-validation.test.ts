/**
 * Differential validation: seeded random texture, buffer and render target descriptors, each judged by our
 * normalize* functions and by Dawn itself (created inside 'validation' and 'out-of-memory' error scopes).
 * What validation accepts, Dawn must accept; what it rejects, Dawn must reject. Cases holding a value of the
 * wrong JavaScript type only check that we throw a typed error: they never reach Dawn, whose Node binding
 * may abort the process on them. Accepted textures also compare the backend's byte count with a hand rule.
 *
 * DIFF_SEED=<n> replays another seed; DIFF_SCALE=<k> multiplies the case counts (for long local runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGPUBackend, webgpuCapabilities } from '../../src/backends/webgpu/webgpu-backend.ts';
import type { Capabilities } from '../../src/core/capabilities.ts';
import { describeValue, ValidationError } from '../../src/errors.ts';
import type { Handle } from '../../src/handles/handle.ts';
import { normalizeBufferDescriptor } from '../../src/resources/buffer.ts';
import { getFormatInfo } from '../../src/resources/formats.ts';
import { normalizeRenderTargetDescriptor } from '../../src/resources/render-target.ts';
import { type NormalizedTextureDescriptor, normalizeTextureDescriptor } from '../../src/resources/texture.ts';
import { TextureUsage } from '../../src/resources/usage.ts';
import { dawn, useGpuDevice } from '../support/webgpu.ts';
import {
  bufferCase,
  type Case,
  Draw,
  type PoolTexture,
  renderTargetCase,
  seededRandom,
  textureCase,
} from './differential-cases.ts';

const SEED = Number(process.env.DIFF_SEED ?? 20_261_201);
const SCALE = Number(process.env.DIFF_SCALE ?? 1);
const COUNTS = { texture: 1500, coreTexture: 500, buffer: 1000, renderTarget: 1000 };

const gpu = useGpuDevice();

/** Tallies of one kind. */
interface Tally {
  cases: number;
  bothAccepted: number;
  bothRejected: number;
  typedOnly: number;
  bytesChecked: number;
  disagreements: string[];
}
const tallies = new Map<string, Tally>();
function tally(kind: string): Tally {
  let t = tallies.get(kind);
  if (!t) {
    t = { cases: 0, bothAccepted: 0, bothRejected: 0, typedOnly: 0, bytesChecked: 0, disagreements: [] };
    tallies.set(kind, t);
  }
  return t;
}

type Outcome<T> = { accepted: true; value: T } | { accepted: false; error: unknown };
function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { accepted: true, value: run() };
  } catch (error) {
    return { accepted: false, error };
  }
}
const why = (o: Outcome<unknown>) =>
  o.accepted ? 'accepted' : o.error instanceof Error ? o.error.message : describeValue(o.error);

/** Runs `body` in validation + out-of-memory scopes; resolves with Dawn's message, or undefined. */
function dawnVerdict(device: GPUDevice, body: () => void): Promise<string | undefined> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let thrown: string | undefined;
  try {
    body();
  } catch (error) {
    thrown = `threw ${error instanceof Error ? error.message : describeValue(error)}`;
  }
  const oom = device.popErrorScope();
  const validation = device.popErrorScope();
  return Promise.all([oom, validation]).then(([o, v]) => thrown ?? (v ?? o)?.message);
}

/** A typed-error case: we must throw ValidationError; Dawn never sees it. */
function checkTypedOnly(kind: string, c: Case, mine: Outcome<unknown>): void {
  const t = tally(kind);
  t.typedOnly++;
  if (mine.accepted || !(mine.error instanceof ValidationError)) {
    t.disagreements.push(
      `${c.typeError}: expected a ValidationError, got ${why(mine)}; ${describeValue(c.ours)}`,
    );
  }
}

/** Compares our verdict with Dawn's; an untyped error of ours is a disagreement too. */
function compare(kind: string, c: Case, mine: Outcome<unknown>, gpuError: string | undefined): void {
  const t = tally(kind);
  if (!mine.accepted && !(mine.error instanceof ValidationError)) {
    t.disagreements.push(`untyped error ${why(mine)}; ${describeValue(c.ours)}`);
  } else if (mine.accepted !== (gpuError === undefined)) {
    t.disagreements.push(`ours: ${why(mine)} | Dawn: ${gpuError ?? 'accepted'} | ${describeValue(c.dawn)}`);
  } else if (mine.accepted) t.bothAccepted++;
  else t.bothRejected++;
}

/** The hand rule: sum over mips of blocks wide x blocks high x layers (or 3D depth) x block bytes x samples. */
function handBytes(t: NormalizedTextureDescriptor): number {
  const info = getFormatInfo(t.format)!;
  let total = 0;
  for (let level = 0; level < t.mipLevelCount; level++) {
    const w = Math.max(1, Math.floor(t.width / 2 ** level));
    const h = t.dimension === '1d' ? 1 : Math.max(1, Math.floor(t.height / 2 ** level));
    const d =
      t.dimension === '3d'
        ? Math.max(1, Math.floor(t.depthOrArrayLayers / 2 ** level))
        : t.depthOrArrayLayers;
    total += Math.ceil(w / info.blockWidth) * Math.ceil(h / info.blockHeight) * d * info.bytesPerBlock;
  }
  return total * t.sampleCount;
}

async function runTextures(kind: string, device: GPUDevice, caps: Capabilities, count: number, seed: number) {
  const backend = new WebGPUBackend(device);
  const draw = new Draw(seededRandom(seed));
  const pending: Promise<void>[] = [];
  const limits = caps.limits;
  for (let i = 0; i < count; i++) {
    const c = textureCase(draw, limits);
    tally(kind).cases++;
    const mine = attempt(() => normalizeTextureDescriptor(c.ours as never, caps));
    if (c.typeError) {
      checkTypedOnly(kind, c, mine);
      continue;
    }
    if (mine.accepted) {
      tally(kind).bytesChecked++;
      const bytes = backend.textureByteSize(mine.value);
      if (bytes !== handBytes(mine.value)) {
        tally(kind).disagreements.push(
          `bytes ${bytes} != hand rule ${handBytes(mine.value)}: ${describeValue(c.dawn)}`,
        );
      }
    }
    const verdict = dawnVerdict(device, () => device.createTexture(c.dawn as never).destroy());
    pending.push(verdict.then((gpuError) => compare(kind, c, mine, gpuError)));
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

async function runBuffers(device: GPUDevice, caps: Capabilities, count: number, seed: number) {
  const draw = new Draw(seededRandom(seed));
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const c = bufferCase(draw, caps.limits);
    tally('buffer').cases++;
    const mine = attempt(() => normalizeBufferDescriptor(c.ours as never, caps));
    if (c.typeError) {
      checkTypedOnly('buffer', c, mine);
      continue;
    }
    const verdict = dawnVerdict(device, () => device.createBuffer(c.dawn as never).destroy());
    pending.push(verdict.then((gpuError) => compare('buffer', c, mine, gpuError)));
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

const RA = TextureUsage.RENDER_ATTACHMENT;
const TRANSIENT = RA | TextureUsage.TRANSIENT_ATTACHMENT;
/** The textures render targets are built from: [format, sampleCount, extra descriptor members]. */
const POOL: readonly [GPUTextureFormat, number, Record<string, unknown>?][] = [
  ['rgba8unorm', 1],
  ['rgba8unorm', 1],
  ['rgba8unorm', 1],
  ['rgba8unorm', 4],
  ['rgba8unorm', 4],
  ['rgba8unorm', 4],
  ['bgra8unorm', 1],
  ['bgra8unorm', 4],
  ['rgba16float', 1],
  ['rgba16float', 4],
  ['rgba8unorm-srgb', 1],
  ['rgba8unorm-srgb', 4],
  ['r8uint', 1],
  ['r8uint', 4],
  ['r32float', 1],
  ['r32float', 4],
  ['rgba32float', 1],
  ['rgba32float', 1],
  ['rg11b10ufloat', 1],
  ['rgba8unorm', 1, { mipLevelCount: 2 }],
  ['rgba8unorm', 1, { size: [8, 8, 2] }],
  ['rgba8unorm', 1, { size: [8, 8, 2], dimension: '3d' }],
  ['rgba8unorm', 1, { size: [16, 16] }],
  ['rgba8unorm', 4, { size: [16, 16] }],
  ['rgba8unorm', 1, { usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST }],
  ['rgba8unorm', 1, { usage: TRANSIENT }],
  ['rgba8unorm', 4, { usage: TRANSIENT }],
  ['rgba8unorm', 1, { usage: RA | TextureUsage.TEXTURE_BINDING }],
  ['depth24plus', 1],
  ['depth24plus', 4],
  ['depth24plus-stencil8', 1],
  ['depth24plus-stencil8', 4],
  ['depth32float', 1],
  ['depth16unorm', 4],
  ['stencil8', 1],
  ['depth32float-stencil8', 1],
  ['depth24plus', 1, { usage: TRANSIENT }],
  ['depth24plus', 1, { size: [16, 16] }],
];

async function runRenderTargets(device: GPUDevice, caps: Capabilities, count: number, seed: number) {
  const backend = new WebGPUBackend(device);
  const normalized: NormalizedTextureDescriptor[] = [];
  const textures: GPUTexture[] = [];
  const views: GPUTextureView[] = [];
  const pool: PoolTexture[] = [];
  for (const [format, sampleCount, extra] of POOL) {
    const desc = normalizeTextureDescriptor(
      { size: [8, 8], format, usage: RA, sampleCount, ...extra } as never,
      caps,
    );
    const texture = backend.createTexture(desc);
    normalized.push(desc);
    textures.push(texture);
    views.push(texture.createView());
    pool.push({
      handle: pool.length + 1,
      format,
      sampleCount,
      transient: (desc.usage & TRANSIENT) === TRANSIENT,
    });
  }
  const lookup = (handle: number) => normalized[handle - 1] ?? 'stale';
  const view = (handle: unknown) => views[(handle as number) - 1]!;
  const transient = (handle: unknown) => pool[(handle as number) - 1]!.transient;
  const draw = new Draw(seededRandom(seed));
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const c = renderTargetCase(draw, pool, caps.limits.maxColorAttachments);
    tally('renderTarget').cases++;
    const mine = attempt(() => normalizeRenderTargetDescriptor(c.ours as never, lookup, caps));
    if (c.typeError) {
      checkTypedOnly('renderTarget', c, mine);
      continue;
    }
    const plain = c.dawn as {
      color: (Record<string, unknown> | null)[];
      depthStencil?: Record<string, unknown>;
    };
    const pass: GPURenderPassDescriptor = {
      colorAttachments: plain.color.map((e) =>
        e === null
          ? null
          : {
              view: view(e.texture),
              resolveTarget: e.resolveTarget === undefined ? undefined : view(e.resolveTarget),
              clearValue: (e.clearValue ?? [0, 0, 0, 0]) as GPUColor,
              loadOp: 'clear',
              storeOp: transient(e.texture) ? 'discard' : 'store',
            },
      ),
    };
    const ds = plain.depthStencil;
    if (ds) {
      const aspect = getFormatInfo(pool[(ds.texture as number) - 1]!.format)!.aspect;
      const storeOp = transient(ds.texture) ? 'discard' : 'store';
      pass.depthStencilAttachment = {
        view: view(ds.texture),
        ...(aspect !== 'stencil' && {
          depthClearValue: (ds.depthClearValue ?? 1) as number,
          depthLoadOp: 'clear',
          depthStoreOp: storeOp,
        }),
        ...(aspect !== 'depth' && {
          stencilClearValue: (ds.stencilClearValue ?? 0) as number,
          stencilLoadOp: 'clear',
          stencilStoreOp: storeOp,
        }),
      };
    }
    const encodePass = (descriptor: GPURenderPassDescriptor) => {
      const encoder = device.createCommandEncoder();
      encoder.beginRenderPass(descriptor).end();
      encoder.finish();
    };
    const verdict = dawnVerdict(device, () => encodePass(pass));
    pending.push(verdict.then((gpuError) => compare('renderTarget', c, mine, gpuError)));
    if (mine.accepted) {
      // The backend's own render target and pass (gaps, { r, g, b, a } colours, transient ops) must pass too.
      const rt = mine.value;
      const texture = (h: Handle<'texture'>) => textures[h - 1]!;
      const attachments = {
        color: rt.color.map((a) =>
          a === null
            ? null
            : { texture: texture(a.texture), resolveTarget: a.resolveTarget && texture(a.resolveTarget) },
        ),
        depthStencil: rt.depthStencil && texture(rt.depthStencil.texture),
      };
      const backendVerdict = dawnVerdict(device, () =>
        encodePass(backend.renderPass(backend.createRenderTarget(rt, attachments as never), rt, {})),
      );
      pending.push(
        backendVerdict.then((gpuError) => {
          if (gpuError !== undefined) {
            tally('renderTarget').disagreements.push(
              `backend renderPass: ${gpuError} | ${describeValue(c.dawn)}`,
            );
          }
        }),
      );
    }
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  for (const texture of textures) texture.destroy();
}

describe('differential validation against Dawn', () => {
  // A second device without optional features: feature-gated formats and block alignment.
  let core: { device: GPUDevice; errors: string[] } | undefined;
  beforeAll(async () => {
    const adapter = await dawn().requestAdapter();
    if (!adapter) throw new Error('No WebGPU adapter from Dawn for the core-features device');
    const device = await adapter.requestDevice();
    const errors: string[] = [];
    device.addEventListener('uncapturederror', (e) =>
      errors.push((e as GPUUncapturedErrorEvent).error.message),
    );
    core = { device, errors };
  });
  afterAll(() => core?.device.destroy());

  it('agrees with Dawn on every generated descriptor', async () => {
    console.log(`[differential] seed ${SEED}, scale ${SCALE}`);
    const started = performance.now();
    const caps = webgpuCapabilities(gpu.device);
    await runTextures('texture', gpu.device, caps, COUNTS.texture * SCALE, SEED);
    await runTextures(
      'texture (core device)',
      core!.device,
      webgpuCapabilities(core!.device),
      COUNTS.coreTexture * SCALE,
      SEED + 1,
    );
    await runBuffers(gpu.device, caps, COUNTS.buffer * SCALE, SEED + 2);
    await runRenderTargets(gpu.device, caps, COUNTS.renderTarget * SCALE, SEED + 3);
    await core!.device.queue.onSubmittedWorkDone();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const [kind, t] of tallies) {
      console.log(
        `[differential] ${kind}: ${t.cases} cases, both accepted ${t.bothAccepted}, both rejected ${t.bothRejected}, ` +
          `typed error only ${t.typedOnly}, bytes checked ${t.bytesChecked}, disagreements ${t.disagreements.length}`,
      );
      for (const d of t.disagreements.slice(0, 15)) console.log(`  ${d}`);
    }
    console.log(`[differential] ${seconds} s`);
    for (const t of tallies.values()) expect(t.disagreements).toEqual([]);
    // Each kind must exercise both verdicts, or the comparison proves little.
    for (const t of tallies.values()) {
      expect(t.bothAccepted).toBeGreaterThan(t.cases / 20);
      expect(t.bothRejected).toBeGreaterThan(t.cases / 20);
      expect(t.typedOnly).toBeGreaterThan(0);
    }
    expect(core!.errors).toEqual([]);
  }, 120_000);
});
