/**
 * The viewer's state: the dump on show, where it came from, its timeline, the leak threshold, and the error
 * line. Every way of loading (file, paste, a followed page) ends in {@link DumpViewer.show} or in a refusal
 * shown on the page; a refused dump leaves the previous picture as it was.
 */
import { type DrawnView, drawDumpView } from './draw-view.ts';
import { parseDump, parseDumpText, type ViewerDump } from './parse-dump.ts';
import { FollowedTimeline, type Timeline, timelineFromDump } from './timeline.ts';

/** What is on show. */
export interface Shown {
  readonly dump: ViewerDump;
  readonly source: string;
  readonly drawn: DrawnView;
}

/**
 * Draws dumps into a canvas and reports refusals in an element.
 *
 * @example
 * const viewer = new DumpViewer(canvas, errorLine);
 * viewer.showText(await file.text(), `file ${file.name}`);
 */
export class DumpViewer {
  private current: { dump: ViewerDump; source: string; timeline: () => Timeline } | undefined;
  private drawn: DrawnView | undefined;
  private readonly followed = new FollowedTimeline();
  private followedId: string | undefined;
  private threshold = 30_000;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly errorLine: HTMLElement,
  ) {}

  /** The leak threshold in ms (see dump-model.ts); setting it redraws. */
  get thresholdMs(): number {
    return this.threshold;
  }

  set thresholdMs(ms: number) {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      this.fail(`leak threshold = ${String(ms)} is invalid: must be a number of seconds >= 0`);
      return;
    }
    this.threshold = ms;
    this.redraw();
  }

  /** What is drawn now, if anything. */
  get shown(): Shown | undefined {
    return this.current && this.drawn
      ? { dump: this.current.dump, source: this.current.source, drawn: this.drawn }
      : undefined;
  }

  /** Parses text (a file or a paste) and shows it; returns false (and shows why) when it is no dump. */
  showText(text: unknown, source: string): boolean {
    let dump: ViewerDump;
    try {
      dump = parseDumpText(text);
    } catch (error) {
      this.fail(`${source} is not a dump this viewer can read: ${message(error)}`);
      return false;
    }
    this.followedId = undefined;
    this.current = { dump, source, timeline: () => timelineFromDump(dump) };
    return this.redraw();
  }

  /**
   * Shows a dump received from a followed page and adds it to that page's timeline; a new page starts a new
   * timeline.
   */
  showFollowed(value: unknown, id: string, page: string): boolean {
    let dump: ViewerDump;
    try {
      dump = parseDump(value);
    } catch (error) {
      this.fail(`the dump sent by ${page} is not one this viewer can read: ${message(error)}`);
      return false;
    }
    if (this.followedId !== id) this.followed.clear();
    this.followedId = id;
    this.followed.add(dump);
    this.current = { dump, source: `following ${page}`, timeline: () => this.followed.timeline() };
    return this.redraw();
  }

  /** Draws the current dump again (after a threshold change). */
  redraw(): boolean {
    if (!this.current) return false;
    try {
      const { dump, source, timeline } = this.current;
      this.drawn = drawDumpView(this.canvas, {
        dump,
        source,
        timeline: timeline(),
        thresholdMs: this.threshold,
      });
    } catch (error) {
      this.fail(`drawing failed: ${message(error)}`);
      console.error(error);
      return false;
    }
    this.errorLine.textContent = '';
    return true;
  }

  private fail(text: string): void {
    this.errorLine.textContent = text;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
