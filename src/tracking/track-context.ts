/**
 * `trackContext`: the books of a WebGL2 context an engine draws with directly. Its create, delete and storage
 * calls (`texImage2D/3D`, `texStorage2D/3D`, `compressedTexImage2D/3D`, `copyTexImage2D`, `bufferData`,
 * `renderbufferStorage[Multisample]`) are patched on the context instance; each GL object is an adopted
 * record whose bytes follow the storage the engine gave it (a new level re-records it), and the drawing
 * buffer is counted from `getContextAttributes()`. The object a storage call fills is the one bound to its
 * target, read with `getParameter` (GL keeps no per-call handle). GL errors are never queried: `getError`
 * would clear the engine's error flag. Storage is counted as requested.
 */
import { WebGL2Backend, type WebGL2Objects } from '../backends/webgl2/webgl2-backend.ts';
import { ValidationError } from '../errors.ts';
import type { NormalizedBufferDescriptor } from '../resources/buffer.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';
import { BufferUsage, TextureUsage } from '../resources/usage.ts';
import { drawingBufferRecord } from './drawing-buffer.ts';
import { type GLStorageFormat, glImageBytes, glStorageFormat } from './gl-storage-bytes.ts';
import { patchMethod } from './patch.ts';
import { TrackingManager, type TrackingOptions } from './tracking-manager.ts';
import { untrackedView } from './untracked-view.ts';

/** A manager tracking a WebGL2 context. */
export type WebGL2TrackingManager = TrackingManager<WebGL2Objects>;

const TEXTURE_2D = 0x0de1;
const TEXTURE_3D = 0x806f;
const TEXTURE_2D_ARRAY = 0x8c1a;
const TEXTURE_CUBE_MAP = 0x8513;
const CUBE_FACE_FIRST = 0x8515;
const RENDERBUFFER_BINDING = 0x8ca7;
const TEXTURE_BINDINGS = new Map([
  [TEXTURE_2D, 0x8069],
  [TEXTURE_CUBE_MAP, 0x8514],
  [TEXTURE_3D, 0x806a],
  [TEXTURE_2D_ARRAY, 0x8c1d],
]);
const BUFFER_BINDINGS = new Map([
  [0x8892, 0x8894], // ARRAY_BUFFER
  [0x8893, 0x8895], // ELEMENT_ARRAY_BUFFER (of the bound vertex array)
  [0x8f36, 0x8f36], // COPY_READ_BUFFER
  [0x8f37, 0x8f37], // COPY_WRITE_BUFFER
  [0x88eb, 0x88ed], // PIXEL_PACK_BUFFER
  [0x88ec, 0x88ef], // PIXEL_UNPACK_BUFFER
  [0x8a11, 0x8a28], // UNIFORM_BUFFER
  [0x8c8e, 0x8c8f], // TRANSFORM_FEEDBACK_BUFFER
]);

/** What the books know of one GL texture or renderbuffer: the bytes of each image it holds. */
interface ImageState {
  readonly renderbuffer: boolean;
  target: number;
  /** Bytes per image, keyed by `level * 8 + face` (a renderbuffer has one image, key 0). */
  readonly images: Map<number, number>;
  storage: GLStorageFormat | undefined;
  width: number;
  height: number;
  depth: number;
  samples: number;
  levels: number;
  serial: number;
}

type Args = readonly unknown[];
const int = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/**
 * Tracks every texture, renderbuffer and buffer an engine creates on `gl` from now on, and the canvas's
 * drawing buffer, without changing what the engine sees. Returns the manager holding the books; `untrack()`
 * removes every patch. Track the context before handing it to the engine.
 *
 * @example
 * import { trackContext } from 'gpu-handles';
 * const gl = canvas.getContext('webgl2')!;
 * const gpu = trackContext(gl);
 * const renderer = new THREE.WebGLRenderer({ canvas, context: gl }); // unmodified
 * gpu.stats().totalBytes;
 */
