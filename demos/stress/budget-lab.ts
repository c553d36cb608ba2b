/**
 * The stress page's budget lab: a second manager on the same device with a memory budget (the slider), holding
 * a set of evictable textures whose contents are kept ('keep'). Each frame a Zipf-distributed handful of them
 * is used through `gpu()`; what the budget cannot hold is evicted and comes back when used again. Its own
 * overlay shows the budget, resident, evicted and host bytes and the eviction rates.
 */
import {
  type BackendObjects,
  createStatsOverlay,
  type ResourceManager,
  type StatsOverlay,
  TextureUsage,
} from '../../src/index.ts';

/** Textures of the lab and their side: 64 x 256 KiB = 16 MiB of evictable contents. */
export const LAB_TEXTURES = 64;
const SIDE = 256;
export const LAB_TEXTURE_BYTES = SIDE * SIDE * 4;
/** Textures used per frame, chosen by a Zipf (s = 1) law over a shuffled popularity order. */
const USES_PER_FRAME = 6;

/** What the lab's figures say, for the page and the tests. */
export interface BudgetLabFigures {
  readonly budgetBytes: number;
  readonly residentBytes: number;
  readonly evictedBytes: number;
  readonly evictions: number;
  readonly reuploadedBytes: number;
  readonly frames: number;
}

/**
 * A budget-bound manager and its frame loop. `setBudget` rebuilds it (a budget is fixed when a manager is
 * created).
 *
 * @example
 * const lab = new BudgetLab((budget) => createResourceManager({ device, budget: { bytes: budget } }), 8 << 20);
 * lab.start();
 */
export class BudgetLab<B extends BackendObjects> {
  private current: { manager: ResourceManager<B>; overlay: StatsOverlay; textures: number[] } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private frames = 0;
  private seed = 0x9e3779b9;
  private readonly cdf: number[];
  private readonly byRank: number[];

  constructor(
    private readonly createManager: (budgetBytes: number) => ResourceManager<B>,
    private budgetBytes: number,
  ) {
    const weights = Array.from({ length: LAB_TEXTURES }, (_, k) => 1 / (k + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    this.cdf = [];
    let running = 0;
    for (const w of weights) {
      running += w;
      this.cdf.push(running / total);
    }
    this.byRank = Array.from({ length: LAB_TEXTURES }, (_, i) => i);
    for (let i = LAB_TEXTURES - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [this.byRank[i], this.byRank[j]] = [this.byRank[j]!, this.byRank[i]!];
    }
    this.build();
  }

  /** The lab's manager (a new one after each `setBudget`). */
  get manager(): ResourceManager<B> {
    return this.current!.manager;
  }

  /** The lab's overlay. */
  get overlay(): StatsOverlay {
    return this.current!.overlay;
  }

  /** Runs a frame every 16 ms. */
  start(): void {
    this.timer ??= setInterval(() => this.frame(), 16);
  }

  /** Rebuilds the lab's manager with a new budget (its textures are created and uploaded again). */
  setBudget(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 1)
      throw new RangeError(`budget ${bytes} must be an integer >= 1`);
    this.budgetBytes = bytes;
    this.teardown();
    this.build();
  }

  /** The lab's current figures. */
  figures(): BudgetLabFigures {
    const { manager } = this.current!;
    const stats = manager.residencyStats();
    return {
      budgetBytes: this.budgetBytes,
      residentBytes: manager.counters.residentBytes,
      evictedBytes: manager.usageStats().evicted.bytes,
      evictions: stats.evictions,
      reuploadedBytes: stats.reuploadedBytes,
      frames: this.frames,
    };
  }

  /** Uses this frame's textures (evicted ones come back from their kept copies) and ends the frame. */
  frame(): void {
    const lab = this.current;
    if (!lab) return;
    for (let i = 0; i < USES_PER_FRAME; i++) lab.manager.gpu(lab.textures[this.zipf()] as never);
    lab.manager.flush();
    lab.manager.frame();
    this.frames++;
  }

  private build(): void {
    const manager = this.createManager(this.budgetBytes);
    const overlay = createStatsOverlay(manager, { title: 'budget lab', position: 'bottom-left' });
    const textures: number[] = [];
    const texels = new Uint8Array(LAB_TEXTURE_BYTES);
    for (let i = 0; i < LAB_TEXTURES; i++) {
      const texture = manager.createTexture({
        label: `lab tile ${i}`,
        size: [SIDE, SIDE],
        format: 'rgba8unorm',
        usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
        content: 'keep',
        residency: 'evictable',
      });
      texels.fill(i * 4);
      manager.uploadTexture(texture, texels, {}, [SIDE, SIDE]);
      manager.flush();
      manager.frame(); // loaded over frames, as a streaming engine would: the policy evicts the oldest first
      textures.push(texture);
    }
    this.current = { manager, overlay, textures };
  }

  private teardown(): void {
    this.current?.overlay.destroy();
    this.current?.manager.dispose();
    this.current = undefined;
  }

  private zipf(): number {
    const u = this.random();
    const rank = this.cdf.findIndex((c) => c >= u);
    return this.byRank[rank < 0 ? LAB_TEXTURES - 1 : rank]!;
  }

  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = Math.imul(this.seed ^ (this.seed >>> 15), 1 | this.seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
