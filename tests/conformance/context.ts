/**
 * The conformance suite's contract: a case is a name and a `run(ctx)`; `ctx` is what differs between targets
 * (WebGPU on Dawn in Node, WebGPU in Chromium, WebGL2 in Chromium), behind a small neutral interface.
 * Everything else a case does goes through the manager's public, backend-neutral API.
 */
import type { BackendObjects } from '../../src/core/backend.ts';
import type { ManagerOptions, ResourceManager } from '../../src/index.ts';
import type { ShaderDescriptor } from '../../src/resources/shader.ts';

/** A manager on any backend. */
export type AnyManager = ResourceManager<BackendObjects>;

/** Shader sources in the target's language (WGSL or GLSL ES 3.00). */
export interface ConformanceShaders {
  /** A module (or vertex + fragment pair) that compiles and links. */
  readonly valid: ShaderDescriptor;
  /** Another valid one, with different source. */
  readonly other: ShaderDescriptor;
  /** One with an undeclared identifier `undefinedThing` on line `brokenLine`. */
  readonly broken: ShaderDescriptor;
  readonly brokenLine: number;
}

/** What a case may use besides the manager API. */
export interface ConformanceContext {
  readonly backend: 'webgpu' | 'webgl2';
  /** A manager on the target's shared device or context. The case disposes it. */
  createManager(options?: ManagerOptions): AnyManager;
  /**
   * A manager on a device or context of its own, and the function that loses it for real (`device.destroy()`
   * on WebGPU, `WEBGL_lose_context.loseContext()` on WebGL2). Only loss cases use it.
   */
  createLosableManager(options?: ManagerOptions): Promise<{ manager: AnyManager; lose(): void }>;
  readonly shaders: ConformanceShaders;
}

/** One conformance case. */
export interface ConformanceCase {
  /** Unique across the suite: `'<area>: <behaviour>'`. */
  readonly name: string;
  run(ctx: ConformanceContext): void | Promise<void>;
}

/** The result a runner reports for one case. */
export interface CaseResult {
  readonly name: string;
  readonly ok: boolean;
  /** The error message (with stack) when the case failed. */
  readonly message: string;
  readonly ms: number;
}

/**
 * WGSL sources for WebGPU targets. The broken module's error is on line 3.
 *
 * @example
 * const shaders = WGSL_SHADERS; await manager.createShader(shaders.valid);
 */
export const WGSL_SHADERS: ConformanceShaders = {
  valid: {
    label: 'valid',
    code:
      '@vertex fn vs() -> @builtin(position) vec4f { return vec4f(0.0, 0.0, 0.0, 1.0); }\n' +
      '@fragment fn fs() -> @location(0) vec4f { return vec4f(1.0, 0.0, 0.0, 1.0); }\n',
  },
  other: {
    label: 'other',
    code: '@fragment fn fs() -> @location(0) vec4f { return vec4f(0.0, 1.0, 0.0, 1.0); }\n',
  },
  broken: {
    label: 'broken',
    code:
      '@vertex fn vs() -> @builtin(position) vec4f {\n' +
      '  let a = 1.0;\n' +
      '  return undefinedThing;\n' +
      '}\n',
  },
  brokenLine: 3,
};

const GLSL_FRAGMENT =
  '#version 300 es\nprecision mediump float;\nout vec4 color;\nvoid main() { color = vec4(1.0, 0.0, 0.0, 1.0); }\n';

/**
 * GLSL ES 3.00 sources for WebGL2 targets. The broken vertex shader's error is on line 3.
 *
 * @example
 * await manager.createShader(GLSL_SHADERS.valid);
 */
export const GLSL_SHADERS: ConformanceShaders = {
  valid: {
    label: 'valid',
    vertex: '#version 300 es\nvoid main() { gl_Position = vec4(0.0, 0.0, 0.0, 1.0); }\n',
    fragment: GLSL_FRAGMENT,
  },
  other: {
    label: 'other',
    vertex: '#version 300 es\nvoid main() { gl_Position = vec4(1.0, 0.0, 0.0, 1.0); }\n',
    fragment: GLSL_FRAGMENT,
  },
  broken: {
    label: 'broken',
    vertex: '#version 300 es\nvoid main() {\n  gl_Position = undefinedThing;\n}\n',
    fragment: GLSL_FRAGMENT,
  },
  brokenLine: 3,
};
