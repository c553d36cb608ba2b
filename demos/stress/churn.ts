/**
 * The stress demo's workload: a ring of live handles; each step destroys the oldest and creates a new resource
 * in its place, so the number of live resources is fixed and every create can reuse the slot just freed.
 * Sizes follow the step number, so the ledger's total moves inside a known band and never drifts.
 */
import {
  type BackendObjects,
  BufferUsage,
  type Handle,
  type ResourceManager,
  TextureUsage,
  unpackHandle,
} from '../../src/index.ts';

/** Buffer sizes, cycled: 256 B to 4 KiB. */
const BUFFER_SIZES = [256, 512, 1024, 2048, 4096] as const;
/** Texture edges, cycled (rgba8unorm, one mip): 16x16 to 64x64. */
const TEXTURE_EDGES = [16, 32, 64] as const;

/** What the churn creates. */
export type ChurnHandle = Handle<'buffer'> | Handle<'texture'>;

/** Figures of a churn, updated at every step (plain numbers: reading them costs nothing). */
export interface ChurnFigures {
  created: number;
  destroyed: number;
  maxSlotIndex: number;
  maxGeneration: number;
  lastHandle: ChurnHandle | undefined;
}

/**
 * Creates and destroys resources in a fixed-size ring.
 *
 * @example
 * const churn = new Churn(manager, 512);
 * churn.step(1000); // 1000 destroys + 1000 creates once the ring is full
 * churn.clear();
 */
export class Churn<B extends BackendObjects> {
  readonly figures: ChurnFigures = {
    created: 0,
    destroyed: 0,
    maxSlotIndex: -1,
    maxGeneration: 0,
    lastHandle: undefined,
  };
  private ring: (ChurnHandle | undefined)[];
  private cursor = 0;

  constructor(
    private readonly manager: ResourceManager<B>,
    windowSize: number,
  ) {
    this.ring = new Array(checkWindow(windowSize)).fill(undefined);
  }

  /** Live resources the ring keeps. */
  get windowSize(): number {
    return this.ring.length;
  }

  /** Most bytes the ring can hold at once: every slot holding the largest resource. A bound for tests. */
  get maxBytes(): number {
    return this.ring.length * Math.max(BUFFER_SIZES.at(-1)!, TEXTURE_EDGES.at(-1)! ** 2 * 4);
  }

  /**
   * Runs `count` steps: each destroys the ring's oldest resource (once full) and creates a new one.
   *
   * @example
   * churn.step(64);
   */
  step(count: number): void {
    const { manager, figures, ring } = this;
    for (let i = 0; i < count; i++) {
      const slot = this.cursor % ring.length;
      const old = ring[slot];
      if (old !== undefined) {
        manager.destroy(old);
        figures.destroyed++;
      }
      const handle = this.create(this.cursor);
      ring[slot] = handle;
      this.cursor++;
      figures.created++;
      figures.lastHandle = handle;
      const { index, generation } = unpackHandle(handle);
      if (index > figures.maxSlotIndex) figures.maxSlotIndex = index;
      if (generation > figures.maxGeneration) figures.maxGeneration = generation;
    }
  }

  /** Destroys every live resource of the ring. */
  clear(): void {
    for (const handle of this.ring) {
      if (handle !== undefined && this.manager.has(handle)) {
        this.manager.destroy(handle);
        this.figures.destroyed++;
      }
    }
    this.ring.fill(undefined);
  }

  /** Clears, then keeps `windowSize` resources from now on. */
  resize(windowSize: number): void {
    this.clear();
    this.ring = new Array(checkWindow(windowSize)).fill(undefined);
    this.cursor = 0;
  }

  /** Handles of the ring, for the page's "latest handles" table. */
  recent(count: number): ChurnHandle[] {
    const out: ChurnHandle[] = [];
    for (let i = 1; i <= Math.min(count, this.ring.length); i++) {
      const handle = this.ring[(this.cursor - i + this.ring.length * 2) % this.ring.length];
      if (handle !== undefined) out.push(handle);
    }
    return out;
  }

  private create(n: number): ChurnHandle {
    // Every fourth resource is a texture, the rest buffers: both kinds of slot reuse show in the table.
    if (n % 4 === 3) {
      const edge = TEXTURE_EDGES[(n >> 2) % TEXTURE_EDGES.length]!;
      return this.manager.createTexture({
        label: 'stress texture',
        size: [edge, edge],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
      });
    }
    return this.manager.createBuffer({
      label: 'stress buffer',
      size: BUFFER_SIZES[n % BUFFER_SIZES.length]!,
      usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
    });
  }
}

function checkWindow(windowSize: number): number {
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > 100_000) {
    throw new RangeError(`live window = ${windowSize} is invalid: must be an integer from 1 to 100000`);
  }
  return windowSize;
}
