import type { ShaderMessage } from '../errors.ts';
import type { NormalizedBufferDescriptor } from '../resources/buffer.ts';
import type { NormalizedRenderTargetDescriptor } from '../resources/render-target.ts';
import type { NormalizedShaderDescriptor } from '../resources/shader.ts';
import type { NormalizedTextureDescriptor } from '../resources/texture.ts';

/**
 * The type-level facts of every kind: its normalized descriptor and the fields its record adds. This map is the
 * source of `ResourceKind`; the kind table (`KINDS`) must then cover every key, and so must every backend's
 * object types and destroy table, or the project does not compile.
 */
export interface KindTypes {
  texture: { descriptor: NormalizedTextureDescriptor; extra: object };
  buffer: { descriptor: NormalizedBufferDescriptor; extra: object };
  shader: {
    descriptor: NormalizedShaderDescriptor;
    /** The compiler's warnings and infos. */
    extra: { readonly diagnostics: readonly ShaderMessage[] };
  };
  renderTarget: { descriptor: NormalizedRenderTargetDescriptor; extra: object };
}

/** The kinds of resource the manager owns. */
export type ResourceKind = keyof KindTypes;

/** The normalized descriptor of a kind. */
export type DescriptorOf<K extends ResourceKind> = KindTypes[K]['descriptor'];
