/**
 * Pipelines on WebGL2: the shader handle's linked program plus the fixed-function state a draw applies
 * (topology as the GL draw mode, blend of the first colour target, depth test and write, cull face, front
 * face, colour write mask), applied by {@link applyGLPipeline}. GLSL ES 3.00 has no binding qualifiers, so a
 * pipeline layout's bindings are matched to the program in GL's order: uniform block `i` (twgl's block specs
 * by block index) reads uniform binding point `i`, sampler uniform `i` (in active-uniform order) reads texture
 * unit `i`; see webgl2-bind-group.ts for how bind groups fill those points and units. Compute pipelines do not
 * exist on WebGL2 and are refused with a `ValidationError`.
 */
import { ValidationError } from '../../errors.ts';
import type {
  NormalizedComputePipelineDescriptor,
  NormalizedRenderPipelineDescriptor,
} from '../../resources/pipeline.ts';
import type { NormalizedBlendComponent } from '../../resources/pipeline-state.ts';
import type { WebGL2PipelineLayout } from './webgl2-bind-group.ts';
import { compareFunction } from './webgl2-sampler.ts';
import type { WebGL2Program } from './webgl2-shaders.ts';

/** A render pipeline on WebGL2. */
export interface WebGL2RenderPipeline {
  readonly program: WebGL2Program;
  readonly layout: WebGL2PipelineLayout | 'auto';
  /** GL draw mode: POINTS, LINES, LINE_STRIP, TRIANGLES or TRIANGLE_STRIP. */
  readonly mode: number;
  readonly desc: NormalizedRenderPipelineDescriptor;
}

/** Compute pipelines cannot be built on WebGL2; the type exists so the kind table stays complete. */
export interface WebGL2ComputePipeline {
  readonly unsupported: true;
}

/**
 * Builds a GL render pipeline. Refuses what GL cannot do: more than one colour target with different blend
 * states is allowed (GL blends all draw buffers alike, so the first target's blend applies to all), but
 * `unclippedDepth` and sample masks other than all-ones are refused.
 *
 * @example
 * const pipeline = createGLRenderPipeline(gl, desc, program, layout);
 */
export function createGLRenderPipeline(
  gl: WebGL2RenderingContext,
  desc: NormalizedRenderPipelineDescriptor,
  program: WebGL2Program,
  layout: WebGL2PipelineLayout | 'auto',
): WebGL2RenderPipeline {
  if (desc.multisample.mask !== 0xffffffff) {
    throw new ValidationError(
      desc.label,
      'multisample.mask',
      desc.multisample.mask,
      'WebGL2 cannot apply a sample mask per pipeline (0xffffffff only)',
    );
  }
  const modes: Record<GPUPrimitiveTopology, number> = {
    'point-list': gl.POINTS,
    'line-list': gl.LINES,
    'line-strip': gl.LINE_STRIP,
    'triangle-list': gl.TRIANGLES,
    'triangle-strip': gl.TRIANGLE_STRIP,
  };
  if (layout !== 'auto') bindProgramSlots(gl, program);
  return { program, layout, mode: modes[desc.primitive.topology], desc };
}

/** Points uniform block `i` at binding point `i` and sampler uniform `i` at texture unit `i`. */
function bindProgramSlots(gl: WebGL2RenderingContext, program: WebGL2Program): void {
  const blocks = gl.getProgramParameter(program.program, gl.ACTIVE_UNIFORM_BLOCKS) as number;
  for (let i = 0; i < blocks; i++) gl.uniformBlockBinding(program.program, i, i);
  const uniforms = gl.getProgramParameter(program.program, gl.ACTIVE_UNIFORMS) as number;
  const previous = gl.getParameter(gl.CURRENT_PROGRAM) as WebGLProgram | null;
  gl.useProgram(program.program);
  let unit = 0;
  for (let i = 0; i < uniforms; i++) {
    const info = gl.getActiveUniform(program.program, i);
    if (!info || !isSamplerType(gl, info.type)) continue;
    const location = gl.getUniformLocation(program.program, info.name);
    if (location) gl.uniform1i(location, unit++);
  }
  gl.useProgram(previous);
}