export function trackContext(
  gl: WebGL2RenderingContext,
  options: TrackingOptions = {},
): WebGL2TrackingManager {
  if (typeof gl !== 'object' || gl === null || typeof gl.texStorage2D !== 'function') {
    throw new ValidationError('trackContext', 'gl', gl, 'must be a WebGL2RenderingContext');
  }
  const names = [
    'createTexture',
    'deleteTexture',
    'createBuffer',
    'deleteBuffer',
    'createRenderbuffer',
    'deleteRenderbuffer',
    'texImage2D',
    'texImage3D',
    'texStorage2D',
    'texStorage3D',
    'compressedTexImage2D',
    'compressedTexImage3D',
    'copyTexImage2D',
    'bufferData',
    'renderbufferStorage',
    'renderbufferStorageMultisample',
    'viewport',
  ] as const;
  const originals = new Map<PropertyKey, unknown>(names.map((name) => [name, gl[name]]));
  const manager = new TrackingManager<WebGL2Objects>(
    new WebGL2Backend(untrackedView(gl, originals)),
    options,
  );
  const getParameter = gl.getParameter.bind(gl);
  const states = new WeakMap<object, ImageState>();
  let serial = 0;

  const bound = (binding: number | undefined): object | undefined => {
    if (binding === undefined) return undefined;
    const object = getParameter(binding) as unknown;
    return typeof object === 'object' && object !== null ? object : undefined;
  };
  const rerecordImage = (object: object, state: ImageState) => {
    let bytes = 0;
    for (const b of state.images.values()) bytes += b;
    const kind = state.renderbuffer ? 'renderbuffer' : 'texture';
    const format = state.storage?.format;
    if (format === undefined && state.storage !== undefined) manager.noteBestEffort();
    const descriptor: NormalizedTextureDescriptor = {
      label: `${kind} ${state.serial} ${state.width}x${state.height}${state.depth > 1 ? `x${state.depth}` : ''}`,
      width: state.width,
      height: state.height,
      depthOrArrayLayers: Math.max(1, state.depth),
      format: format ?? 'rgba8unorm',
      usage: state.renderbuffer
        ? TextureUsage.RENDER_ATTACHMENT
        : TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST,
      dimension: state.target === TEXTURE_3D ? '3d' : '2d',
      mipLevelCount: Math.max(1, state.levels),
      sampleCount: state.samples,
      viewFormats: [],
    };
    manager.rerecord('texture', descriptor, object, bytes);
  };
  const created = (object: unknown, renderbuffer: boolean) => {
    if (typeof object !== 'object' || object === null || !manager.isTracking) return;
    const state: ImageState = {
      renderbuffer,
      target: renderbuffer ? 0x8d41 : TEXTURE_2D,
      images: new Map(),
      storage: undefined,
      width: 0,
      height: 0,
      depth: 1,
      samples: 1,
      levels: 0,
      serial: ++serial,
    };
    states.set(object, state);
    rerecordImage(object, state);
  };
  /** One texture image was (re)specified: `target` may be a cube face. */
  const textureImage = (
    target: unknown,
    level: unknown,
    storage: GLStorageFormat | undefined,
    w: unknown,
    h: unknown,
    d: unknown,
  ) => {
    if (!manager.isTracking || typeof target !== 'number') return;
    const face = target >= CUBE_FACE_FIRST && target < CUBE_FACE_FIRST + 6 ? target - CUBE_FACE_FIRST : 0;
    const base = face > 0 || target === CUBE_FACE_FIRST ? TEXTURE_CUBE_MAP : target;
    const texture = bound(TEXTURE_BINDINGS.get(base));
    const state = texture && states.get(texture);
    const [lv, width, height, depth] = [int(level), int(w), int(h), int(d)];
    if (
      !texture ||
      !state ||
      lv === undefined ||
      width === undefined ||
      height === undefined ||
      depth === undefined
    )
      return;
    if (storage === undefined) {
      manager.noteSkipped('unknown GL internal format');
      return;
    }
    state.target = base;
    state.images.set(lv * 8 + face, glImageBytes(storage, width, height, depth, 1));
    if (lv === 0)
      Object.assign(state, { storage, width, height, depth: base === TEXTURE_CUBE_MAP ? 6 : depth });
    state.levels = Math.max(state.levels, lv + 1);
    rerecordImage(texture, state);
  };
  const textureStorage = (
    target: unknown,
    levels: unknown,
    internalFormat: unknown,
    w: unknown,
    h: unknown,
    d: unknown,
  ) => {
    if (!manager.isTracking || typeof target !== 'number' || typeof internalFormat !== 'number') return;
    const texture = bound(TEXTURE_BINDINGS.get(target));
    const state = texture && states.get(texture);
    const [count, width, height, depth] = [int(levels), int(w), int(h), int(d)];
    if (!texture || !state || !count || width === undefined || height === undefined || depth === undefined)
      return;
    const storage = glStorageFormat(internalFormat);
    if (storage === undefined) {
      manager.noteSkipped('unknown GL internal format');
      return;
    }
    state.images.clear();
    const faces = target === TEXTURE_CUBE_MAP ? 6 : 1;
    for (let level = 0; level < count; level++) {
      const lw = Math.max(1, Math.floor(width / 2 ** level));
      const lh = Math.max(1, Math.floor(height / 2 ** level));
      const ld = target === TEXTURE_3D ? Math.max(1, Math.floor(depth / 2 ** level)) : depth;
      for (let face = 0; face < faces; face++)
        state.images.set(level * 8 + face, glImageBytes(storage, lw, lh, ld, 1));
    }
    Object.assign(state, { target, storage, width, height, depth: faces === 6 ? 6 : depth, levels: count });
    rerecordImage(texture, state);
  };
  const renderbufferStorage = (samples: unknown, internalFormat: unknown, w: unknown, h: unknown) => {
    if (!manager.isTracking || typeof internalFormat !== 'number') return;
    const renderbuffer = bound(RENDERBUFFER_BINDING);
    const state = renderbuffer && states.get(renderbuffer);
    const [count, width, height] = [int(samples), int(w), int(h)];
    if (!renderbuffer || !state || count === undefined || width === undefined || height === undefined) return;
    const storage = glStorageFormat(internalFormat);
    if (storage === undefined) {
      manager.noteSkipped('unknown GL internal format');
      return;
    }
    const sampleCount = Math.max(1, count);
    state.images.set(0, glImageBytes(storage, width, height, 1, sampleCount));
    Object.assign(state, { storage, width, height, depth: 1, samples: sampleCount, levels: 1 });
    rerecordImage(renderbuffer, state);
  };
  const bufferSizes = new WeakMap<object, number>();
  const bufferData = (args: Args) => {
    const [target, data, , srcOffset, length] = args;
    if (!manager.isTracking || typeof target !== 'number') return;
    const buffer = bound(BUFFER_BINDINGS.get(target));
    if (!buffer || !bufferSizes.has(buffer)) return;
    let size: number | undefined;
    if (typeof data === 'number') size = int(data);
    else if (ArrayBuffer.isView(data)) {
      const element =
        'BYTES_PER_ELEMENT' in data ? (data as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
      const offset = int(srcOffset) ?? 0;
      const count = int(length);
      size = count !== undefined && count > 0 ? count * element : data.byteLength - offset * element;
    } else if (data instanceof ArrayBuffer) size = data.byteLength;
    if (size === undefined || size < 0) return;
    bufferSizes.set(buffer, size);
    const descriptor: NormalizedBufferDescriptor = {
      label: `buffer ${size} B`,
      size,
      usage:
        target === 0x8893 ? BufferUsage.INDEX : target === 0x8a11 ? BufferUsage.UNIFORM : BufferUsage.VERTEX,
      mappedAtCreation: false,
    };
    manager.rerecord('buffer', descriptor, buffer, size);
  };

  const after = <N extends (typeof names)[number]>(
    name: N,
    observe: (args: Args, result: unknown) => void,
  ) => {
    manager.addRestore(
      patchMethod(
        gl,
        name,
        (original) =>
          function (this: WebGL2RenderingContext, ...args: unknown[]) {
            const result = original.apply(this, args as never);
            if (this === gl) {
              try {
                observe(args, result);
              } catch {
                manager.noteSkipped(`${name} not readable`);
              }
            }
            return result;
          },
      ),
    );
  };
  after('createTexture', (_a, texture) => created(texture, false));
  after('createRenderbuffer', (_a, renderbuffer) => created(renderbuffer, true));
  after('createBuffer', (_a, buffer) => {
    if (typeof buffer !== 'object' || buffer === null || !manager.isTracking) return;
    bufferSizes.set(buffer, 0);
    manager.record(
      'buffer',
      { label: 'buffer 0 B', size: 0, usage: BufferUsage.VERTEX, mappedAtCreation: false },
      buffer,
      0,
    );
  });
  for (const name of ['deleteTexture', 'deleteBuffer', 'deleteRenderbuffer'] as const) {
    after(name, ([object]) => {
      if (typeof object === 'object' && object !== null) manager.released(object);
    });
  }
  after('texImage2D', (a) => {
    if (typeof a[5] === 'number' && a.length >= 8) {
      textureImage(a[0], a[1], glStorageFormat(a[2] as number, a[7] as number), a[3], a[4], 1);
    } else {
      const [w, h] = sourceSize(a[5]);
      textureImage(a[0], a[1], glStorageFormat(a[2] as number, a[4] as number), w, h, 1);
    }
  });
  after('texImage3D', (a) =>
    textureImage(a[0], a[1], glStorageFormat(a[2] as number, a[8] as number), a[3], a[4], a[5]),
  );
  after('compressedTexImage2D', (a) =>
    textureImage(a[0], a[1], glStorageFormat(a[2] as number), a[3], a[4], 1),
  );
  after('compressedTexImage3D', (a) =>
    textureImage(a[0], a[1], glStorageFormat(a[2] as number), a[3], a[4], a[5]),
  );
  after('copyTexImage2D', (a) =>
    textureImage(a[0], a[1], glStorageFormat(a[2] as number, 0x1401), a[5], a[6], 1),
  );
  after('texStorage2D', (a) => textureStorage(a[0], a[1], a[2], a[3], a[4], 1));
  after('texStorage3D', (a) => textureStorage(a[0], a[1], a[2], a[3], a[4], a[5]));
  after('renderbufferStorage', (a) => renderbufferStorage(1, a[1], a[2], a[3]));
  after('renderbufferStorageMultisample', (a) => renderbufferStorage(a[1], a[2], a[3], a[4]));
  after('bufferData', bufferData);

  // The drawing buffer: recorded now, and again when a viewport call finds the canvas resized.
  const canvasKey = gl.canvas as object;
  let drawn = { width: -1, height: -1 };
  const recordDrawingBuffer = () => {
    const { drawingBufferWidth: width, drawingBufferHeight: height } = gl;
    if (width === drawn.width && height === drawn.height) return;
    drawn = { width, height };
    const record = drawingBufferRecord(gl, getParameter);
    if (record !== undefined) manager.rerecord('texture', record.descriptor, canvasKey, record.bytes);
  };
  recordDrawingBuffer();
  after('viewport', () => recordDrawingBuffer());
  return manager;
}

/** The pixel size of a `TexImageSource` (what `texImage2D`'s six-argument form uploads). */
function sourceSize(source: unknown): [unknown, unknown] {
  if (typeof source !== 'object' || source === null) return [undefined, undefined];
  const s = source as Record<string, unknown>;
  for (const [w, h] of [
    ['videoWidth', 'videoHeight'],
    ['naturalWidth', 'naturalHeight'],
    ['displayWidth', 'displayHeight'],
    ['width', 'height'],
  ] as const) {
    if (typeof s[w] === 'number' && typeof s[h] === 'number') return [s[w], s[h]];
  }
  return [undefined, undefined];
}
