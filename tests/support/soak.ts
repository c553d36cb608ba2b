/**
 * A seeded model-based soak of the manager's lifetimes, shared by the null-backend unit test and the Dawn suite.
 * A model holds what must be live (handles, kinds, bytes, dependencies, references); random operations run on
 * the manager and on the model (creates, destroys with and without cascade, retain/release, scopes, use, use
 * tied to one of two encoders, submits, GPU completion), with a re-entrant `destroy` listener that destroys
 * more. After every operation: the live set, the bytes and counts per kind equal the model; no stale handle
 * resolves; no GPU object is freed twice or while its resource lives. At the end every object is freed once.
 */
import type { AnyHandle, Handle, ResourceManager } from '../../src/index.ts';
import { RefCountError, ResourceInUseError, TextureUsage } from '../../src/index.ts';
import { seededRandom } from './seeded-random.ts';

/** What a soak needs from the GPU side. */
export interface SoakTarget<Enc> {
  readonly manager: ResourceManager;
  /** How many times the GPU object was really freed (destroy calls counted on the objects themselves). */
  freedCount(object: unknown): number;
  /** A new encoder for tied uses; `submitEncoder` finishes and submits it through the manager. */
  newEncoder(): Enc;
  submitEncoder(encoder: Enc): void;
  /** Submits an empty piece of work through the manager. */
  submitEmpty(): void;
  /**
   * Lets the GPU finish everything submitted and closes the work being recorded (what `manager.idle()` does);
   * resolves when the deferred frees have run.
   */
  complete(): Promise<void>;
}

interface ModelResource {
  readonly handle: AnyHandle;
  readonly kind: 'texture' | 'buffer' | 'renderTarget';
  readonly bytes: number;
  readonly dependencies: readonly AnyHandle[];
  retains: number;
  readonly object: unknown;
  /** Work that uses it and has not completed: an untied use, uses tied to unsubmitted encoders, tied uses in flight. */
  untiedUse: boolean;
  readonly openEncoders: Set<unknown>;
  tiedInFlight: boolean;
}

function idle(): Pick<ModelResource, 'untiedUse' | 'openEncoders' | 'tiedInFlight'> {
  return { untiedUse: false, openEncoders: new Set(), tiedInFlight: false };
}

/** Failure of an invariant, with the seed and the operation number to replay it. */
class SoakFailure extends Error {}

/**
 * Runs `operations` seeded operations and checks the invariants after each; throws with the seed and step on
 * the first violation.
 *
 * @example
 * await runSoak(target, { seed: 7, operations: 2000 });
 */
