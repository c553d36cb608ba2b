/**
 * The page side of bench/webgl2-uploads.ts: scattered and adjacent 256 B buffer uploads on real WebGL2
 * (Chromium, ANGLE on SwiftShader), by every path a WebGL2 belt could take. The Node side drives interleaved
 * rounds; the page times blocks of frames, so no puppeteer round trip is inside a timing. Every frame ends
 * with a 1-pixel `readPixels` into client memory: the page blocks until the GPU process has run every command
 * before it and ANGLE has finished the GPU work, so no cost hides on the GPU side. (`gl.finish()` would not
 * do: Chromium implements it as a flush.)
 */
import { BufferUsage } from '../../src/resources/usage.ts';
import { createResourceManager } from '../../src/webgl2.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';
import { createTransformFeedbackScatter } from './webgl2-tf-scatter.ts';
import type { UploadBenchPage, UploadSide } from './webgl2-uploads-api.ts';
import { createUploadParts, timeLoops } from './webgl2-uploads-parts.ts';

const COUNT = 10_000;
const SIZE = 256;
/** Every other 256 B slot of this buffer is written (5,120,000 B). */
const TARGET_BYTES = 2 * COUNT * SIZE;
const LARGE_BYTES = 4 << 20;
/** 4 MiB uploads per timed frame: one takes about 1 ms, and the page's clock has 0.1 ms steps. */
const LARGE_REPEATS = 8;

