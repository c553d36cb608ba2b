/**
 * Bind groups and samplers through the manager against raw device calls, in the same run, interleaved
 * (A B A B ...), medians and spread (min..max of the rounds):
 * - 10,000 `createBindGroup` calls whose descriptors repeat (16 textures x 4 samplers, as a material system
 *   re-requesting groups each frame): the manager validates each and returns the shared handle, the raw loop
 *   creates 10,000 `GPUBindGroup`s;
 * - 10,000 `createSampler` calls over 8 distinct descriptors;
 * - per frame, 200 draws' worth of `setBindGroup` with `manager.gpu(group)` + `manager.use(group)` against a
 *   plain `setBindGroup` of the raw object (encoding only).
 */
import type { AnyHandle } from '../src/handles/handle.ts';
import { ShaderStage } from '../src/resources/bind-group-layout.ts';
import { BufferUsage, TextureUsage } from '../src/resources/usage.ts';
import { type BenchGpu, median, ms } from './gpu.ts';

const CREATES = 10_000;
const ROUNDS = 7;
const DRAWS = 200;

interface Timed {
  readonly a: number[];
  readonly b: number[];
}

function interleave(rounds: number, a: () => void, b: () => void): Timed {
  const out: Timed = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [body, list] of [
      [a, out.a],
      [b, out.b],
    ] as const) {
      const start = performance.now();
      body();
      list.push(performance.now() - start);
    }
  }
  return out;
}

function line(name: string, t: Timed, labels: [string, string]): void {
  const spread = (v: number[]) => `${ms(Math.min(...v))}..${ms(Math.max(...v))}`;
  const [ma, mb] = [median(t.a), median(t.b)];
  console.log(
    `${name.padEnd(44)} ${labels[0]} ${ms(ma)} (${spread(t.a)})  ${labels[1]} ${ms(mb)} (${spread(t.b)})  ratio ${(mb / ma).toFixed(2)}x`,
  );
}

/**
 * Runs the three comparisons and prints one line each. Returns true (there is no pass/fail target: the lines
 * are the measurement).
 *
 * @example
 * await benchBindGroups(await openGpu());
 */
export async function benchBindGroups(gpu: BenchGpu): Promise<boolean> {
  const { device } = gpu;
  const manager = gpu.manager();
  const layout = manager.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: ShaderStage.FRAGMENT, texture: {} },
      { binding: 1, visibility: ShaderStage.FRAGMENT, sampler: {} },
      { binding: 2, visibility: ShaderStage.FRAGMENT, buffer: {} },
    ],
  });
  const textures = Array.from({ length: 16 }, (_, i) =>
    manager.createTexture({
      label: `t${i}`,
      size: [4, 4],
      format: 'rgba8unorm',
      usage: TextureUsage.TEXTURE_BINDING,
    }),
  );
  const samplerDescs: GPUSamplerDescriptor[] = [
    { magFilter: 'linear' },
    { magFilter: 'nearest' },
    { addressModeU: 'repeat' },
    { minFilter: 'linear' },
    { lodMaxClamp: 4 },
    { addressModeV: 'mirror-repeat' },
    { mipmapFilter: 'linear' },
    {},
  ];
  const samplers = samplerDescs.slice(0, 4).map((d) => manager.createSampler(d));
  const uniforms = manager.createBuffer({ size: 256, usage: BufferUsage.UNIFORM });
  const rawLayout = manager.gpu(layout);
  const rawViews = textures.map((t) => manager.gpu(t).createView());
  const rawSamplers = samplers.map((s) => manager.gpu(s));
  const rawUniforms = manager.gpu(uniforms);

  const created: AnyHandle[] = [];
  const bindGroups = interleave(
    ROUNDS,
    () => {
      for (let i = 0; i < CREATES; i++) {
        device.createBindGroup({
          layout: rawLayout,
          entries: [
            { binding: 0, resource: rawViews[i % 16]! },
            { binding: 1, resource: rawSamplers[(i >> 4) % 4]! },
            { binding: 2, resource: { buffer: rawUniforms } },
          ],
        });
      }
    },
    () => {
      for (let i = 0; i < CREATES; i++) {
        created.push(
          manager.createBindGroup({
            layout,
            entries: [
              { binding: 0, resource: textures[i % 16]! },
              { binding: 1, resource: samplers[(i >> 4) % 4]! },
              { binding: 2, resource: { buffer: uniforms } },
            ],
          }),
        );
      }
      for (const h of created.splice(0)) manager.destroy(h);
    },
  );
  line(`createBindGroup x${CREATES} (64 distinct)`, bindGroups, ['raw', 'manager (incl. destroys)']);

  const createdSamplers: AnyHandle[] = [];
  const samplerRun = interleave(
    ROUNDS,
    () => {
      for (let i = 0; i < CREATES; i++) device.createSampler(samplerDescs[i % 8]);
    },
    () => {
      for (let i = 0; i < CREATES; i++)
        createdSamplers.push(manager.createSampler(samplerDescs[i % 8] as never));
      for (const h of createdSamplers.splice(0)) manager.destroy(h);
    },
  );
  line(`createSampler x${CREATES} (8 distinct)`, samplerRun, ['raw', 'manager (incl. destroys)']);

  const group = manager.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: textures[0]! },
      { binding: 1, resource: samplers[0]! },
      { binding: 2, resource: uniforms },
    ],
  });
  const rawGroup = manager.gpu(group);
  const target = device.createTexture({
    size: [4, 4],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.RENDER_ATTACHMENT,
  });
  const view = target.createView();
  const frame = (body: (pass: GPURenderPassEncoder) => void) => () => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view, loadOp: 'clear', storeOp: 'store' }] });
    body(pass);
    pass.end();
    encoder.finish();
  };
  const perFrame = interleave(
    ROUNDS * 3,
    frame((pass) => {
      for (let i = 0; i < DRAWS; i++) pass.setBindGroup(0, rawGroup);
    }),
    frame((pass) => {
      for (let i = 0; i < DRAWS; i++) {
        pass.setBindGroup(0, manager.gpu(group));
        manager.use(group);
      }
    }),
  );
  line(`frame: ${DRAWS} x setBindGroup (+ gpu/use)`, perFrame, ['plain', 'manager']);
  const perUse = (median(perFrame.b) - median(perFrame.a)) / DRAWS;
  console.log(
    `${'  use(bindGroup) overhead per call'.padEnd(44)} ${ms(perUse)} (median difference / ${DRAWS})`,
  );
  target.destroy();
  manager.dispose();
  return true;
}
