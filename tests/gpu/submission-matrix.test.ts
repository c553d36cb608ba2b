/**
 * Destroyed before submit, in the WebGPU conformance suite's style: every way a resource reaches a submit
 * (direct use, a render target's attachments, a flush into the caller's encoder, one of two encoders recorded
 * at once and submitted apart), each destroyed through the manager between recording and submit. The submit
 * must raise no validation error and the GPU object must be destroyed exactly once, after the work. Each case
 * has a control: the same sequence with a raw destroy of the GPU object before submit, which Dawn refuses
 * ("Destroyed ... used in a submit"), so the case can fail.
 */
import { describe, expect, it } from 'vitest';
import { BufferUsage, createResourceManager, TextureUsage } from '../../src/index.ts';
import { firstDifference, pattern, rawReadBuffer } from '../staging/gpu-support.ts';
import { gpuValidationError, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();
const RW = BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const DESTROYED_IN_SUBMIT = /destroyed.*used in a submit|used in a submit.*destroyed|destroyed/i;

/**
 * Submits inside a validation error scope and checks, before the GPU can report completion, that the
 * object is not destroyed yet; resolves with the GPU's error message or undefined.
 */
async function submitChecked(submit: () => void, counter: { count: number }): Promise<string | undefined> {
  gpu.device.pushErrorScope('validation');
  submit();
  expect(counter.count, 'destroyed before its work completed').toBe(0);
  const error = await gpu.device.popErrorScope();
  return error?.message;
}

/** Counts real destroy() calls on a GPU object (the real destroy still runs). */
function countDestroys(object: { destroy(): void }): { count: number } {
  const counter = { count: 0 };
  const real = object.destroy.bind(object);
  object.destroy = () => {
    counter.count++;
    real();
  };
  return counter;
}

type Manager = ReturnType<typeof createResourceManager>;

/** The manager-side destroy, or the control's raw destroy of the GPU object behind the manager's back. */
type Destroyer = 'manager' | 'raw';

/** Direct use: a copy out of `src`, marked with use(). */
function directUse(manager: Manager, how: Destroyer) {
  const src = manager.createBuffer({ label: 'direct-src', size: 256, usage: RW });
  const dst = manager.createBuffer({ label: 'direct-dst', size: 256, usage: RW });
  gpu.device.queue.writeBuffer(manager.gpu(src), 0, pattern(256, 1));
  const counter = countDestroys(manager.gpu(src));
  const encoder = gpu.device.createCommandEncoder();
  encoder.copyBufferToBuffer(manager.gpu(src), 0, manager.gpu(dst), 0, 256);
  manager.use(src, dst);
  if (how === 'manager') manager.destroy(src);
  else manager.gpu(src).destroy();
  return {
    counter,
    submit: () => manager.submit([encoder.finish()]),
    check: async () => expect(firstDifference(await manager.read(dst), pattern(256, 1))).toBe(-1),
  };
}

/** Through a render target: a pass over it, use(rt), then a cascade destroy of its colour attachment. */
function throughRenderTarget(manager: Manager, how: Destroyer) {
  const color = manager.createTexture({
    label: 'rt-color',
    size: [8, 8],
    format: 'rgba8unorm',
    usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC,
  });
  const rt = manager.createRenderTarget({ label: 'rt', color: [color] });
  const counter = countDestroys(manager.gpu(color));
  const encoder = gpu.device.createCommandEncoder();
  encoder.beginRenderPass(manager.renderPass(rt, { load: 'clear' })).end();
  manager.use(rt); // covers the attachment it depends on
  if (how === 'manager') manager.destroy(color, { cascade: true });
  else manager.gpu(color).destroy();
  return { counter, submit: () => manager.submit([encoder.finish()]), check: async () => {} };
}

/** Through flush(encoder): a staged upload recorded into the caller's encoder, then a copy out of it. */
function throughFlush(manager: Manager, how: Destroyer) {
  const target = manager.createBuffer({ label: 'flush-target', size: 256, usage: RW });
  const out = manager.createBuffer({ label: 'flush-out', size: 256, usage: RW });
  const counter = countDestroys(manager.gpu(target));
  const encoder = gpu.device.createCommandEncoder();
  manager.upload(target, 0, pattern(256, 2));
  manager.flush(encoder);
  encoder.copyBufferToBuffer(manager.gpu(target), 0, manager.gpu(out), 0, 256);
  manager.use(target, out);
  if (how === 'manager') manager.destroy(target);
  else manager.gpu(target).destroy();
  return {
    counter,
    submit: () => manager.submit([encoder.finish()]),
    check: async () =>
      expect(firstDifference(await rawReadBuffer(gpu.device, manager.gpu(out), 256), pattern(256, 2))).toBe(
        -1,
      ),
  };
}

describe('destroyed before submit: the matrix', () => {
  const cases = [
    ['direct use', directUse],
    ["a render target's attachment (cascade after use(rt))", throughRenderTarget],
    ['flush(encoder)', throughFlush],
  ] as const;

  for (const [name, build] of cases) {
    it(`${name}: the submit is valid and the GPU object is destroyed once, after the work`, async () => {
      const manager = createResourceManager({ device: gpu.device });
      const { counter, submit, check } = build(manager, 'manager');
      expect(counter.count).toBe(0);
      expect(await submitChecked(submit, counter)).toBeUndefined();
      await manager.idle();
      expect(counter.count).toBe(1);
      await check();
      manager.dispose();
      expect(counter.count).toBe(1);
    });

    it(`${name}, control: a raw destroy before the same submit is refused by Dawn`, async () => {
      const manager = createResourceManager({ device: gpu.device });
      const { submit } = build(manager, 'raw');
      expect(await gpuValidationError(gpu.device, submit)).toMatch(DESTROYED_IN_SUBMIT);
      await manager.idle();
      manager.dispose();
    });
  }
});

describe('destroyed before submit: two encoders recorded at once, submitted apart', () => {
  function twoEncoders(manager: Manager) {
    const a = manager.createBuffer({ label: 'used-by-a', size: 256, usage: RW });
    const b = manager.createBuffer({ label: 'used-by-b', size: 256, usage: RW });
    const sink = manager.createBuffer({ label: 'sink', size: 512, usage: RW });
    gpu.device.queue.writeBuffer(manager.gpu(b), 0, pattern(256, 3));
    const encoderA = gpu.device.createCommandEncoder();
    const encoderB = gpu.device.createCommandEncoder();
    encoderA.copyBufferToBuffer(manager.gpu(a), 0, manager.gpu(sink), 0, 256);
    encoderB.copyBufferToBuffer(manager.gpu(b), 0, manager.gpu(sink), 256, 256);
    manager.useIn(encoderA, a, sink);
    manager.useIn(encoderB, b, sink);
    return { a, b, sink, encoderA, encoderB };
  }

  it("B's buffer waits for B's submit, not A's; destroyed once after B's work", async () => {
    const manager = createResourceManager({ device: gpu.device });
    const { b, sink, encoderA, encoderB } = twoEncoders(manager);
    const counter = countDestroys(manager.gpu(b));
    manager.destroy(b);
    const submitA = () => manager.submit([encoderA.finish()], { encoders: [encoderA] });
    expect(await submitChecked(submitA, counter)).toBeUndefined();
    await manager.idle(); // A's work has completed: b must still exist, B has not been submitted
    expect(counter.count).toBe(0);
    const submitB = () => manager.submit([encoderB.finish()], { encoders: [encoderB] });
    expect(await submitChecked(submitB, counter)).toBeUndefined();
    await manager.idle();
    expect(counter.count).toBe(1);
    const landed = await rawReadBuffer(gpu.device, manager.gpu(sink), 256, 256);
    expect(firstDifference(landed, pattern(256, 3))).toBe(-1);
    manager.dispose();
    expect(counter.count).toBe(1);
  });

  it("control: a raw destroy of B's buffer after A completed makes B's submit fail", async () => {
    const manager = createResourceManager({ device: gpu.device });
    const { b, encoderA, encoderB } = twoEncoders(manager);
    manager.submit([encoderA.finish()], { encoders: [encoderA] });
    await manager.idle();
    manager.gpu(b).destroy();
    const submitB = () => manager.submit([encoderB.finish()], { encoders: [encoderB] });
    expect(await gpuValidationError(gpu.device, submitB)).toMatch(DESTROYED_IN_SUBMIT);
    await manager.idle();
    manager.dispose();
  });
});
