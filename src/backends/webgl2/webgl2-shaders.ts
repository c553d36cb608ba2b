/**
 * Shaders on WebGL2: a GLSL ES 3.00 vertex + fragment pair compiled and linked into one program. Compile and
 * link are plain GL, because the manager needs each stage's info log as structured messages (twgl reports
 * them as one formatted string and deletes the objects first). twgl is used after a successful link:
 * `createProgramInfoFromProgram` gives the record uniform/attribute setters for `twgl.setUniforms` and friends.
 */
import { createProgramInfoFromProgram, type ProgramInfo } from 'twgl.js';
import type { ShaderMessage } from '../../errors.ts';
import type { NormalizedShaderDescriptor } from '../../resources/shader.ts';
import { parseInfoLog, prepareGlslSource } from './gl-info-log.ts';

/** What a shader handle's record holds on WebGL2. */
export interface WebGL2Program {
  readonly program: WebGLProgram;
  readonly vertexShader: WebGLShader;
  readonly fragmentShader: WebGLShader;
  /** twgl's view of the program: uniform and attribute setters, uniform block specs. */
  readonly info: ProgramInfo;
}

/** How often a parallel compile is polled (ms). */
const POLL_MS = 4;

/**
 * Compiles and links a program. Resolves with the program and every compiler/linker message (line numbers in
 * the caller's source), or with `program: undefined` and at least one error message, after deleting every GL
 * object it made. With KHR_parallel_shader_compile the status is polled on a timer instead of blocking.
 *
 * @example
 * const { program, messages } = await compileProgram(gl, desc, gl.getExtension('KHR_parallel_shader_compile'));
 */
export async function compileProgram(
  gl: WebGL2RenderingContext,
  desc: NormalizedShaderDescriptor,
  parallel: KHR_parallel_shader_compile | null,
): Promise<{ program: WebGL2Program | undefined; messages: ShaderMessage[] }> {
  if (!desc.vertex || !desc.fragment) {
    const message =
      'WebGL2 needs `vertex` and `fragment` GLSL ES 3.00 sources; WGSL `code` cannot run on WebGL2';
    return { program: undefined, messages: [{ type: 'error', message, line: 0, column: 0, sourceLine: '' }] };
  }
  const stages = [
    { name: 'vertex', type: gl.VERTEX_SHADER, original: desc.vertex },
    { name: 'fragment', type: gl.FRAGMENT_SHADER, original: desc.fragment },
  ].map((stage) => {
    const { source, lineOffset } = prepareGlslSource(stage.original);
    const shader = gl.createShader(stage.type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    return { ...stage, shader, lineOffset };
  });
  const program = gl.createProgram();
  for (const stage of stages) gl.attachShader(program, stage.shader);
  gl.linkProgram(program);

  if (parallel) {
    while (!gl.isContextLost() && !gl.getProgramParameter(program, parallel.COMPLETION_STATUS_KHR)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  const messages: ShaderMessage[] = [];
  let compiled = true;
  for (const stage of stages) {
    const ok = gl.getShaderParameter(stage.shader, gl.COMPILE_STATUS) === true;
    compiled &&= ok;
    const log = gl.getShaderInfoLog(stage.shader) ?? '';
    messages.push(
      ...parseInfoLog(log, {
        stage: stage.name,
        source: stage.original,
        lineOffset: stage.lineOffset,
        failed: !ok,
      }),
    );
  }
  const linked = compiled && gl.getProgramParameter(program, gl.LINK_STATUS) === true;
  if (compiled && !linked) {
    const log = gl.getProgramInfoLog(program) ?? '';
    messages.push(...parseInfoLog(log, { stage: 'link', source: '', lineOffset: 0, failed: true }));
  }
  const [vertex, fragment] = stages as [(typeof stages)[0], (typeof stages)[0]];
  if (!linked) {
    if (!messages.some((m) => m.type === 'error')) {
      const message = gl.isContextLost()
        ? 'the WebGL2 context was lost while compiling'
        : `the program did not ${compiled ? 'link' : 'compile'} and GL gave no message`;
      messages.push({ type: 'error', message, line: 0, column: 0, sourceLine: '' });
    }
    deleteProgramObjects(gl, program, vertex.shader, fragment.shader);
    return { program: undefined, messages };
  }
  // twgl's types name WebGLRenderingContext; WebGL2RenderingContext has every member it uses.
  const info = createProgramInfoFromProgram(gl as unknown as WebGLRenderingContext, program);
  return {
    program: { program, vertexShader: vertex.shader, fragmentShader: fragment.shader, info },
    messages,
  };
}

/**
 * Deletes a program and its two shaders (each exactly once).
 *
 * @example
 * deleteProgram(gl, record.gpu);
 */
export function deleteProgram(gl: WebGL2RenderingContext, program: WebGL2Program): void {
  deleteProgramObjects(gl, program.program, program.vertexShader, program.fragmentShader);
}

function deleteProgramObjects(
  gl: WebGL2RenderingContext,
  program: WebGLProgram,
  vertex: WebGLShader,
  fragment: WebGLShader,
): void {
  gl.deleteProgram(program);
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
}
