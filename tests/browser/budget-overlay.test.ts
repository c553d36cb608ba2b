/**
 * The stats overlay's budget and restore rows in Chromium, on a real WebGPU manager: with a budget it shows the
 * manager's budget, resident, evicted and host bytes and the eviction and re-upload rates (read from the panel's
 * DOM and compared with the manager's own figures); without one those rows stay hidden; after a device loss it
 * shows the lost resources, then the restore.
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src/overlay/format.ts';
import { useWebGPUTestPage } from './pages/webgpu-harness.ts';

const harness = useWebGPUTestPage();

/** The text of every residency figure of the page's overlay, and whether each row is shown. */
function readResidencyRows(): Record<string, { text: string; shown: boolean }> {
  const root = document.querySelector('[data-gpu-handles-overlay]')?.shadowRoot;
  if (!root) throw new Error('no overlay on the page');
  const out: Record<string, { text: string; shown: boolean }> = {};
  for (const stat of [
    'managerBudget',
    'residentBytes',
    'evictedBytes',
    'hostBytes',
    'evictionRate',
    'reuploadRate',
    'lostCount',
    'lastRestore',
  ]) {
    const element = root.querySelector<HTMLElement>(`[data-stat="${stat}"]`);
    if (!element) throw new Error(`overlay has no [data-stat="${stat}"]`);
    out[stat] = { text: element.textContent ?? '', shown: element.checkVisibility() };
  }
  return out;
}