function shuffledSlots(n: number, seed: number): Uint32Array {
  const next = seededRandom(seed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

function openGL(): WebGL2RenderingContext {
  const canvas = document.createElement('canvas');
  canvas.width = 4;
  canvas.height = 4;
  const gl = canvas.getContext('webgl2', { antialias: false });
  if (!gl) throw new Error('no WebGL2 context in this browser');
  return gl;
}

function createPage(): UploadBenchPage {
  const gl = openGL();
  const manager = createResourceManager({ gl });
  const handle = manager.createBuffer({
    label: 'per-object uniforms',
    size: TARGET_BYTES,
    usage: BufferUsage.VERTEX | BufferUsage.COPY_DST | BufferUsage.COPY_SRC,
  });
  const target = manager.gpu(handle).buffer;
  const payload = new Uint8Array(COUNT * SIZE);
  const views = Array.from({ length: COUNT }, (_, i) => payload.subarray(i * SIZE, (i + 1) * SIZE));
  const scattered = shuffledSlots(COUNT, 7).map((slot) => slot * 2 * SIZE);
  const adjacent = Uint32Array.from({ length: COUNT }, (_, i) => i * SIZE);
  const staging = gl.createBuffer();
  gl.bindBuffer(gl.COPY_READ_BUFFER, staging);
  gl.bufferData(gl.COPY_READ_BUFFER, payload.byteLength, gl.STREAM_DRAW);
  gl.bindBuffer(gl.COPY_READ_BUFFER, null);
  const gathered = new Uint8Array(payload.byteLength);
  const tf = createTransformFeedbackScatter(gl, TARGET_BYTES, COUNT * SIZE);
  const parts = createUploadParts({ gl, target, views, payload, size: SIZE });
  // One 4 MiB write: the belt as configured by default (direct at >= 64 KiB) and with every write staged.
  const large = Uint8Array.from({ length: LARGE_BYTES }, (_, i) => (i * 31 + 7) & 255);
  const largeUsage = BufferUsage.VERTEX | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
  const largeHandle = manager.createBuffer({ label: '4 MiB', size: LARGE_BYTES, usage: largeUsage });
  const largeTarget = manager.gpu(largeHandle).buffer;
  const stagingManager = createResourceManager({
    gl,
    staging: { directWriteBytes: Number.POSITIVE_INFINITY },
  });
  const stagedLarge = stagingManager.createBuffer({
    label: '4 MiB staged',
    size: LARGE_BYTES,
    usage: largeUsage,
  });

  const raw = (offsets: Uint32Array) => {
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
    for (let i = 0; i < offsets.length; i++) gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, views[i]!);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
  };
  const rawLarge = (buffer: WebGLBuffer) => {
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, buffer);
    gl.bufferSubData(gl.COPY_WRITE_BUFFER, 0, large);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
  };
  const belt = (offsets: Uint32Array) => {
    for (let i = 0; i < offsets.length; i++) manager.upload(handle, offsets[i]!, views[i]!);
    manager.flush();
  };
  // The raw loop with the belt's binding discipline: save, bind and restore the binding around each write.
  const rawRebinding = (offsets: Uint32Array) => {
    for (let i = 0; i < COUNT; i++) {
      const previous = gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) as WebGLBuffer | null;
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
      gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, views[i]!);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, previous);
    }
  };
  // The belt's CPU work (a `set` per write into one chunk), then per run of adjacent writes either a
  // `bufferSubData` from the gathered bytes or, after one upload into a staging GL buffer, a GPU copy.
  const gatheredRuns = (offsets: Uint32Array, copies: boolean) => {
    for (let i = 0; i < offsets.length; i++) gathered.set(views[i]!, i * SIZE);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
    if (copies) {
      gl.bindBuffer(gl.COPY_READ_BUFFER, staging);
      gl.bufferSubData(gl.COPY_READ_BUFFER, 0, gathered, 0, offsets.length * SIZE);
    }
    for (let i = 0; i < offsets.length; ) {
      let end = i + 1;
      while (end < offsets.length && offsets[end] === offsets[end - 1]! + SIZE) end++;
      const bytes = (end - i) * SIZE;
      if (copies)
        gl.copyBufferSubData(gl.COPY_READ_BUFFER, gl.COPY_WRITE_BUFFER, i * SIZE, offsets[i]!, bytes);
      else gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, gathered, i * SIZE, bytes);
      i = end;
    }
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
    gl.bindBuffer(gl.COPY_READ_BUFFER, null);
  };
  const tfScatter = (offsets: Uint32Array) => {
    for (let i = 0; i < offsets.length; i++) gathered.set(views[i]!, i * SIZE);
    tf.scatter(target, gathered, offsets, SIZE);
  };
  const few = scattered.subarray(0, COUNT / 10);
  // Runs of writes: `runs` runs of 10,000 / runs adjacent writes each, the runs scattered (for the crossover).
  const runOffsets = (runs: number) => {
    const perRun = COUNT / runs;
    const starts = shuffledSlots(runs, 11);
    return Uint32Array.from({ length: COUNT }, (_, i) => {
      const run = Math.floor(i / perRun);
      return (starts[run]! * 2 * perRun + (i % perRun)) * SIZE;
    });
  };
  const runPatterns = new Map<number, Uint32Array>();
  const runs = (n: number) => {
    const offsets = runPatterns.get(n) ?? runOffsets(n);
    runPatterns.set(n, offsets);
    return offsets;
  };

  const pixel = new Uint8Array(4);
  const frame = (side: UploadSide): void => {
    if (side === 'raw') raw(scattered);
    else if (side === 'belt') belt(scattered);
    else if (side === 'stagedCopies') gatheredRuns(scattered, true);
    else if (side === 'tfScatter') tfScatter(scattered);
    else if (side === 'rawRebinding') rawRebinding(scattered);
    else if (side === 'rawFew') raw(few);
    else if (side === 'tfScatterFew') tfScatter(few);
    else if (side === 'raw5') parts.raw5(scattered);
    else if (side === 'stagedNoManager') parts.staged(scattered);
    else if (side === 'writeThroughNoManager') parts.writeThrough(scattered);
    else if (side === 'rawLarge') for (let n = 0; n < LARGE_REPEATS; n++) rawLarge(largeTarget);
    else if (side === 'beltLarge')
      for (let n = 0; n < LARGE_REPEATS; n++) {
        manager.upload(largeHandle, 0, large);
        manager.flush();
      }
    else if (side === 'beltStagedLarge')
      for (let n = 0; n < LARGE_REPEATS; n++) {
        stagingManager.upload(stagedLarge, 0, large);
        stagingManager.flush();
      }
    else if (side === 'rawAdjacent') raw(adjacent);
    else if (side === 'beltAdjacent') belt(adjacent);
    else if (side.startsWith('subDataRuns')) gatheredRuns(runs(Number(side.slice(11))), false);
    else if (side.startsWith('copyRuns')) gatheredRuns(runs(Number(side.slice(8))), true);
    else throw new Error(`unknown side ${side}`);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  };

  const background = (i: number) => (i * 7 + 3) & 255;
  const verifySide = (side: UploadSide, offsets: Uint32Array, fill: number) => {
    const before = Uint8Array.from({ length: TARGET_BYTES }, (_, i) => background(i));
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
    gl.bufferSubData(gl.COPY_WRITE_BUFFER, 0, before);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13 + fill) & 255;
    frame(side);
    const expected = before;
    for (let i = 0; i < offsets.length; i++) expected.set(views[i]!, offsets[i]!);
    const got = new Uint8Array(TARGET_BYTES);
    gl.bindBuffer(gl.COPY_READ_BUFFER, target);
    gl.getBufferSubData(gl.COPY_READ_BUFFER, 0, got);
    gl.bindBuffer(gl.COPY_READ_BUFFER, null);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
    return got.every((byte, i) => byte === expected[i]) && gl.getError() === gl.NO_ERROR;
  };

  const verifyLarge = (side: UploadSide, buffer: WebGLBuffer) => {
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, buffer);
    gl.bufferSubData(gl.COPY_WRITE_BUFFER, 0, new Uint8Array(LARGE_BYTES));
    frame(side);
    const got = new Uint8Array(LARGE_BYTES);
    gl.bindBuffer(gl.COPY_READ_BUFFER, buffer);
    gl.getBufferSubData(gl.COPY_READ_BUFFER, 0, got);
    gl.bindBuffer(gl.COPY_READ_BUFFER, null);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
    return got.every((byte, i) => byte === large[i]) && gl.getError() === gl.NO_ERROR;
  };

  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    renderer: String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)),
    block(side, warmup, samples) {
      for (let i = 0; i < warmup; i++) frame(side);
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const start = performance.now();
        frame(side);
        times.push(performance.now() - start);
      }
      return times;
    },
    breakdown() {
      const loops = {
        'belt: manager.upload': () => {
          for (let i = 0; i < COUNT; i++) manager.upload(handle, scattered[i]!, views[i]!);
        },
        'belt: flush': () => manager.flush(),
      };
      return { ...parts.timed(scattered), ...timeLoops(gl, loops, COUNT) };
    },
    verify() {
      const sides: [UploadSide, Uint32Array][] = [
        ['raw', scattered],
        ['belt', scattered],
        ['stagedCopies', scattered],
        ['tfScatter', scattered],
        ['tfScatterFew', few],
        ['rawRebinding', scattered],
        ['beltAdjacent', adjacent],
        ['subDataRuns100', runs(100)],
        ['copyRuns100', runs(100)],
        ['raw5', scattered],
        ['stagedNoManager', scattered],
        ['writeThroughNoManager', scattered],
      ];
      const checked = Object.fromEntries(
        sides.map(([side, offsets], n) => [side, verifySide(side, offsets, n)]),
      );
      const largeSides: [UploadSide, WebGLBuffer][] = [
        ['rawLarge', largeTarget],
        ['beltLarge', largeTarget],
        ['beltStagedLarge', stagingManager.gpu(stagedLarge).buffer],
      ];
      for (const [side, buffer] of largeSides) checked[side] = verifyLarge(side, buffer);
      return checked;
    },
  };
}

try {
  window.uploadBench = createPage();
} catch (error) {
  window.uploadBenchError = error instanceof Error ? error.message : String(error);
}
