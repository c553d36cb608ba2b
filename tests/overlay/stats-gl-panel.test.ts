import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/index.ts';
import { addStatsGlMemoryPanel } from '../../src/overlay/stats-gl-panel.ts';

/** The shape of stats-gl 4.x's Panel (lib/panel.ts): a name and colours in, update and updateGraph calls. */
class FakePanel {
  readonly calls: [string, ...number[]][] = [];
  constructor(
    readonly name: string,
    readonly fg: string,
    readonly bg: string,
  ) {}
  update(value: number, max: number, decimals = 0) {
    this.calls.push(['update', value, max, decimals]);
  }
  updateGraph(value: number, max: number) {
    this.calls.push(['updateGraph', value, max]);
  }
}

/** The shape of stats-gl's Stats: `static Panel` and `addPanel`. */
class FakeStats {
  static Panel = FakePanel;
  readonly panels: FakePanel[] = [];
  addPanel(panel: FakePanel) {
    this.panels.push(panel);
    return panel;
  }
}

const source = (totalBytes: number, peakBytes: number) => ({
  stats: () => ({ totalBytes, peakBytes }) as never,
  onUsage: () => () => {},
});

afterEach(() => {
  vi.useRealTimers();
});

describe('stats-gl memory panel', () => {
  it("adds one panel through stats.addPanel with stats-gl's own Panel class, fed in MiB against the peak", () => {
    vi.useFakeTimers();
    const stats = new FakeStats();
    const memory = addStatsGlMemoryPanel(stats, source(3 * 2 ** 20, 8 * 2 ** 20));
    expect(stats.panels).toHaveLength(1);
    const panel = stats.panels[0]!;
    expect(panel.name).toBe('MB');
    expect(panel.calls).toEqual([
      ['update', 3, 8, 1],
      ['updateGraph', 3, 8],
    ]);
    vi.advanceTimersByTime(500);
    expect(panel.calls).toHaveLength(6); // two more columns at 250 ms
    memory.destroy();
    vi.advanceTimersByTime(1000);
    expect(panel.calls).toHaveLength(6);
  });

  it('measures against the budget when given', () => {
    const stats = new FakeStats();
    const memory = addStatsGlMemoryPanel(stats, source(2 ** 20, 2 ** 20), {
      budgetBytes: 256 * 2 ** 20,
      name: 'VRAM',
    });
    expect(stats.panels[0]!.calls[0]).toEqual(['update', 1, 256, 1]);
    expect(stats.panels[0]!.name).toBe('VRAM');
    memory.destroy();
  });

  it('refuses what is not stats-gl, a manager or a valid option, and adds nothing then', () => {
    const stats = new FakeStats();
    expect(() => addStatsGlMemoryPanel({} as never, source(0, 0))).toThrow(ValidationError);
    expect(() => addStatsGlMemoryPanel(stats, {} as never)).toThrow(/'stats-gl memory panel': source = /);
    expect(() => addStatsGlMemoryPanel({ addPanel: (p: never) => p }, source(0, 0))).toThrow(
      /Panel = undefined/,
    );
    expect(() => addStatsGlMemoryPanel(stats, source(0, 0), { budgetBytes: 0 })).toThrow(
      /budgetBytes = 0 is invalid/,
    );
    expect(() => addStatsGlMemoryPanel(stats, source(0, 0), { intervalMs: 1 })).toThrow(
      /intervalMs = 1 is invalid/,
    );
    expect(() => addStatsGlMemoryPanel(stats, source(0, 0), { name: 5 as never })).toThrow(
      /name = 5 is invalid/,
    );
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => addStatsGlMemoryPanel(hostile as never, source(0, 0))).toThrow(ValidationError);
    expect(stats.panels).toHaveLength(0);
  });
});
