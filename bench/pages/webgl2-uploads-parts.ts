/**
 * Where a scattered write's time goes on WebGL2, for bench/pages/webgl2-uploads-page.ts: the belt's two
 * possible shapes rebuilt without the manager (staged into a chunk and a typed log then flushed in one loop,
 * or written through in the call with the caller's COPY_WRITE_BUFFER saved and restored), the two forms of
 * `bufferSubData`, and each extra GL call a write-through needs, timed alone. The belt must issue one
 * `bufferSubData` per write that continues no other, as the raw loop does, so these parts are what it can
 * add or save per write.
 */

/** What the parts write with: the target, the caller's views and where each goes. */
export interface PartsInput {
  readonly gl: WebGL2RenderingContext;
  readonly target: WebGLBuffer;
  readonly views: readonly Uint8Array[];
  /** The same bytes as `views`, back to back (view i at i * size). */
  readonly payload: Uint8Array;
  readonly size: number;
}

/** Frames the bench can time, and the parts each timed alone. */
export interface UploadParts {
  /** bufferSubData(target, offset, payload, srcOffset, length) per write, bound once. */
  raw5(offsets: Uint32Array): void;
  /** Staged: a `set` into one chunk and a typed-array log entry per write, then one loop of 5-argument calls. */
  staged(offsets: Uint32Array): void;
  /** Written through: per write save the binding, bind, bufferSubData(target, offset, view), restore. */
  writeThrough(offsets: Uint32Array): void;
  /** Microseconds per write of each part of a frame of `offsets`, timed alone (a loop of just that part). */
  timed(offsets: Uint32Array): Record<string, number>;
}

/**
 * The parts over one target.
 *
 * @example
 * const parts = createUploadParts({ gl, target, views, payload, size: 256 });
 * parts.staged(scattered);
 */
export function createUploadParts(input: PartsInput): UploadParts {
  const { gl, target, views, payload, size } = input;
  const count = views.length;
  const chunk = new Uint8Array(count * size);
  const src = new Uint32Array(count);
  const dst = new Float64Array(count);
  const bytes = new Float64Array(count);
  const targets: WebGLBuffer[] = [];
  const stage = (offsets: Uint32Array): number => {
    let used = 0;
    for (let i = 0; i < offsets.length; i++) {
      chunk.set(views[i]!, used);
      src[i] = used;
      dst[i] = offsets[i]!;
      bytes[i] = size;
      targets[i] = target;
      used += size;
    }
    return offsets.length;
  };
  const issue = (n: number) => {
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
    for (let k = 0; k < n; k++) gl.bufferSubData(gl.COPY_WRITE_BUFFER, dst[k]!, chunk, src[k]!, bytes[k]!);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
  };
  const raw3 = (offsets: Uint32Array) => {
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
    for (let i = 0; i < offsets.length; i++) gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, views[i]!);
    gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
  };
  const parts: UploadParts = {
    raw5(offsets) {
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
      for (let i = 0; i < offsets.length; i++)
        gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, payload, i * size, size);
      gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
    },
    staged(offsets) {
      issue(stage(offsets));
    },
    writeThrough(offsets) {
      for (let i = 0; i < offsets.length; i++) {
        const previous = gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING) as WebGLBuffer | null;
        if (previous !== target) gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
        gl.bufferSubData(gl.COPY_WRITE_BUFFER, offsets[i]!, views[i]!);
        if (previous !== target) gl.bindBuffer(gl.COPY_WRITE_BUFFER, previous);
      }
    },
    timed(offsets) {
      const loops: Record<string, () => void> = {
        'bufferSubData(t, o, view)': () => raw3(offsets),
        'bufferSubData(t, o, src, srcOffset, length)': () => parts.raw5(offsets),
        'stage: set + log entry': () => stage(offsets),
        'getParameter(COPY_WRITE_BUFFER_BINDING)': () => {
          for (let i = 0; i < offsets.length; i++) gl.getParameter(gl.COPY_WRITE_BUFFER_BINDING);
        },
        'bindBuffer target + bindBuffer back': () => {
          for (let i = 0; i < offsets.length; i++) {
            gl.bindBuffer(gl.COPY_WRITE_BUFFER, target);
            gl.bindBuffer(gl.COPY_WRITE_BUFFER, null);
          }
        },
        'subarray (a view per write)': () => {
          let total = 0;
          for (let i = 0; i < offsets.length; i++) total += chunk.subarray(i * size, (i + 1) * size).length;
          if (total < 0) throw new Error('unreachable');
        },
      };
      return timeLoops(gl, loops, offsets.length);
    },
  };
  return parts;
}

const FRAMES = 21;

/**
 * Median microseconds per operation of each loop, the loops interleaved frame by frame (so a slow moment of
 * the machine hits all of them), each followed by an untimed 1-pixel readPixels so GL work does not pile up.
 *
 * @example
 * timeLoops(gl, { raw: () => raw(offsets) }, offsets.length) // { raw: 0.52 }
 */
export function timeLoops(
  gl: WebGL2RenderingContext,
  loops: Record<string, () => void>,
  operations: number,
): Record<string, number> {
  const pixel = new Uint8Array(4);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
  for (let frame = 0; frame < FRAMES + 2; frame++) {
    for (const [name, body] of Object.entries(loops)) {
      const start = performance.now();
      body();
      const took = performance.now() - start;
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      if (frame >= 2) times[name]!.push(took);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return Object.fromEntries(
    Object.entries(times).map(([name, values]) => [name, (median(values) * 1000) / operations]),
  );
}
