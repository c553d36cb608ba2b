import { ValidationError } from '../errors.ts';
import { readDescriptor, readMember, readSequence } from './input.ts';
import { readLabel } from './label.ts';

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

/** More entry points than any real module has; a longer list is a bug (or an endless iterator). */
const MAX_ENTRY_POINTS = 1024;

/**
 * Validates a shader descriptor and computes its sharing key. Rules: a descriptor object; `label` a string
 * or omitted; `code`, `vertex`, `fragment` strings or omitted, with non-empty WGSL `code` or both GLSL
 * stages; `entryPoints` omitted or a sequence (an array or any iterable) of strings. Nothing is converted.
 *
 * @example
 * normalizeShaderDescriptor({ label: 'blit', code: wgsl }).key
 */
export function normalizeShaderDescriptor(desc: ShaderDescriptor): NormalizedShaderDescriptor {
  const input = readDescriptor(desc, 'shader');
  const label = readLabel(input);
  const source = (field: 'code' | 'vertex' | 'fragment'): string => {
    const value = readMember(input, field, label, field);
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      throw new ValidationError(label, field, value, 'must be a string of shader source');
    }
    return value;
  };
  const code = source('code');
  const vertex = source('vertex');
  const fragment = source('fragment');
  if (!code && !(vertex && fragment)) {
    throw new ValidationError(
      label,
      'code',
      code,
      'must be non-empty WGSL, or give both vertex and fragment GLSL',
    );
  }
  const entryPoints = readEntryPoints(readMember(input, 'entryPoints', label, 'entryPoints'), label);
  const key = JSON.stringify([code, vertex, fragment, entryPoints]);
  return { label, code, vertex, fragment, entryPoints, key };
}

function readEntryPoints(value: unknown, label: string): readonly string[] {
  if (value === undefined) return [];
  const items = readSequence(value, label, 'entryPoints', MAX_ENTRY_POINTS);
  if (items === undefined) {
    throw new ValidationError(
      label,
      'entryPoints',
      value,
      'must be an array (or iterable) of entry point names',
    );
  }
  items.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') {
      throw new ValidationError(label, `entryPoints[${i}]`, name, 'must be a non-empty string');
    }
  });
  return (items as string[]).sort();
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
