/**
 * WebGL2 programs on real GL: compile and link errors as ShaderCompileError with the caller's line numbers and
 * source lines (leading blank lines do not shift them), WGSL refused with a clear message, and every GL object
 * of a failed program deleted.
 */
import { describe, expect, it } from 'vitest';
import { useWebGL2Page } from './pages/webgl2-harness.ts';

const harness = useWebGL2Page();

describe('WebGL2 shaders', () => {
  it('compile and link errors carry line numbers and source lines; failed programs leave no GL object', async () => {
    const r = await harness.page.evaluate(async () => {
      const gl = window.sharedGL();
      const { createResourceManager, ShaderCompileError } = window.lib;
      const m = createResourceManager({ gl });
      const made: (WebGLShader | WebGLProgram)[] = [];
      const shaders = new Set<WebGLShader>();
      const realShader = gl.createShader;
      const realProgram = gl.createProgram;
      gl.createShader = (type: number) => {
        const s = realShader.call(gl, type);
        if (s) shaders.add(s);
        made.push(s!);
        return s;
      };
      gl.createProgram = () => {
        const p = realProgram.call(gl);
        made.push(p);
        return p;
      };
      const fragment =
        '#version 300 es\nprecision mediump float;\nin vec2 v;\nout vec4 c;\nvoid main() { c = vec4(v, 0.0, 1.0); }';
      const fail = async (vertex: string, frag = fragment) => {
        try {
          await m.createShader({ label: 'bad', vertex, fragment: frag });
          return undefined;
        } catch (e) {
          if (!(e instanceof ShaderCompileError)) return { name: String(e), messages: [] };
          return { name: e.name, messages: e.messages.map((x) => [x.type, x.line, x.message, x.sourceLine]) };
        }
      };
      try {
        // A leading blank line (a template literal's) is stripped for GL but not counted against the caller.
        const compile = await fail(
          '\n#version 300 es\nout vec2 v;\nvoid main() {\n  v = undefinedThing;\n  gl_Position = vec4(0.0);\n}',
        );
        const fragmentError = await fail(
          '#version 300 es\nout vec2 v;\nvoid main() { v = vec2(0.0); gl_Position = vec4(0.0); }',
          '#version 300 es\nprecision mediump float;\nin vec2 v;\nout vec4 c;\nvoid main() { c = nope; }',
        );
        const link = await fail(
          '#version 300 es\nout vec3 v;\nvoid main() { v = vec3(0.0); gl_Position = vec4(0.0); }',
        );
        let wgsl = '';
        try {
          await m.createShader({ code: '@fragment fn fs() {}' });
        } catch (e) {
          wgsl = (e as Error).message;
        }
        const leaked = made.filter((o) => (shaders.has(o) ? gl.isShader(o) : gl.isProgram(o))).length;
        return { compile, fragmentError, link, wgsl, made: made.length, leaked, live: m.stats().totalCount };
      } finally {
        gl.createShader = realShader;
        gl.createProgram = realProgram;
        m.dispose();
      }
    });
    expect(r.compile?.name).toBe('ShaderCompileError');
    expect(r.compile?.messages).toContainEqual([
      'error',
      5,
      "[vertex] 'undefinedThing' : undeclared identifier",
      '  v = undefinedThing;',
    ]);
    expect(r.fragmentError?.messages).toContainEqual([
      'error',
      5,
      "[fragment] 'nope' : undeclared identifier",
      'void main() { c = nope; }',
    ]);
    const linkMessages = r.link?.messages ?? [];
    expect(linkMessages.length).toBeGreaterThan(0);
    for (const [type, line, message] of linkMessages) {
      expect([type, line]).toEqual(['error', 0]);
      expect(message).toMatch(/^\[link\] /);
    }
    expect(r.wgsl).toMatch(/WebGL2 needs `vertex` and `fragment` GLSL ES 3.00/);
    expect(r.made).toBe(9); // three failed attempts, each a program and two shaders
    expect(r.leaked).toBe(0);
    expect(r.live).toBe(0);
  });
});