function isSamplerType(gl: WebGL2RenderingContext, type: number): boolean {
  const samplers: readonly number[] = [
    gl.SAMPLER_2D,
    gl.SAMPLER_3D,
    gl.SAMPLER_CUBE,
    gl.SAMPLER_2D_SHADOW,
    gl.SAMPLER_2D_ARRAY,
    gl.SAMPLER_2D_ARRAY_SHADOW,
    gl.INT_SAMPLER_2D,
    gl.INT_SAMPLER_3D,
    gl.INT_SAMPLER_2D_ARRAY,
    gl.UNSIGNED_INT_SAMPLER_2D,
    gl.UNSIGNED_INT_SAMPLER_3D,
    gl.UNSIGNED_INT_SAMPLER_2D_ARRAY,
  ];
  return samplers.includes(type);
}

/**
 * WebGL2 has no compute shaders: always throws a `ValidationError` that says so.
 *
 * @example
 * createGLComputePipeline(desc) // throws
 */
export function createGLComputePipeline(desc: NormalizedComputePipelineDescriptor): never {
  throw new ValidationError(
    desc.label,
    'compute',
    desc.compute.entryPoint ?? 'compute',
    'WebGL2 cannot run compute pipelines (it has no compute shaders)',
  );
}

function blendFactor(gl: WebGL2RenderingContext, factor: GPUBlendFactor): number {
  const table: Record<GPUBlendFactor, number> = {
    zero: gl.ZERO,
    one: gl.ONE,
    src: gl.SRC_COLOR,
    'one-minus-src': gl.ONE_MINUS_SRC_COLOR,
    'src-alpha': gl.SRC_ALPHA,
    'one-minus-src-alpha': gl.ONE_MINUS_SRC_ALPHA,
    dst: gl.DST_COLOR,
    'one-minus-dst': gl.ONE_MINUS_DST_COLOR,
    'dst-alpha': gl.DST_ALPHA,
    'one-minus-dst-alpha': gl.ONE_MINUS_DST_ALPHA,
    'src-alpha-saturated': gl.SRC_ALPHA_SATURATE,
    constant: gl.CONSTANT_COLOR,
    'one-minus-constant': gl.ONE_MINUS_CONSTANT_COLOR,
  } as Record<GPUBlendFactor, number>;
  return table[factor];
}

function blendEquation(gl: WebGL2RenderingContext, c: NormalizedBlendComponent): number {
  switch (c.operation) {
    case 'add':
      return gl.FUNC_ADD;
    case 'subtract':
      return gl.FUNC_SUBTRACT;
    case 'reverse-subtract':
      return gl.FUNC_REVERSE_SUBTRACT;
    case 'min':
      return gl.MIN;
    default:
      return gl.MAX;
  }
}

/**
 * Applies the pipeline for the draws that follow: program, blend, depth, cull and write mask.
 *
 * @example
 * applyGLPipeline(gl, pipeline); gl.drawArrays(pipeline.mode, 0, 3);
 */
export function applyGLPipeline(gl: WebGL2RenderingContext, pipeline: WebGL2RenderPipeline): void {
  const { desc } = pipeline;
  gl.useProgram(pipeline.program.program);
  const target = desc.fragment?.targets.find((t) => t !== null);
  if (target?.blend) {
    gl.enable(gl.BLEND);
    const { color, alpha } = target.blend;
    gl.blendEquationSeparate(blendEquation(gl, color), blendEquation(gl, alpha));
    gl.blendFuncSeparate(
      blendFactor(gl, color.srcFactor),
      blendFactor(gl, color.dstFactor),
      blendFactor(gl, alpha.srcFactor),
      blendFactor(gl, alpha.dstFactor),
    );
  } else gl.disable(gl.BLEND);
  const mask = target?.writeMask ?? 0xf;
  gl.colorMask((mask & 1) !== 0, (mask & 2) !== 0, (mask & 4) !== 0, (mask & 8) !== 0);
  const ds = desc.depthStencil;
  if (ds) {
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(compareFunction(gl, ds.depthCompare));
    gl.depthMask(ds.depthWriteEnabled);
  } else gl.disable(gl.DEPTH_TEST);
  const { cullMode, frontFace } = desc.primitive;
  if (cullMode === 'none') gl.disable(gl.CULL_FACE);
  else {
    gl.enable(gl.CULL_FACE);
    gl.cullFace(cullMode === 'front' ? gl.FRONT : gl.BACK);
  }
  gl.frontFace(frontFace === 'ccw' ? gl.CCW : gl.CW);
}
