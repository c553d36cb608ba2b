/**
 * `trackDevice`: the books of a WebGPU device that an engine creates on directly. The device's create methods
 * are patched on the instance (the prototype is untouched, `this`, arguments and return values pass through
 * unchanged); each created object is recorded as an adopted resource, and its `destroy` (patched on the
 * object) takes it out of the books. Nothing is thrown into the engine's code path: anything the tracker
 * cannot record is counted in `trackingNotes()`.
 *
 * Each kind is one row of `DEVICE_CREATES`: the method, and how its result becomes a record. A kind the
 * manager does not know yet has no row.
 */
import { WebGPUBackend, type WebGPUObjects, webgpuCapabilities } from '../backends/webgpu/webgpu-backend.ts';
import type { BackendObjects } from '../core/backend.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { DescriptorOf, ResourceKind } from '../core/kind-types.ts';
import { ValidationError } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import { trackCanvasContext } from './canvas-context.ts';
import { patchMethod } from './patch.ts';
import { TrackingManager, type TrackingOptions } from './tracking-manager.ts';
import { untrackedView } from './untracked-view.ts';
import {
  engineBindGroupLayoutRecord,
  engineBindGroupRecord,
  enginePipelineLayoutRecord,
  engineQuerySetRecord,
  engineSamplerRecord,
  engineTextureViewRecord,
  type LinkedRecord,
} from './webgpu-binding-records.ts';
import {
  type EngineRecord,
  engineBufferRecord,
  engineShaderRecord,
  engineTextureRecord,
} from './webgpu-records.ts';

/** A manager tracking a WebGPU device. */
export type WebGPUTrackingManager = TrackingManager<WebGPUObjects>;

/** Options of {@link trackDevice}. */
export interface TrackDeviceOptions extends TrackingOptions {
  /** Canvas contexts to follow (their swap chains are counted once `configure` names this device). */
  contexts?: readonly GPUCanvasContext[];
}

type HandleOf = (object: unknown) => AnyHandle | undefined;

/** One tracked create: the device method, its kind, and how its result becomes a record. */
interface DeviceCreate<K extends ResourceKind> {
  readonly method: keyof GPUDevice & `create${string}`;
  readonly kind: K;
  record(
    object: never,
    descriptor: unknown,
    caps: Capabilities,
    handleOf: HandleOf,
  ): EngineRecord<DescriptorOf<K>> | LinkedRecord<DescriptorOf<K>>;
  /**
   * Whether the engine frees it with `destroy()` (textures, buffers, query sets). The others end when they
   * are collected: that is their normal end, not a leak.
   */
  readonly destroyable: boolean;
}

const row = <K extends ResourceKind>(create: DeviceCreate<K>) =>
  create as unknown as DeviceCreate<ResourceKind>;

/** Every create the tracker follows; a new kind is one row. */
const DEVICE_CREATES: readonly DeviceCreate<ResourceKind>[] = [
  row({ method: 'createTexture', kind: 'texture', record: engineTextureRecord, destroyable: true }),
  row({
    method: 'createBuffer',
    kind: 'buffer',
    record: (b: GPUBuffer, _d, caps) => engineBufferRecord(b, caps),
    destroyable: true,
  }),
  row({ method: 'createShaderModule', kind: 'shader', record: engineShaderRecord, destroyable: false }),
  row({ method: 'createSampler', kind: 'sampler', record: engineSamplerRecord, destroyable: false }),
  row({
    method: 'createBindGroupLayout',
    kind: 'bindGroupLayout',
    record: engineBindGroupLayoutRecord,
    destroyable: false,
  }),
  row({
    method: 'createPipelineLayout',
    kind: 'pipelineLayout',
    record: (l: GPUPipelineLayout, d, _c, handleOf) => enginePipelineLayoutRecord(l, d, handleOf),
    destroyable: false,
  }),
  row({
    method: 'createBindGroup',
    kind: 'bindGroup',
    record: (g: GPUBindGroup, d, _c, handleOf) => engineBindGroupRecord(g, d, handleOf),
    destroyable: false,
  }),
  row({ method: 'createQuerySet', kind: 'querySet', record: engineQuerySetRecord, destroyable: true }),
];

