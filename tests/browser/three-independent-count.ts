/**
 * The independent count of the three.js browser test: installed in the page before any of its scripts runs,
 * it wraps the WebGPU and WebGL2 prototypes (not the instances the tracker patches) and sums what the page
 * creates by the specs' byte rules, written here from scratch and kept apart from the library's tables.
 * WebGL2 bindings are followed by wrapping the bind calls (the tracker reads them with getParameter instead).
 */

/** What the page created and has not freed, by the independent count. */
export interface IndependentCount {
  textures: number;
  buffers: number;
  unknown: string[];
}

declare global {
  interface Window {
    __independent?: IndependentCount;
  }
}

/** The script passed to `page.evaluateOnNewDocument`. It must be self-contained (it is serialised). */
export function installIndependentCount(): void {
  const count: IndependentCount = { textures: 0, buffers: 0, unknown: [] };
  window.__independent = count;
  const live = new Map<object, { kind: 'textures' | 'buffers'; bytes: number }>();
  const add = (object: object, kind: 'textures' | 'buffers', bytes: number) => {
    const old = live.get(object);
    if (old) count[old.kind] -= old.bytes;
    live.set(object, { kind, bytes });
    count[kind] += bytes;
  };
  const remove = (object: unknown) => {
    const old = typeof object === 'object' && object !== null ? live.get(object) : undefined;
    if (!old) return;
    count[old.kind] -= old.bytes;
    live.delete(object as object);
  };
  const wrap = (
    proto: object,
    name: string,
    after: (self: unknown, args: unknown[], result: unknown) => void,
  ) => {
    const original = (proto as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof original !== 'function') return;
    (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      after(this, args, result);
      return result;
    };
  };

  // WebGPU: bytes per texel (or per 4x4 block for BC) of the formats a three.js scene uses.
  const GPU_TEXEL: Record<string, number> = {
    r8unorm: 1,
    rg8unorm: 2,
    rgba8unorm: 4,
    'rgba8unorm-srgb': 4,
    bgra8unorm: 4,
    'bgra8unorm-srgb': 4,
    r16float: 2,
    rg16float: 4,
    rgba16float: 8,
    r32float: 4,
    rg32float: 8,
    rgba32float: 16,
    rg11b10ufloat: 4,
    rgb10a2unorm: 4,
    depth16unorm: 2,
    depth24plus: 4,
    'depth24plus-stencil8': 4,
    depth32float: 4,
    'depth32float-stencil8': 8,
    r32uint: 4,
    rgba8uint: 4,
  };
  if (typeof GPUDevice !== 'undefined') {
    wrap(GPUDevice.prototype, 'createTexture', (_d, _a, t) => {
      const texture = t as GPUTexture;
      const bpp = GPU_TEXEL[texture.format];
      if (bpp === undefined) count.unknown.push(`gpu ${texture.format}`);
      let texels = 0;
      for (let level = 0; level < texture.mipLevelCount; level++) {
        const w = Math.max(1, texture.width >> level);
        const h = texture.dimension === '1d' ? 1 : Math.max(1, texture.height >> level);
        const d =
          texture.dimension === '3d'
            ? Math.max(1, texture.depthOrArrayLayers >> level)
            : texture.depthOrArrayLayers;
        texels += w * h * d;
      }
      add(texture, 'textures', texels * (bpp ?? Number.NaN) * texture.sampleCount);
    });
    wrap(GPUDevice.prototype, 'createBuffer', (_d, _a, b) =>
      add(b as object, 'buffers', (b as GPUBuffer).size),
    );
    wrap(GPUTexture.prototype, 'destroy', (self) => remove(self));
    wrap(GPUBuffer.prototype, 'destroy', (self) => remove(self));
  }

  // WebGL2: bytes per texel of sized internal formats, and of unsized format/type pairs.
  const GL_TEXEL: Record<number, number> = {
    32856: 4,
    35907: 4,
    32849: 3,
    33321: 1,
    33323: 2,
    34842: 8,
    34836: 16,
    33325: 2,
    33327: 4,
    33326: 4,
    33328: 8,
    35898: 4,
    33189: 2,
    33190: 4,
    36012: 4,
    35056: 4,
    36013: 8,
    36168: 1,
    32854: 2,
    32855: 2,
    36194: 2,
    34843: 6,
    34837: 12,
  };
  const UNSIZED: Record<number, number> = { 6408: 4, 6407: 3, 6410: 2, 6409: 1, 6406: 1, 6402: 1, 34041: 1 };
  const TYPE: Record<number, number> = {
    5121: 1,
    5120: 1,
    5123: 2,
    5122: 2,
    5125: 4,
    5124: 4,
    5126: 4,
    5131: 2,
    34042: 4,
  };
  const texelBytes = (internal: number, type?: number) => {
    if (GL_TEXEL[internal] !== undefined) return GL_TEXEL[internal];
    if (UNSIZED[internal] !== undefined && type !== undefined && TYPE[type] !== undefined) {
      return type === 0x84fa ? 4 : UNSIZED[internal] * TYPE[type];
    }
    count.unknown.push(`gl 0x${internal.toString(16)}/${type}`);
    return Number.NaN;
  };
  if (typeof WebGL2RenderingContext !== 'undefined') {
    const P = WebGL2RenderingContext.prototype;
    const gl = {
      unit: 0,
      textures: new Map<string, object>(),
      buffers: new Map<number, object>(),
      renderbuffer: null as object | null,
      vao: null as object | null,
      elements: new Map<object | null, object | null>(),
      images: new Map<object, Map<string, number>>(),
    };
    const CUBE = 0x8513;
    const textureFor = (target: number) => {
      const base = target >= 0x8515 && target <= 0x851a ? CUBE : target;
      return gl.textures.get(`${gl.unit}:${base}`);
    };
    const setImage = (target: number, key: string, bytes: number) => {
      const texture = textureFor(target);
      if (!texture) return;
      const images = gl.images.get(texture) ?? new Map<string, number>();
      gl.images.set(texture, images);
      images.set(key, bytes);
      let sum = 0;
      for (const b of images.values()) sum += b;
      add(texture, 'textures', sum);
    };
    wrap(P, 'activeTexture', (_s, [unit]) => {
      gl.unit = (unit as number) - 0x84c0;
    });
    wrap(P, 'bindTexture', (_s, [target, texture]) => {
      gl.textures.set(`${gl.unit}:${target}`, texture as object);
    });
    wrap(P, 'bindVertexArray', (_s, [vao]) => {
      gl.vao = (vao as object | null) ?? null;
    });
    wrap(P, 'bindBuffer', (_s, [target, buffer]) => {
      if (target === 0x8893) gl.elements.set(gl.vao, buffer as object | null);
      else gl.buffers.set(target as number, buffer as object);
    });
    wrap(P, 'bindBufferBase', (_s, [target, , buffer]) => gl.buffers.set(target as number, buffer as object));
    wrap(P, 'bindBufferRange', (_s, [target, , buffer]) =>
      gl.buffers.set(target as number, buffer as object),
    );
    wrap(P, 'bindRenderbuffer', (_s, [, rb]) => {
      gl.renderbuffer = (rb as object | null) ?? null;
    });
    wrap(P, 'texStorage2D', (_s, [target, levels, internal, w, h]) => {
      const faces = target === CUBE ? 6 : 1;
      let texels = 0;
      for (let l = 0; l < (levels as number); l++)
        texels += Math.max(1, (w as number) >> l) * Math.max(1, (h as number) >> l);
      const texture = textureFor(target as number);
      if (texture) gl.images.delete(texture);
      setImage(target as number, 'storage', texels * faces * texelBytes(internal as number));
    });
    wrap(P, 'texStorage3D', (_s, [target, levels, internal, w, h, d]) => {
      let texels = 0;
      for (let l = 0; l < (levels as number); l++) {
        const depth = target === 0x806f ? Math.max(1, (d as number) >> l) : (d as number);
        texels += Math.max(1, (w as number) >> l) * Math.max(1, (h as number) >> l) * depth;
      }
      setImage(target as number, 'storage', texels * texelBytes(internal as number));
    });
    wrap(P, 'texImage2D', (_s, a) => {
      const [target, level, internal] = a as number[];
      const key = `${level}:${target}`;
      if (typeof a[5] === 'number' && a.length >= 8) {
        setImage(
          target as number,
          key,
          (a[3] as number) * (a[4] as number) * texelBytes(internal as number, a[7] as number),
        );
      } else {
        const s = a[5] as {
          width: number;
          height: number;
          naturalWidth?: number;
          naturalHeight?: number;
          videoWidth?: number;
          videoHeight?: number;
        };
        const w = s.videoWidth ?? s.naturalWidth ?? s.width;
        const h = s.videoHeight ?? s.naturalHeight ?? s.height;
        setImage(target as number, key, w * h * texelBytes(internal as number, a[4] as number));
      }
    });
    wrap(P, 'texImage3D', (_s, a) => {
      const [target, level, internal, w, h, d] = a as number[];
      setImage(
        target as number,
        `${level}:${target}`,
        (w as number) * (h as number) * (d as number) * texelBytes(internal as number, a[8] as number),
      );
    });
    const renderbufferStorage = (samples: number, internal: number, w: number, h: number) => {
      if (gl.renderbuffer)
        add(gl.renderbuffer, 'textures', w * h * texelBytes(internal) * Math.max(1, samples));
    };
    wrap(P, 'renderbufferStorage', (_s, [, internal, w, h]) =>
      renderbufferStorage(1, internal as number, w as number, h as number),
    );
    wrap(P, 'renderbufferStorageMultisample', (_s, [, samples, internal, w, h]) =>
      renderbufferStorage(samples as number, internal as number, w as number, h as number),
    );
    wrap(P, 'bufferData', (_s, [target, data]) => {
      const buffer = target === 0x8893 ? gl.elements.get(gl.vao) : gl.buffers.get(target as number);
      if (!buffer) return;
      const size = typeof data === 'number' ? data : (data as ArrayBufferView).byteLength;
      add(buffer, 'buffers', size);
    });
    for (const name of ['deleteTexture', 'deleteBuffer', 'deleteRenderbuffer'])
      wrap(P, name, (_s, [object]) => remove(object));
  }
}