describe('stats overlay: budget and restore rows', () => {
  it('shows budget, resident, evicted and host bytes and the eviction rates of a manager with a budget', async () => {
    const r = await harness.page.evaluate(async (readRows) => {
      const read = new Function(`return (${readRows})()`) as () => Record<
        string,
        { text: string; shown: boolean }
      >;
      const { createResourceManager, createStatsOverlay, TextureUsage } = window.lib;
      const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
      const budget = 256 * 1024;
      const manager = createResourceManager({
        device,
        budget: { bytes: budget },
        staging: { uploadChunkBytes: 1 << 14, maxChunkBytes: 1 << 14, keepBytes: 1 << 14, idleMs: 0 },
      });
      const overlay = createStatsOverlay(manager, { sampleIntervalMs: 200, minUpdateIntervalMs: 16 });
      const textures = [];
      for (let i = 0; i < 32; i++) {
        const t = manager.createTexture({
          label: `tile${i}`,
          size: [64, 64],
          format: 'rgba8unorm',
          usage: TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
          content: 'keep',
          residency: 'evictable',
        });
        manager.uploadTexture(t, new Uint8Array(64 * 64 * 4).fill(i), {}, [64, 64]);
        manager.flush();
        textures.push(t);
        manager.frame();
        await device.queue.onSubmittedWorkDone();
      }
      // Use them round-robin for a while: evicted ones come back (re-uploads), others go.
      const started = performance.now();
      for (let frame = 0; performance.now() - started < 900; frame++) {
        manager.gpu(textures[frame % textures.length]!);
        manager.flush();
        manager.frame();
        await device.queue.onSubmittedWorkDone();
      }
      overlay.refresh();
      const rows = read();
      const usage = manager.usageStats();
      const residency = manager.residencyStats();
      overlay.destroy();
      manager.dispose();

      // Without a budget the rows stay hidden.
      const plain = createResourceManager({ device });
      const plainOverlay = createStatsOverlay(plain);
      const plainRows = read();
      plainOverlay.destroy();
      plain.dispose();
      device.destroy();
      return {
        rows,
        plainRows,
        budget,
        resident: usage.totalBytes + usage.pendingFreeBytes,
        evicted: usage.evicted.bytes,
        host: usage.hostBytes,
        evictions: residency.evictions,
        reuploaded: residency.reuploadedBytes,
      };
    }, readResidencyRows.toString());
    console.log(
      `[overlay budget] ${JSON.stringify(Object.fromEntries(Object.entries(r.rows).map(([k, v]) => [k, v.text])))}; ${r.evictions} evictions, ${r.reuploaded} B re-uploaded`,
    );
    expect(r.evictions).toBeGreaterThan(0);
    expect(r.reuploaded).toBeGreaterThan(0);
    expect(r.rows.managerBudget).toEqual({ text: formatBytes(r.budget), shown: true });
    expect(r.rows.residentBytes).toEqual({ text: formatBytes(r.resident), shown: true });
    expect(r.rows.evictedBytes).toEqual({ text: formatBytes(r.evicted), shown: true });
    expect(r.rows.hostBytes).toEqual({ text: formatBytes(r.host), shown: true });
    expect(r.evicted).toBeGreaterThan(0);
    expect(r.host).toBe(32 * 64 * 64 * 4); // every tile's kept copy
    // Rates over the last second: the loop evicted and re-uploaded all along.
    expect(Number(r.rows.evictionRate!.text.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(r.rows.reuploadRate!.text).toMatch(/^[1-9][\d.,]* (B|KiB|MiB)\/s$/);
    expect(r.rows.lostCount!.shown).toBe(false);
    expect(r.rows.lastRestore!.shown).toBe(false);
    for (const stat of ['managerBudget', 'residentBytes', 'evictedBytes', 'hostBytes', 'evictionRate']) {
      expect(r.plainRows[stat]!.shown, stat).toBe(false);
    }
    expect(harness.errors).toEqual([]);
  }, 120_000);

  it('shows the lost resources during a device loss, then the restore', async () => {
    const r = await harness.page.evaluate(async (readRows) => {
      const read = new Function(`return (${readRows})()`) as () => Record<
        string,
        { text: string; shown: boolean }
      >;
      const { createResourceManager, createStatsOverlay, BufferUsage } = window.lib;
      const newDevice = async () => (await navigator.gpu.requestAdapter())!.requestDevice();
      const devices = [await newDevice()];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const manager = createResourceManager({
        device: devices[0]!,
        restore: async () => {
          await gate; // the test reads the lost state first
          const device = await newDevice();
          devices.push(device);
          return device;
        },
      });
      const overlay = createStatsOverlay(manager, { minUpdateIntervalMs: 16 });
      for (let i = 0; i < 10; i++) {
        const b = manager.createBuffer({
          label: `b${i}`,
          size: 256,
          usage: BufferUsage.COPY_DST,
          content: 'keep',
        });
        manager.upload(b, 0, new Uint8Array(256).fill(i));
      }
      manager.createBuffer({ label: 'no source', size: 1024, usage: BufferUsage.COPY_DST });
      manager.flush();
      const lost = new Promise<void>((resolve) => manager.on('lost', () => resolve()));
      const restored = new Promise<number>((resolve) =>
        manager.on('restored', (report) => resolve(report.durationMs)),
      );
      devices[0]!.destroy();
      await lost;
      overlay.refresh();
      const whileLost = read();
      release();
      const durationMs = await restored;
      overlay.refresh();
      const after = read();
      overlay.destroy();
      manager.dispose();
      for (const d of devices) d.destroy();
      return { whileLost, after, durationMs };
    }, readResidencyRows.toString());
    console.log(
      `[overlay restore] lost: ${r.whileLost.lostCount!.text}; restore: ${r.after.lastRestore!.text}`,
    );
    expect(r.whileLost.lostCount).toEqual({
      text: `${formatCount(11)} (${formatBytes(10 * 256 + 1024)})`,
      shown: true,
    });
    expect(r.whileLost.lastRestore!.shown).toBe(false);
    expect(r.after.lostCount!.shown).toBe(false);
    expect(r.after.lastRestore).toEqual({
      text: `11 in ${Math.round(r.durationMs)} ms (1 empty)`,
      shown: true,
    });
    expect(harness.errors).toEqual([]);
  }, 120_000);
});