/**
 * Tracks every texture (and its views), buffer, shader module, sampler, layout, bind group and query set an engine creates on `device` from now on, exactly, without
 * changing what the engine sees. Returns the manager holding the books (`stats()`, `leaks()`, `toJSON()`,
 * `handleOf(object)`, `collectedWithoutDestroy()`); `untrack()` removes every patch. Objects created before
 * the call are not seen: track the device before handing it to the engine.
 *
 * @example
 * import { trackDevice } from 'gpu-handles';
 * const device = await adapter.requestDevice();
 * const gpu = trackDevice(device, { debug: true });
 * const renderer = new WebGPURenderer({ device }); // three.js, unmodified
 * gpu.stats().byKind.texture.bytes; // exact bytes of every texture three.js created
 */
export function trackDevice(device: GPUDevice, options: TrackDeviceOptions = {}): WebGPUTrackingManager {
  if (typeof device !== 'object' || device === null || typeof device.createTexture !== 'function') {
    throw new ValidationError('trackDevice', 'device', device, 'must be a GPUDevice');
  }
  const { contexts, ...managerOptions } = options;
  const originals = new Map<PropertyKey, unknown>();
  for (const { method } of DEVICE_CREATES) originals.set(method, device[method]);
  const manager = new TrackingManager<WebGPUObjects>(
    new WebGPUBackend(untrackedView(device, originals)),
    managerOptions,
  );
  const caps = webgpuCapabilities(device);
  for (const create of DEVICE_CREATES) patchCreate(manager, device, create, caps);
  for (const context of contexts ?? []) trackCanvasContext(manager, context, device);
  return manager;
}

function patchCreate<K extends ResourceKind>(
  manager: WebGPUTrackingManager,
  device: GPUDevice,
  create: DeviceCreate<K>,
  caps: Capabilities,
): void {
  manager.addRestore(
    patchMethod(
      device,
      create.method,
      (original) =>
        function (this: GPUDevice, ...args: unknown[]) {
          const object = original.apply(this, args as never);
          // Only what this device made (a patched method called on another object is not ours to count).
          if (this === device && manager.isTracking) observe(manager, create, object, args[0], caps);
          return object;
        },
    ),
  );
}

function observe<K extends ResourceKind>(
  manager: WebGPUTrackingManager,
  create: DeviceCreate<K>,
  object: unknown,
  descriptor: unknown,
  caps: Capabilities,
): void {
  if (typeof object !== 'object' || object === null) return;
  let record: EngineRecord<DescriptorOf<K>> | LinkedRecord<DescriptorOf<K>>;
  try {
    record = create.record(object as never, descriptor, caps, (o) => manager.handleOf(o));
  } catch {
    manager.noteSkipped(`${create.kind} not readable`);
    return;
  }
  if ('skip' in record) {
    manager.noteSkipped(record.skip);
    return;
  }
  if (record.bestEffort) manager.noteBestEffort();
  const dependencies = 'dependencies' in record ? record.dependencies : [];
  const handle = manager.record(
    create.kind,
    record.descriptor,
    object,
    record.bytes,
    dependencies,
    create.destroyable,
  );
  if (handle === undefined) return;
  if (create.destroyable) watchDestroy(manager, object as { destroy(): void });
  if (create.kind === 'texture') watchViews(manager, object as GPUTexture);
}

/** Patches a tracked texture's `createView`: each view is recorded, depending on its texture. */
function watchViews(manager: WebGPUTrackingManager, texture: GPUTexture): void {
  manager.addObjectRestore(
    texture,
    patchMethod(
      texture,
      'createView',
      (original) =>
        function (this: GPUTexture, ...args: unknown[]) {
          const view = original.apply(this, args as never);
          const textureHandle = manager.trackedHandle(this);
          if (
            textureHandle !== undefined &&
            manager.isTracking &&
            typeof view === 'object' &&
            view !== null
          ) {
            try {
              const record = engineTextureViewRecord(view, this, args[0], textureHandle);
              manager.record('textureView', record.descriptor, view, 0, record.dependencies, false);
            } catch {
              manager.noteSkipped('textureView not readable');
            }
          }
          return view;
        },
    ),
  );
}

/** Patches the object's `destroy` so the books follow it; the engine's call is otherwise unchanged. */
export function watchDestroy<B extends BackendObjects>(
  manager: TrackingManager<B>,
  object: { destroy(): void },
): void {
  manager.addObjectRestore(
    object,
    patchMethod(
      object,
      'destroy',
      (original) =>
        // `this`, not `object`: the patch lives as long as the tracker's undo, which must not keep the object.
        function (this: object, ...args: unknown[]) {
          const result = original.apply(this, args as never);
          manager.released(this);
          return result;
        },
    ),
  );
}
