/**
 * WebGL2 staging against careless input, in Chromium: flipY on readTexture (a known pattern read with and
 * without it), upload chunks counted as host memory (CPU `Uint8Array`s) and never as GPU staging bytes,
 * non-binary data and non-encoders refused with typed errors and nothing staged, a zero-length read of a
 * destroyed source rejected, and read ordering under a small upload cap.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 staging hardening', () => {
  it('flipY: a known pattern reads top-down by default and bottom-up with flipY (whole and a region)', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, TextureUsage } = window.lib;
      const m = createResourceManager({ gl: window.sharedGL() });
      const tex = m.createTexture({
        label: 'rows',
        size: [4, 3],
        format: 'rgba8unorm',
        usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING,
      });
      const pixels = Uint8Array.from({ length: 4 * 3 * 4 }, (_, i) => (i * 7 + 3) & 255);
      m.uploadTexture(tex, pixels, {}, [4, 3]);
      m.flush();
      const plain = [...(await m.readTexture(tex))];
      const flipped = [...(await m.readTexture(tex, { flipY: true }))];
      const part = [...(await m.readTexture(tex, { origin: [1, 1], size: [2, 2] }))];
      const partFlipped = [...(await m.readTexture(tex, { origin: [1, 1], size: [2, 2], flipY: true }))];
      m.dispose();
      return { pixels: [...pixels], plain, flipped, part, partFlipped };
    });
    const row = (y: number) => r.pixels.slice(y * 16, (y + 1) * 16);
    const cut = (y: number) => row(y).slice(4, 12);
    expect(r.plain).toEqual(r.pixels);
    expect(r.flipped).toEqual([...row(2), ...row(1), ...row(0)]);
    expect(r.part).toEqual([...cut(1), ...cut(2)]);
    expect(r.partFlipped).toEqual([...cut(2), ...cut(1)]);
  });

  it('upload chunks are host bytes (usageStats().hostBytes), not GPU staging bytes', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({ gl: window.sharedGL() });
      const buf = m.createBuffer({
        label: 'b',
        size: 4096,
        usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
      });
      const empty = m.usageStats();
      m.upload(buf, 0, new Uint8Array(4096).fill(9));
      const staged = { usage: m.usageStats(), staging: m.stagingStats() };
      m.flush();
      const bytes = await m.read(buf, 0, 16);
      const after = { usage: m.usageStats(), staging: m.stagingStats() };
      m.trimStaging({ keepBytes: 0, idleMs: 0 });
      const trimmed = m.usageStats();
      m.dispose();
      const pick = (u: typeof empty) => ({
        hostBytes: u.hostBytes,
        stagingBytes: u.byKind.staging.bytes,
        totalBytes: u.totalBytes,
        bufferBytes: u.byKind.buffer.bytes,
      });
      return {
        empty: pick(empty),
        staged: { ...pick(staged.usage), uploadBytes: staged.staging.upload.bytes },
        after: {
          ...pick(after.usage),
          uploadBytes: after.staging.upload.bytes,
          readbackBytes: after.staging.readback.bytes,
        },
        trimmed: pick(trimmed),
        bytes: [...bytes],
      };
    });
    expect(r.bytes).toEqual(new Array(16).fill(9));
    expect(r.empty).toEqual({ hostBytes: 0, stagingBytes: 0, totalBytes: 4096, bufferBytes: 4096 });
    expect(r.staged.uploadBytes).toBeGreaterThanOrEqual(4096);
    expect(r.staged.hostBytes).toBe(r.staged.uploadBytes); // CPU memory, counted as such
    expect(r.staged.stagingBytes).toBe(0); // and not as GPU staging
    expect(r.staged.totalBytes).toBe(4096); // GPU totals: the buffer alone
    // Readback buffers are GL buffers (GPU memory): those are GPU staging bytes.
    expect(r.after.stagingBytes).toBe(r.after.readbackBytes);
    expect(r.after.hostBytes).toBe(r.after.uploadBytes);
    expect(r.after.totalBytes).toBe(4096 + r.after.readbackBytes);
    expect(r.trimmed).toEqual({ hostBytes: 0, stagingBytes: 0, totalBytes: 4096, bufferBytes: 4096 });
  });

  it('non-binary data, a non-encoder and a zero-length read of a destroyed buffer: typed errors, nothing staged', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, BufferUsage, TextureUsage, GpuHandlesError } = window.lib;
      const m = createResourceManager({ gl: window.sharedGL() });
      const buf = m.createBuffer({
        label: 'kept',
        size: 64,
        usage: BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
      });
      const tex = m.createTexture({
        label: 'kept-tex',
        size: [4, 4],
        format: 'rgba8unorm',
        usage: TextureUsage.COPY_DST | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING,
      });
      m.upload(buf, 0, new Uint8Array(64).fill(5));
      m.flush();
      const figures = () => JSON.stringify({ s: m.stagingStats().upload, u: m.usageStats() });
      const before = figures();
      const outcomes: string[] = [];
      const attempt = (name: string, call: () => unknown) => {
        try {
          call();
          outcomes.push(`${name}: accepted`);
        } catch (e) {
          outcomes.push(
            `${name}: ${e instanceof GpuHandlesError ? 'typed' : 'UNTYPED'} ${(e as Error).message}`,
          );
        }
      };
      for (const [name, value] of [
        ['16', 16],
        ["'abcd'", 'abcd'],
        ['[1,2,3,4]', [1, 2, 3, 4]],
        ['{}', {}],
        ['null', null],
      ] as const) {
        attempt(`upload ${name}`, () => m.upload(buf, 0, value as never));
        attempt(`uploadTexture ${name}`, () => m.uploadTexture(tex, value as never, {}, [4, 4]));
      }
      for (const [name, value] of [
        ['{}', {}],
        ['null', null],
        ['42', 42],
        ['the context', window.sharedGL()],
      ] as const) {
        attempt(`flush ${name}`, () => m.flush(value as never));
      }
      const unchanged = figures() === before;
      const data = [...(await m.read(buf))];
      const brief = m.createBuffer({ label: 'brief', size: 16, usage: BufferUsage.COPY_SRC });
      const zero = m.read(brief, 0, 0);
      m.destroy(brief);
      const zeroOutcome = await zero.then(
        () => 'resolved',
        (e: unknown) => (e as Error).name,
      );
      m.dispose();
      return { outcomes, unchanged, data, zeroOutcome };
    });
    for (const outcome of r.outcomes) expect(outcome).toMatch(/: typed /);
    for (const outcome of r.outcomes.filter((o) => o.startsWith('upload'))) expect(outcome).toMatch(/data/);
    for (const outcome of r.outcomes.filter((o) => o.startsWith('flush'))) expect(outcome).toMatch(/encoder/);
    expect(r.unchanged).toBe(true);
    expect(r.data).toEqual(new Array(64).fill(5));
    expect(r.zeroOutcome).toBe('ReadbackCancelledError');
  });

  it('under small caps, a read sees exactly the writes issued before it', async () => {
    const r = await harness.page.evaluate(async () => {
      const { createResourceManager, BufferUsage } = window.lib;
      const m = createResourceManager({
        gl: window.sharedGL(),
        staging: {
          maxUploadBytes: 8192,
          uploadChunkBytes: 4096,
          maxChunkBytes: 4096,
          maxReadbackBytes: 8192,
        },
      });
      const usage = BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
      const target = m.createBuffer({ label: 'target', size: 4096, usage });
      const filler = m.createBuffer({ label: 'filler', size: 4096, usage });
      m.upload(target, 0, new Uint8Array(4096).fill(1));
      m.upload(filler, 0, new Uint8Array(4096).fill(2));
      const waited = m.upload(target, 0, new Uint8Array(4096).fill(3));
      const read = m.read(target, 0, 8);
      m.upload(target, 0, new Uint8Array(4096).fill(4)); // after the read: must not be seen by it
      const seen = [...(await read)];
      await waited;
      m.flush();
      const last = [...(await m.read(target, 0, 8))];
      // A read queued behind the readback cap does not see a write made after it was called.
      const big = m.createBuffer({ label: 'big', size: 8192, usage });
      const first = m.read(big); // takes the whole readback cap
      const queued = m.read(filler, 0, 8);
      const waiting = m.stagingStats().readback.waiting;
      m.upload(filler, 0, new Uint8Array(4096).fill(5));
      m.flush();
      await first;
      const queuedSeen = [...(await queued)];
      const fillerNow = [...(await m.read(filler, 0, 8))];
      m.dispose();
      return { seen, last, waiting, queuedSeen, fillerNow };
    });
    expect(r.seen).toEqual(new Array(8).fill(3));
    expect(r.last).toEqual(new Array(8).fill(4));
    expect(r.queuedSeen).toEqual(new Array(8).fill(2));
    expect(r.fillerNow).toEqual(new Array(8).fill(5));
  });
});