export async function runSoak<Enc>(
  target: SoakTarget<Enc>,
  options: { seed: number; operations: number },
): Promise<{ created: number; freed: number }> {
  const { manager } = target;
  const next = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const live = new Map<AnyHandle, ModelResource>();
  const removed: ModelResource[] = [];
  const encoders: Enc[] = [target.newEncoder(), target.newEncoder()];
  let step = 0;
  let created = 0;
  let failure: SoakFailure | undefined;
  const fail = (message: string): never => {
    // Kept as well as thrown: a failure inside a listener is reported by the manager, not thrown to us.
    failure ??= new SoakFailure(`seed ${options.seed}, step ${step}: ${message}`);
    throw failure;
  };

  const subtree = (handle: AnyHandle): ModelResource[] => {
    const out: ModelResource[] = [];
    for (const resource of live.values()) {
      if (resource.dependencies.includes(handle)) out.push(...subtree(resource.handle));
    }
    out.push(live.get(handle)!);
    return out;
  };
  const withDependencies = (handle: AnyHandle): ModelResource[] => {
    const resource = live.get(handle)!;
    return [resource, ...resource.dependencies.flatMap((d) => withDependencies(d))];
  };
  const busy = (r: ModelResource) => r.untiedUse || r.openEncoders.size > 0 || r.tiedInFlight;
  const forget = (resource: ModelResource) => {
    live.delete(resource.handle);
    removed.push(resource);
  };
  const destroyInModel = (handle: AnyHandle, cascade: boolean): void => {
    const resource = live.get(handle)!;
    if ((resource as { owned?: boolean }).owned === false) {
      // Its owner already destroyed it; only retains keep it: a second destroy is a RefCountError.
      try {
        manager.destroy(handle, { cascade });
      } catch (error) {
        if (error instanceof RefCountError) return;
        fail(`second destroy threw ${String(error)}`);
      }
      fail('a second destroy of an owner-destroyed resource did not throw');
    }
    const dependents = [...live.values()].filter((r) => r.dependencies.includes(handle));
    const all = subtree(handle);
    const blocked = dependents.length > 0 && (!cascade || all.some((r) => r !== resource && r.retains > 0));
    // The model moves first: listeners run inside manager.destroy and must see the model's new state.
    const ownerOnly = resource.retains > 0;
    if (ownerOnly) (resource as { owned?: boolean }).owned = false;
    else if (!blocked) for (const r of all) forget(r);
    let threw: unknown;
    try {
      manager.destroy(handle, { cascade });
    } catch (error) {
      threw = error;
    }
    if (ownerOnly || !blocked) {
      if (threw !== undefined) fail(`destroy threw ${String(threw)}`);
    } else if (!(threw instanceof ResourceInUseError)) {
      fail(`destroy of a used resource did not throw ResourceInUseError: ${String(threw)}`);
    }
  };

  // The re-entrant listener: every seventh destroy event destroys one more leaf resource, through the model.
  let events = 0;
  let ending = false;
  manager.on('destroy', () => {
    events++;
    if (ending) return;
    if (events % 7 !== 0) return;
    const leaf = [...live.values()].find(
      (r) => r.retains === 0 && ![...live.values()].some((o) => o.dependencies.includes(r.handle)),
    );
    if (leaf) destroyInModel(leaf.handle, false);
  });

  const createTexture = () => {
    const side = 1 + Math.floor(next() * 8);
    const handle = manager.createTexture({
      label: `t${step}`,
      size: [side, side],
      format: 'rgba8unorm',
      usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_DST,
    });
    live.set(handle, {
      handle,
      kind: 'texture',
      bytes: side * side * 4,
      dependencies: [],
      retains: 0,
      object: manager.gpu(handle),
      ...idle(),
    });
    created++;
  };
  const ops: (() => void | Promise<void>)[] = [
    createTexture,
    createTexture,
    () => {
      const size = 4 * (1 + Math.floor(next() * 64));
      const handle = manager.createBuffer({ label: `b${step}`, size, usage: 0x08 | 0x20 });
      live.set(handle, {
        handle,
        kind: 'buffer',
        bytes: size,
        dependencies: [],
        retains: 0,
        object: manager.gpu(handle),
        ...idle(),
      });
      created++;
    },
    () => {
      const texture = pick([...live.values()].filter((r) => r.kind === 'texture'));
      if (!texture) return;
      const handle = manager.createRenderTarget({
        label: `rt${step}`,
        color: [texture.handle as Handle<'texture'>],
      });
      live.set(handle, {
        handle,
        kind: 'renderTarget',
        bytes: 0,
        dependencies: [texture.handle],
        retains: 0,
        object: manager.gpu(handle),
        ...idle(),
      });
      created++;
    },
    () => {
      const resource = pick([...live.values()]);
      if (resource) destroyInModel(resource.handle, next() < 0.5);
    },
    () => {
      const resource = pick([...live.values()]);
      if (!resource) return;
      manager.retain(resource.handle as Handle<'texture'>);
      resource.retains++;
    },
    () => {
      const resource = pick([...live.values()].filter((r) => r.retains > 0));
      if (!resource) return;
      const owned = (resource as { owned?: boolean }).owned !== false;
      if (!owned && resource.retains === 1) {
        const dependents = [...live.values()].some((r) => r.dependencies.includes(resource.handle));
        if (dependents) return; // its last release would be refused while dependents live
        manager.release(resource.handle);
        forget(resource);
        return;
      }
      manager.release(resource.handle);
      resource.retains--;
    },
    () => {
      const resource = pick([...live.values()]);
      if (!resource) return;
      manager.use(resource.handle);
      for (const r of withDependencies(resource.handle)) r.untiedUse = true;
    },
    () => {
      const resource = pick([...live.values()]);
      const encoder = pick(encoders)!;
      if (!resource) return;
      manager.useIn(encoder as never, resource.handle);
      for (const r of withDependencies(resource.handle)) r.openEncoders.add(encoder);
    },
    () => {
      const index = Math.floor(next() * encoders.length);
      const encoder = encoders[index]!;
      target.submitEncoder(encoder);
      markSubmitted(encoder);
      encoders[index] = target.newEncoder();
    },
    () => target.submitEmpty(),
    async () => {
      await target.complete();
      for (const r of [...live.values(), ...removed]) {
        r.untiedUse = false;
        r.tiedInFlight = false;
      }
    },
  ];
  function markSubmitted(encoder: unknown): void {
    for (const r of [...live.values(), ...removed]) {
      if (r.openEncoders.delete(encoder)) r.tiedInFlight = true;
    }
  }

  const check = () => {
    if (failure) throw failure;
    const actual = new Set<AnyHandle>([...manager.resources()].map((r) => r.handle));
    if (actual.size !== live.size || [...live.keys()].some((h) => !actual.has(h))) {
      fail(`live set differs: manager ${actual.size}, model ${live.size}`);
    }
    const usage = manager.usageStats();
    for (const kind of ['texture', 'buffer', 'renderTarget'] as const) {
      const mine = [...live.values()].filter((r) => r.kind === kind);
      const bytes = mine.reduce((sum, r) => sum + r.bytes, 0);
      const { bytes: ledgerBytes, count } = usage.byKind[kind];
      if (ledgerBytes !== bytes || count !== mine.length) {
        fail(`${kind}: ledger ${ledgerBytes} B / ${count}, model ${bytes} B / ${mine.length}`);
      }
    }
    for (const resource of live.values()) {
      if (target.freedCount(resource.object) !== 0) fail(`a live ${resource.kind}'s GPU object was freed`);
    }
    for (const resource of removed) {
      if (manager.has(resource.handle)) fail('a destroyed handle still resolves');
      if (target.freedCount(resource.object) > 1) fail(`a ${resource.kind} was freed twice`);
      if (busy(resource) && target.freedCount(resource.object) !== 0) {
        fail(`a ${resource.kind} was freed while work that uses it had not completed`);
      }
    }
  };

  for (step = 0; step < options.operations; step++) {
    await ops[Math.floor(next() * ops.length)]!();
    check();
  }
  for (const encoder of encoders) {
    target.submitEncoder(encoder);
    markSubmitted(encoder);
  }
  await target.complete();
  // The model learns that everything completed too, or frees that rightly ran now look premature.
  for (const r of [...live.values(), ...removed]) {
    r.untiedUse = false;
    r.tiedInFlight = false;
  }
  check();
  ending = true;
  manager.dispose();
  if (failure) throw failure;
  for (const resource of [...removed, ...live.values()]) {
    if (resource.kind !== 'renderTarget' && target.freedCount(resource.object) !== 1) {
      fail(
        `after dispose a ${resource.kind} was freed ${target.freedCount(resource.object)} times, not once`,
      );
    }
  }
  return { created, freed: removed.length + live.size };
}
