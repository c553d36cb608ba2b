/**
 * The new kinds on real WebGL2 (Chromium): samplers are GL sampler objects shared by descriptor, views are a
 * texture plus a mip range applied when a bind group binds it (and a typed "WebGL2 cannot" error otherwise),
 * bind groups and pipelines applied with applyGLBindGroup / applyGLPipeline draw the right pixels, occlusion
 * queries return results, and a texture or sampler under a live bind group cannot be destroyed.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

/** GLSL of a full-screen triangle that samples mip level 0 of `tex` (as the view sees it) times `tint`. */
const VERTEX = `#version 300 es
void main() {
  vec2 p = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}`;
const FRAGMENT = `#version 300 es
precision highp float;
uniform Tint { vec4 tint; };
uniform sampler2D tex;
out vec4 color;
void main() { color = textureLod(tex, vec2(0.5), 0.0) * tint; }`;

describe('samplers, views, bind groups, pipelines and query sets on WebGL2', () => {
  it('samplers are GL sampler objects shared by descriptor, with their state, deleted at the last destroy', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const m = window.lib.createResourceManager({ gl });
      const desc = { magFilter: 'linear', minFilter: 'linear', addressModeU: 'repeat' } as const;
      const a = m.createSampler({ label: 'a', ...desc });
      const b = m.createSampler({ label: 'b', ...desc });
      const c = m.createSampler({ compare: 'less-equal' });
      const glA = (m.gpu(a) as { sampler: WebGLSampler }).sampler;
      const glC = (m.gpu(c) as { sampler: WebGLSampler }).sampler;
      const ext = gl.getExtension('EXT_texture_filter_anisotropic');
      let anisotropy: number[] | undefined;
      if (ext) {
        const aniso = m.createSampler({
          magFilter: 'linear',
          minFilter: 'linear',
          mipmapFilter: 'linear',
          maxAnisotropy: 1000,
        });
        const s = (m.gpu(aniso) as { sampler: WebGLSampler }).sampler;
        anisotropy = [
          gl.getSamplerParameter(s, ext.TEXTURE_MAX_ANISOTROPY_EXT) as number,
          gl.getParameter(ext.MAX_TEXTURE_MAX_ANISOTROPY_EXT) as number,
        ];
      }
      const state = {
        same: a === b,
        differs: a !== c,
        isSampler: gl.isSampler(glA),
        mag: gl.getSamplerParameter(glA, gl.TEXTURE_MAG_FILTER) === gl.LINEAR,
        wrapS: gl.getSamplerParameter(glA, gl.TEXTURE_WRAP_S) === gl.REPEAT,
        wrapT: gl.getSamplerParameter(glA, gl.TEXTURE_WRAP_T) === gl.CLAMP_TO_EDGE,
        compareMode: gl.getSamplerParameter(glC, gl.TEXTURE_COMPARE_MODE) === gl.COMPARE_REF_TO_TEXTURE,
        compareFunc: gl.getSamplerParameter(glC, gl.TEXTURE_COMPARE_FUNC) === gl.LEQUAL,
        count: m.stats().byKind.sampler,
      };
      m.destroy(a);
      const afterOne = { has: m.has(b), alive: gl.isSampler(glA) };
      m.destroy(b);
      const afterTwo = { has: m.has(b), alive: gl.isSampler(glA) };
      m.dispose();
      return { state, afterOne, afterTwo, anisotropy };
    });
    expect(r.state).toEqual({
      same: true,
      differs: true,
      isSampler: true,
      mag: true,
      wrapS: true,
      wrapT: true,
      compareMode: true,
      compareFunc: true,
      count: { bytes: 0, count: r.anisotropy ? 3 : 2 },
    });
    expect(r.afterOne).toEqual({ has: true, alive: true });
    expect(r.afterTwo).toEqual({ has: false, alive: false });
    // A request above the GPU's largest anisotropy is clamped to it, as WebGPU does.
    if (r.anisotropy) expect(r.anisotropy[0]).toBe(r.anisotropy[1]);
  });

  it('views are cached per descriptor; what GL cannot express is a typed "WebGL2 cannot" error that leaves nothing', async () => {
    const r = await harness.page.evaluate(() => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage: T, ValidationError } = window.lib;
      const m = createResourceManager({ gl });
      const tex = m.createTexture({
        label: 'albedo',
        size: [4, 4],
        format: 'rgba8unorm',
        mipLevelCount: 3,
        usage: T.TEXTURE_BINDING | T.COPY_DST,
        viewFormats: ['rgba8unorm-srgb'],
      });
      const layers = m.createTexture({
        label: 'layers',
        size: [4, 4, 6],
        format: 'rgba8unorm',
        usage: T.TEXTURE_BINDING,
      });
      const depth = m.createTexture({
        label: 'depth',
        size: [4, 4],
        format: 'depth24plus-stencil8',
        usage: T.TEXTURE_BINDING | T.RENDER_ATTACHMENT,
      });
      const mip1 = m.createView(tex, { baseMipLevel: 1, mipLevelCount: 1 });
      const defaultView = m.createView(tex);
      const cached = {
        same: m.createView(tex, { label: 'again', baseMipLevel: 1, mipLevelCount: 1 }) === mip1,
        defaultOnce: m.createView(tex) === defaultView,
        differs: m.createView(tex, { baseMipLevel: 2 }) !== mip1,
        range: (({ baseMipLevel, mipLevelCount }) => [baseMipLevel, mipLevelCount])(
          m.gpu(mip1) as { baseMipLevel: number; mipLevelCount: number },
        ),
      };
      const before = m.stats().totalCount;
      const refusals = (
        [
          [tex, { format: 'rgba8unorm-srgb' }],
          [depth, { aspect: 'stencil-only' }],
          [layers, { dimension: 'cube' }],
          [layers, { dimension: '2d-array', baseArrayLayer: 1, arrayLayerCount: 2 }],
        ] as const
      ).map(([t, desc]) => {
        try {
          m.createView(t, desc as never);
          return 'created';
        } catch (e) {
          return `${e instanceof ValidationError ? 'ValidationError' : 'other'}: ${(e as Error).message}`;
        }
      });
      const after = m.stats().totalCount;
      m.dispose();
      return { cached, refusals, before, after };
    });
    expect(r.cached).toEqual({ same: true, defaultOnce: true, differs: true, range: [1, 1] });
    expect(r.refusals).toHaveLength(4);
    for (const refusal of r.refusals) expect(refusal).toMatch(/^ValidationError: .*WebGL2 cannot/);
    expect(r.refusals[0]).toMatch(/format/);
    expect(r.refusals[1]).toMatch(/stencil/);
    expect(r.refusals[2]).toMatch(/cube/);
    expect(r.refusals[3]).toMatch(/arrayLayerCount/);
    expect(r.after).toBe(r.before);
  });

  it('a pipeline and a bind group (uniform range, texture view, sampler) applied to a pass draw the right pixels', async () => {
    const r = await harness.page.evaluate(
      async (vertex, fragment) => {
        const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
        const { applyGLBindGroup } = (await load(
          '/src/backends/webgl2/webgl2-bind-group.ts',
        )) as typeof import('../../src/backends/webgl2/webgl2-bind-group.ts');
        const { applyGLPipeline } = (await load(
          '/src/backends/webgl2/webgl2-pipeline.ts',
        )) as typeof import('../../src/backends/webgl2/webgl2-pipeline.ts');
        const gl = window.sharedGL();
        const { createResourceManager, TextureUsage: T, BufferUsage: B, ShaderStage: S } = window.lib;
        const m = createResourceManager({ gl });
        // Mip 0 is red, mip 1 green, mip 2 blue: the view's base level decides what level 0 samples.
        const tex = m.createTexture({
          label: 'mips',
          size: [4, 4],
          format: 'rgba8unorm',
          mipLevelCount: 3,
          usage: T.TEXTURE_BINDING | T.COPY_DST,
        });
        const colours = [
          [255, 0, 0, 255],
          [0, 255, 0, 255],
          [0, 0, 255, 255],
        ];
        const glTex = m.gpu(tex) as { texture: WebGLTexture };
        gl.bindTexture(gl.TEXTURE_2D, glTex.texture);
        colours.forEach((c, level) => {
          const side = 4 >> level;
          const data = new Uint8Array(side * side * 4).map((_, i) => c[i % 4]!);
          gl.texSubImage2D(gl.TEXTURE_2D, level, 0, 0, side, side, gl.RGBA, gl.UNSIGNED_BYTE, data);
        });
        gl.bindTexture(gl.TEXTURE_2D, null);
        const tint = m.createBuffer({ label: 'tint', size: 512, usage: B.UNIFORM | B.COPY_DST });
        const glTint = m.gpu(tint) as { buffer: WebGLBuffer };
        gl.bindBuffer(gl.UNIFORM_BUFFER, glTint.buffer);
        // Bytes 256..271 hold the tint the group binds: (1, 0.5, 1, 1); bytes 0..15 a decoy (0, 0, 0, 0).
        gl.bufferSubData(gl.UNIFORM_BUFFER, 256, new Float32Array([1, 0.5, 1, 1]));
        gl.bindBuffer(gl.UNIFORM_BUFFER, null);
        const layout = m.createBindGroupLayout({
          label: 'material',
          entries: [
            { binding: 0, visibility: S.FRAGMENT, buffer: {} },
            { binding: 1, visibility: S.FRAGMENT, texture: {} },
            { binding: 2, visibility: S.FRAGMENT, sampler: {} },
          ],
        });
        const pipelineLayout = m.createPipelineLayout({ bindGroupLayouts: [layout] });
        const shader = await m.createShader({ label: 'tinted', vertex, fragment });
        const target = { format: 'rgba8unorm' } as const;
        const opaque = await m.createRenderPipeline({
          label: 'opaque',
          layout: pipelineLayout,
          vertex: { module: shader },
          fragment: { module: shader, targets: [target] },
        });
        const additive = await m.createRenderPipeline({
          label: 'additive',
          layout: pipelineLayout,
          vertex: { module: shader },
          fragment: {
            module: shader,
            targets: [
              {
                ...target,
                blend: {
                  color: { srcFactor: 'one', dstFactor: 'one' },
                  alpha: { srcFactor: 'one', dstFactor: 'zero' },
                },
              },
            ],
          },
        });
        const nearest = m.createSampler({ label: 'nearest' });
        const group = (resource: number) =>
          m.createBindGroup({
            label: 'material group',
            layout,
            entries: [
              { binding: 0, resource: { buffer: tint, offset: 256, size: 16 } },
              { binding: 1, resource: resource as never },
              { binding: 2, resource: nearest },
            ],
          });
        const whole = group(tex);
        const fromMip1 = group(m.createView(tex, { baseMipLevel: 1 }));
        const out = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: T.RENDER_ATTACHMENT });
        const rt = m.createRenderTarget({ color: [{ texture: out, clearValue: [0, 0, 1, 1] }] });
        const glLayout = m.gpu(pipelineLayout) as unknown as { uniformBase: number[]; textureBase: number[] };
        const draw = (pipeline: typeof opaque, bindGroup: typeof whole) => {
          const pass = m.renderPass(rt);
          pass.begin();
          const p = m.gpu(pipeline) as Parameters<typeof applyGLPipeline>[1];
          applyGLPipeline(gl, p);
          applyGLBindGroup(
            gl,
            m.gpu(bindGroup) as Parameters<typeof applyGLBindGroup>[1],
            glLayout.uniformBase[0]!,
            glLayout.textureBase[0]!,
          );
          gl.drawArrays(p.mode, 0, 3);
          const baseLevel = gl.getTexParameter(gl.TEXTURE_2D, gl.TEXTURE_BASE_LEVEL) as number;
          const boundSampler =
            gl.getParameter(gl.SAMPLER_BINDING) === (m.gpu(nearest) as { sampler: WebGLSampler }).sampler;
          pass.end();
          const fb = gl.createFramebuffer();
          gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb);
          const glOut = m.gpu(out) as { texture: WebGLTexture };
          gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, glOut.texture, 0);
          const pixels = new Uint8Array(4 * 4 * 4);
          gl.readPixels(0, 0, 4, 4, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
          gl.bindFramebuffer(gl.READ_FRAMEBUFFER, null);
          gl.deleteFramebuffer(fb);
          const unique = [
            ...new Set(Array.from({ length: 16 }, (_, i) => [...pixels.slice(i * 4, i * 4 + 4)].join(','))),
          ];
          return { unique, baseLevel, boundSampler };
        };
        const results = {
          whole: draw(opaque, whole),
          mip1: draw(opaque, fromMip1),
          additive: draw(additive, fromMip1),
        };
        // GL state the pipeline set: blending on for the additive pipeline.
        const blend = gl.isEnabled(gl.BLEND);
        gl.disable(gl.BLEND);
        gl.useProgram(null);
        gl.bindSampler(0, null);
        gl.activeTexture(gl.TEXTURE0);
        gl.bindTexture(gl.TEXTURE_2D, null);
        gl.bindBufferBase(gl.UNIFORM_BUFFER, 0, null);
        const counts = m.stats().byKind;
        m.dispose();
        return {
          results,
          blend,
          counts: {
            bindGroup: counts.bindGroup.count,
            renderPipeline: counts.renderPipeline.count,
            textureView: counts.textureView.count,
          },
        };
      },
      VERTEX,
      FRAGMENT,
    );
    // Red x (1, 0.5, 1, 1) = (255, 0, 0); green x tint = (0, 128, 0) (0.5 * 255 rounds to 128 or 127).
    expect(r.results.whole.unique).toEqual(['255,0,0,255']);
    expect(r.results.whole.baseLevel).toBe(0);
    expect(r.results.whole.boundSampler).toBe(true);
    expect(r.results.mip1.unique).toHaveLength(1);
    expect(r.results.mip1.unique[0]).toMatch(/^0,12[78],0,255$/);
    expect(r.results.mip1.baseLevel).toBe(1);
    // Additive blending over the blue clear: (0, 128, 0) + (0, 0, 255).
    expect(r.results.additive.unique[0]).toMatch(/^0,12[78],255,255$/);
    expect(r.blend).toBe(true);
    expect(r.counts).toEqual({ bindGroup: 2, renderPipeline: 2, textureView: 1 });
  });

  it('occlusion queries count the samples a draw passed; a query set owns count x 8 bytes', async () => {
    const r = await harness.page.evaluate(async (vertex) => {
      const gl = window.sharedGL();
      const { createResourceManager, TextureUsage: T } = window.lib;
      const m = createResourceManager({ gl });
      const queries = m.createQuerySet({ label: 'visibility', type: 'occlusion', count: 2 });
      const bytes = m.stats().byKind.querySet.bytes;
      const set = m.gpu(queries) as unknown as { target: number; queries: WebGLQuery[] };
      const plain = `#version 300 es
precision highp float;
out vec4 color;
void main() { color = vec4(1.0); }`;
      const shader = await m.createShader({ vertex, fragment: plain });
      const program = (m.gpu(shader) as { program: WebGLProgram }).program;
      const out = m.createTexture({ size: [4, 4], format: 'rgba8unorm', usage: T.RENDER_ATTACHMENT });
      const rt = m.createRenderTarget({ color: [out] });
      const pass = m.renderPass(rt);
      pass.begin();
      gl.useProgram(program);
      gl.beginQuery(set.target, set.queries[0]!);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.endQuery(set.target);
      gl.beginQuery(set.target, set.queries[1]!);
      gl.drawArrays(gl.TRIANGLES, 0, 0);
      gl.endQuery(set.target);
      pass.end();
      gl.useProgram(null);
      gl.flush();
      // Results arrive in a later task, never in the one that ended the query.
      let waited = 0;
      while (!gl.getQueryParameter(set.queries[1]!, gl.QUERY_RESULT_AVAILABLE) && waited < 100) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        waited++;
      }
      const results = set.queries.map((q) => Number(gl.getQueryParameter(q, gl.QUERY_RESULT)));
      const target = set.target === gl.ANY_SAMPLES_PASSED;
      m.destroy(queries);
      const deleted = set.queries.map((q) => gl.isQuery(q));
      m.dispose();
      return { bytes, results, target, deleted, waited };
    }, VERTEX);
    expect(r.bytes).toBe(16);
    expect(r.target).toBe(true);
    expect(r.results).toEqual([1, 0]);
    expect(r.deleted).toEqual([false, false]);
    console.log(`[webgl2-kinds] occlusion results after ${r.waited} waits of 20 ms`);
  });

  it('a texture, view or sampler under a live bind group cannot be destroyed (or cascades); storage and compute are refused', async () => {
    const r = await harness.page.evaluate(
      async (vertex, fragment) => {
        const gl = window.sharedGL();
        const {
          createResourceManager,
          TextureUsage: T,
          ShaderStage: S,
          ResourceInUseError,
          ValidationError,
        } = window.lib;
        const m = createResourceManager({ gl });
        const layout = m.createBindGroupLayout({
          label: 'shadow layout',
          entries: [
            { binding: 0, visibility: S.FRAGMENT, texture: {} },
            { binding: 1, visibility: S.FRAGMENT, sampler: {} },
          ],
        });
        const shadow = m.createTexture({
          label: 'shadow-map',
          size: [4, 4],
          format: 'rgba8unorm',
          usage: T.TEXTURE_BINDING | T.RENDER_ATTACHMENT,
        });
        const sampler = m.createSampler({ label: 'shadow sampler' });
        const view = m.createView(shadow, { label: 'shadow view' });
        const group = m.createBindGroup({
          label: 'shadow group',
          layout,
          entries: [
            { binding: 0, resource: view },
            { binding: 1, resource: sampler },
          ],
        });
        const attempt = (run: () => void) => {
          try {
            run();
            return 'destroyed';
          } catch (e) {
            return `${e instanceof ResourceInUseError ? 'ResourceInUseError' : 'other'}: ${(e as Error).message}`;
          }
        };
        const refused = [
          attempt(() => m.destroy(shadow)),
          attempt(() => m.destroy(view)),
          attempt(() => m.destroy(sampler)),
        ];
        const glTexture = (m.gpu(shadow) as { texture: WebGLTexture }).texture;
        const stillThere = m.has(shadow) && m.has(group) && gl.isTexture(glTexture);
        m.destroy(shadow, { cascade: true });
        const cascaded = {
          shadow: m.has(shadow),
          view: m.has(view),
          group: m.has(group),
          sampler: m.has(sampler),
        };
        const texDeleted = !gl.isTexture(glTexture);
        const unsupported = [
          () =>
            m.createBindGroupLayout({
              entries: [{ binding: 0, visibility: S.FRAGMENT, buffer: { type: 'read-only-storage' } }],
            }),
          () =>
            m.createBindGroupLayout({
              entries: [
                {
                  binding: 0,
                  visibility: S.FRAGMENT,
                  storageTexture: { format: 'r32float', access: 'read-only' },
                },
              ],
            }),
        ].map((run) => {
          try {
            run();
            return 'created';
          } catch (e) {
            return `${e instanceof ValidationError ? 'ValidationError' : 'other'}: ${(e as Error).message}`;
          }
        });
        const shader = await m.createShader({ vertex, fragment });
        const compute = await m.createComputePipeline({ layout: 'auto', compute: { module: shader } }).then(
          () => 'created',
          (e) => `${e instanceof ValidationError ? 'ValidationError' : 'other'}: ${(e as Error).message}`,
        );
        const left = {
          layouts: m.stats().byKind.bindGroupLayout.count,
          compute: m.stats().byKind.computePipeline.count,
        };
        m.dispose();
        return { refused, stillThere, cascaded, texDeleted, unsupported, compute, left };
      },
      VERTEX,
      FRAGMENT,
    );
    expect(r.refused).toHaveLength(3);
    for (const refusal of r.refused) expect(refusal).toMatch(/^ResourceInUseError: .*'shadow group'/);
    expect(r.stillThere).toBe(true);
    expect(r.cascaded).toEqual({ shadow: false, view: false, group: false, sampler: true });
    expect(r.texDeleted).toBe(true);
    expect(r.unsupported[0]).toMatch(/^ValidationError: .*WebGL2 cannot bind storage buffers/);
    expect(r.unsupported[1]).toMatch(/^ValidationError: .*WebGL2 cannot bind storage textures/);
    expect(r.compute).toMatch(/^ValidationError: .*WebGL2 cannot run compute pipelines/);
    expect(r.left).toEqual({ layouts: 1, compute: 0 });
  });
});
