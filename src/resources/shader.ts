import { ValidationError } from '../errors.ts';

/** A shader module's source. On WebGPU, `code` is WGSL; on WebGL2, `vertex` + `fragment` GLSL ES 3.00. */
export interface ShaderDescriptor {
  label?: string;
  /** WGSL source (WebGPU). */
  code?: string;
  /** GLSL ES 3.00 vertex shader (WebGL2). */
  vertex?: string;
  /** GLSL ES 3.00 fragment shader (WebGL2). */
  fragment?: string;
  /** Entry points the caller will use; part of the identity used to share identical shaders. */
  entryPoints?: readonly string[];
}

/** A validated shader descriptor. `key` identifies identical sources for sharing. */
export interface NormalizedShaderDescriptor {
  readonly label: string;
  readonly code: string;
  readonly vertex: string;
  readonly fragment: string;
  readonly entryPoints: readonly string[];
  readonly key: string;
}

/**
 * Validates a shader descriptor (source present and a string) and computes its sharing key.
 *
 * @example
 * normalizeShaderDescriptor({ label: 'blit', code: wgsl }).key
 */
export function normalizeShaderDescriptor(desc: ShaderDescriptor): NormalizedShaderDescriptor {
  const label = desc.label ?? '';
  const code = desc.code ?? '';
  const vertex = desc.vertex ?? '';
  const fragment = desc.fragment ?? '';
  for (const field of ['code', 'vertex', 'fragment'] as const) {
    const value = desc[field];
    if (value !== undefined && typeof value !== 'string') {
      throw new ValidationError(label, field, typeof value, 'must be a string of shader source');
    }
  }
  if (!code && !(vertex && fragment)) {
    throw new ValidationError(
      label,
      'code',
      code,
      'must be non-empty WGSL, or give both vertex and fragment GLSL',
    );
  }
  const entryPoints = [...(desc.entryPoints ?? [])].sort();
  const key = JSON.stringify([code, vertex, fragment, entryPoints]);
  return { label, code, vertex, fragment, entryPoints, key };
}

/**
 * Splits source into lines once, for attaching the offending line to compiler messages.
 *
 * @example
 * sourceLineAt(code, 3) // the third line, '' when out of range
 */
export function sourceLineAt(source: string, line: number): string {
  if (line < 1) return '';
  return source.split('\n')[line - 1] ?? '';
}
