/**
 * The timeline of total bytes with creates and destroys, as data (drawing is draw-timeline.ts).
 *
 * - From one dump: a dump holds only the resources alive when it was taken, each with its `createdAt`, so the
 *   line is the bytes of those survivors over their creation times (staging is left out: it has no creation
 *   time), creates are their creation times, and destroys are only a count (`total.destroyed`): a dump has no
 *   destroy times.
 * - From a followed manager: every dump received is a sample (`time`, `total.bytes`), and the creates and
 *   destroys between two samples are the growth of `total.created` and `total.destroyed`.
 */
import type { ViewerDump } from './parse-dump.ts';

/** A point of the bytes line (a step: the value holds until the next point). */
export interface TimelinePoint {
  readonly t: number;
  readonly bytes: number;
}

/** Creates or destroys at one time. */
export interface TimelineEvent {
  readonly t: number;
  readonly count: number;
}

/** What the timeline panel draws. Times are the manager's clock, in ms. */
export interface Timeline {
  readonly start: number;
  readonly end: number;
  readonly points: readonly TimelinePoint[];
  readonly creates: readonly TimelineEvent[];
  readonly destroys: readonly TimelineEvent[];
  /** One line saying where the figures come from (drawn under the panel). */
  readonly note: string;
}

/**
 * The timeline one dump can tell: the survivors' bytes by creation time.
 *
 * @example
 * const timeline = timelineFromDump(dump);
 * timeline.points.at(-1)?.bytes; // bytes of every live resource in the dump
 */
export function timelineFromDump(dump: ViewerDump): Timeline {
  const live = dump.resources.filter((r) => r.state === 'live').sort((a, b) => a.createdAt - b.createdAt);
  const points: TimelinePoint[] = [];
  const creates: TimelineEvent[] = [];
  let bytes = 0;
  for (const resource of live) {
    bytes += resource.bytes;
    const last = points.at(-1);
    if (last && last.t === resource.createdAt) {
      points[points.length - 1] = { t: last.t, bytes };
      const event = creates.at(-1)!;
      creates[creates.length - 1] = { t: event.t, count: event.count + 1 };
    } else {
      points.push({ t: resource.createdAt, bytes });
      creates.push({ t: resource.createdAt, count: 1 });
    }
  }
  const start = live[0]?.createdAt ?? dump.time;
  return {
    start,
    end: Math.max(dump.time, start),
    points: points.length > 0 ? [...points, { t: Math.max(dump.time, start), bytes }] : [],
    creates,
    destroys: [],
    note:
      `bytes of the ${live.length} live resources by creation time; ${dump.total.created} created and ` +
      `${dump.total.destroyed} destroyed in all (a dump has no destroy times)`,
  };
}

/**
 * Samples of a followed manager: one per dump received, at most `capacity` (the oldest are dropped).
 *
 * @example
 * const followed = new FollowedTimeline();
 * followed.add(dump);
 * draw(followed.timeline());
 */
export class FollowedTimeline {
  private readonly samples: { t: number; bytes: number; created: number; destroyed: number }[] = [];

  constructor(private readonly capacity = 600) {}

  /** Samples held. */
  get size(): number {
    return this.samples.length;
  }

  /**
   * Adds a dump's figures. A dump older than the last sample, or with fewer creates, comes from another
   * manager (or a reloaded page): the samples start again.
   */
  add(dump: ViewerDump): void {
    const last = this.samples.at(-1);
    if (last && (dump.time < last.t || dump.total.created < last.created)) this.samples.length = 0;
    this.samples.push({
      t: dump.time,
      bytes: dump.total.bytes,
      created: dump.total.created,
      destroyed: dump.total.destroyed,
    });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** Forgets every sample. */
  clear(): void {
    this.samples.length = 0;
  }

  /** The samples as a timeline. */
  timeline(): Timeline {
    const creates: TimelineEvent[] = [];
    const destroys: TimelineEvent[] = [];
    for (let i = 1; i < this.samples.length; i++) {
      const [before, after] = [this.samples[i - 1]!, this.samples[i]!];
      if (after.created > before.created) creates.push({ t: after.t, count: after.created - before.created });
      if (after.destroyed > before.destroyed) {
        destroys.push({ t: after.t, count: after.destroyed - before.destroyed });
      }
    }
    const first = this.samples[0];
    const last = this.samples.at(-1);
    return {
      start: first?.t ?? 0,
      end: last?.t ?? 0,
      points: this.samples.map(({ t, bytes }) => ({ t, bytes })),
      creates,
      destroys,
      note: `${this.samples.length} samples of the followed manager's total bytes; creates and destroys between samples`,
    };
  }
}
