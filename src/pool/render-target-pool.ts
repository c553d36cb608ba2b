/**
 * A pool of transient render targets (post-processing buffers, shadow maps, blur ping-pongs) matched by their
 * exact descriptor: a 1000x700 target is never served by a 1024x1024 one, so there is no power-of-two
 * rounding and no hidden memory. Released targets wait idle in a `TtlCache` and are destroyed when their time
 * is up, so a resize or a one-off effect does not pin GPU memory forever. Everything goes through the
 * manager's public API, so the ledger counts every texture and render target the pool holds.
 */
import { TtlCache } from '../cache/ttl-cache.ts';
import { DisposedError, PoolReleaseError, ValidationError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { RenderTargetDescriptor } from '../resources/render-target.ts';
import type { TextureDescriptor } from '../resources/texture.ts';
import { TextureUsage } from '../resources/usage.ts';

/** The part of the manager the pool uses (a `ResourceManager` fits). */
export interface RenderTargetPoolHost {
  createTexture(desc: TextureDescriptor): Handle<'texture'>;
  createRenderTarget(desc: RenderTargetDescriptor): Handle<'renderTarget'>;
  destroy(handle: AnyHandle, options?: { cascade?: boolean }): void;
  has(handle: AnyHandle): boolean;
  get(handle: Handle<'texture'>): { readonly bytes: number } | undefined;
}

/** What a transient target looks like; two descriptors share targets only if every field matches. */
export interface TransientTargetDescriptor {
  /** Names the textures and render target created for it (not part of the match). */
  label?: string;
  width: number;
  height: number;
  /** The colour attachments' formats, in order (may be empty for a depth-only target). */
  color: readonly GPUTextureFormat[];
  depthStencil?: GPUTextureFormat;
  /** 1 (default) or 4. */
  sampleCount?: number;
  /** With sampleCount 4: a single-sampled resolve texture per colour attachment. Default false. */
  resolve?: boolean;
  /** Usage bits every attachment gets besides RENDER_ATTACHMENT. Default TEXTURE_BINDING. */
  usage?: number;
}

/** A target lent by the pool: use the handles, then give it back with `release`. */
export interface TransientTarget {
  /** The exact-match key of its descriptor. */
  readonly key: string;
  readonly renderTarget: Handle<'renderTarget'>;
  readonly color: readonly Handle<'texture'>[];
  /** Resolve textures, one per colour attachment, when the descriptor asked for them. */
  readonly resolve: readonly Handle<'texture'>[];
  readonly depthStencil: Handle<'texture'> | undefined;
  /** GPU bytes of its textures, as the ledger counts them. */
  readonly bytes: number;
}

/** Options of a {@link RenderTargetPool}. */
export interface RenderTargetPoolOptions {
  /** How long a released target may stay idle before it is destroyed, in ms. Default 5000. */
  ttlMs?: number;
  /** The clock, in ms (inject one for tests or frame-based time). Default `performance.now()`. */
  now?: () => number;
  /** Most idle targets kept; past it the one closest to expiry is destroyed. Default unbounded. */
  maxIdle?: number;
}

/** Counters of a {@link RenderTargetPool}. */
export interface RenderTargetPoolStats {
  readonly idle: number;
  readonly inUse: number;
  /** Texture bytes of the idle targets. */
  readonly idleBytes: number;
  /** Targets created, acquisitions served by an idle target, and idle targets destroyed (expired or evicted). */
  readonly created: number;
  readonly reused: number;
  readonly destroyed: number;
}

/**
 * Lends render targets by exact descriptor and destroys idle ones after a TTL.
 *
 * @example
 * const targets = new RenderTargetPool(manager, { ttlMs: 2000 });
 * const bloom = targets.acquire({ label: 'bloom', width: w / 2, height: h / 2, color: ['rgba16float'] });
 * encoder.beginRenderPass(manager.renderPass(bloom.renderTarget)).end();
 * targets.release(bloom); // reused by the next acquire of the same descriptor
 */
export class RenderTargetPool implements Disposable {
  private readonly manager: RenderTargetPoolHost;
  /** Idle targets and their expiry; the value is the target's key. */
  private readonly idle: TtlCache<TransientTarget, string>;
  /** Idle targets per key, most recently released last. */
  private readonly idleByKey = new Map<string, TransientTarget[]>();
  private readonly lent = new Set<TransientTarget>();
  private idleCount = 0;
  private idleBytes = 0;
  private created = 0;
  private reused = 0;
  private destroyed = 0;
  private closed = false;

  /**
   * @example
   * let t = 0;
   * const pool = new RenderTargetPool(manager, { ttlMs: 1000, now: () => t });
   */
  constructor(manager: RenderTargetPoolHost, options: RenderTargetPoolOptions = {}) {
    this.manager = manager;
    this.idle = new TtlCache<TransientTarget, string>({
      ttlMs: options.ttlMs ?? 5000,
      now: options.now,
      maxEntries: options.maxIdle,
      // 'deleted' is an acquire taking the target for reuse; every other way out destroys it.
      onDispose: (target, _key, reason) => {
        if (reason === 'deleted') return;
        this.forgetIdle(target);
        this.destroyTarget(target);
        this.destroyed++;
      },
    });
  }

  /**
   * An idle target with exactly this descriptor, or a new one. Expired idle targets are destroyed first.
   *
   * @throws ValidationError for a bad descriptor (nothing is left half-created); DisposedError after close.
   * @example
   * const shadow = pool.acquire({ width: 2048, height: 2048, color: [], depthStencil: 'depth32float' });
   */
  acquire(desc: TransientTargetDescriptor): TransientTarget {
    if (this.closed) throw new DisposedError('render target pool', 'acquire');
    this.idle.clearExpired();
    const key = keyOf(desc);
    const stack = this.idleByKey.get(key);
    while (stack !== undefined && stack.length > 0) {
      const target = stack[stack.length - 1]!;
      // delete() is false when its time ran out meanwhile: then onDispose destroyed it; try the next one.
      if (this.idle.delete(target)) {
        this.forgetIdle(target);
        this.reused++;
        this.lent.add(target);
        return target;
      }
      this.forgetIdle(target); // normally done by onDispose already; guarantees progress
    }
    const target = this.create(desc, key);
    this.created++;
    this.lent.add(target);
    return target;
  }

  /**
   * Gives a target back; it stays idle for the TTL. After `close`, it is destroyed at once.
   *
   * @throws PoolReleaseError when the target is not lent by this pool (released twice, or foreign).
   * @example
   * pool.release(bloom);
   */
  release(target: TransientTarget): void {
    if (!this.lent.has(target)) {
      throw new PoolReleaseError(
        'render target pool',
        target?.key,
        'the target is not lent by this pool (released twice, or acquired elsewhere)',
      );
    }
    this.lent.delete(target);
    if (this.closed) {
      this.destroyTarget(target);
      this.destroyed++;
      return;
    }
    const stack = this.idleByKey.get(target.key);
    if (stack === undefined) this.idleByKey.set(target.key, [target]);
    else stack.push(target);
    this.idleCount++;
    this.idleBytes += target.bytes;
    this.idle.set(target, target.key);
    this.idle.clearExpired();
  }

  /**
   * Destroys the idle targets whose TTL ran out; returns how many. `acquire` and `release` do this too.
   * @example setInterval(() => pool.trim(), 1000);
   */
  trim(): number {
    return this.idle.clearExpired();
  }

  /**
   * Destroys every idle target now (e.g. after a resize made them useless).
   * @example window.addEventListener('resize', () => pool.clear());
   */
  clear(): void {
    this.idle.clear();
  }

  /**
   * Destroys the idle targets and refuses new acquires; lent targets are destroyed when released. Idempotent.
   * @example pool.close();
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clear();
  }

  /** Same as {@link close}. @example { using pool = new RenderTargetPool(manager); } */
  [Symbol.dispose](): void {
    this.close();
  }

  /** O(1) counters. @example const { idle, idleBytes } = pool.stats(); */
  stats(): RenderTargetPoolStats {
    return {
      idle: this.idleCount,
      inUse: this.lent.size,
      idleBytes: this.idleBytes,
      created: this.created,
      reused: this.reused,
      destroyed: this.destroyed,
    };
  }

  private forgetIdle(target: TransientTarget): void {
    const stack = this.idleByKey.get(target.key);
    const index = stack?.lastIndexOf(target) ?? -1;
    if (stack === undefined || index < 0) return;
    stack.splice(index, 1);
    if (stack.length === 0) this.idleByKey.delete(target.key);
    this.idleCount--;
    this.idleBytes -= target.bytes;
  }

  private create(desc: TransientTargetDescriptor, key: string): TransientTarget {
    const label = desc.label ?? 'transient';
    const sampleCount = desc.sampleCount ?? 1;
    const usage = TextureUsage.RENDER_ATTACHMENT | (desc.usage ?? TextureUsage.TEXTURE_BINDING);
    const size = [desc.width, desc.height];
    const made: Handle<'texture'>[] = [];
    const texture = (suffix: string, format: GPUTextureFormat, samples: number) => {
      const handle = this.manager.createTexture({
        label: `${label} ${suffix}`,
        size,
        format,
        usage,
        sampleCount: samples,
      });
      made.push(handle);
      return handle;
    };
    try {
      const color = desc.color.map((format, i) => texture(`color[${i}]`, format, sampleCount));
      const resolve = desc.resolve ? desc.color.map((format, i) => texture(`resolve[${i}]`, format, 1)) : [];
      const depthStencil = desc.depthStencil && texture('depthStencil', desc.depthStencil, sampleCount);
      const renderTarget = this.manager.createRenderTarget({
        label,
        color: color.map((t, i) => ({ texture: t, resolveTarget: resolve[i] })),
        depthStencil,
      });
      const bytes = made.reduce((sum, h) => sum + (this.manager.get(h)?.bytes ?? 0), 0);
      return { key, renderTarget, color, resolve, depthStencil, bytes };
    } catch (error) {
      for (const handle of made.reverse()) this.manager.destroy(handle);
      throw error;
    }
  }

  private destroyTarget(target: TransientTarget): void {
    const { manager } = this;
    if (manager.has(target.renderTarget)) manager.destroy(target.renderTarget);
    for (const handle of [...target.color, ...target.resolve, target.depthStencil]) {
      if (handle !== undefined && manager.has(handle)) manager.destroy(handle);
    }
  }
}

/**
 * The exact-match key of a descriptor (label excluded).
 *
 * @example
 * transientTargetKey({ width: 1000, height: 700, color: ['rgba16float'] }) // '1000x700 s1 u4 c:rgba16float d:- r0'
 */
export function transientTargetKey(desc: TransientTargetDescriptor): string {
  return keyOf(desc);
}

function keyOf(desc: TransientTargetDescriptor): string {
  const { width, height } = desc;
  if (!(Number.isSafeInteger(width) && width > 0 && Number.isSafeInteger(height) && height > 0)) {
    throw new ValidationError(desc.label ?? 'transient', 'size', [width, height], 'must be integers > 0');
  }
  if (!Array.isArray(desc.color)) {
    throw new ValidationError(desc.label ?? 'transient', 'color', desc.color, 'must be an array of formats');
  }
  const usage = desc.usage ?? TextureUsage.TEXTURE_BINDING;
  return (
    `${width}x${height} s${desc.sampleCount ?? 1} u${usage} c:${desc.color.join(',')} ` +
    `d:${desc.depthStencil ?? '-'} r${desc.resolve ? 1 : 0}`
  );
}
