import type { ResidencyOptions } from '../budget/content.ts';
import type { Capabilities } from '../core/capabilities.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { TextureDescriptor } from '../resources/texture.ts';
import type {
  TextureDataLayout,
  TextureExtentInput,
  TextureLocation,
} from '../staging/planning/texture-transfer.ts';
import type { AtlasRegionDescriptor } from './region-kind.ts';

/**
 * The part of a resource manager the atlas uses: public calls only, written structurally so a manager of any
 * backend (`ResourceManager<WebGPUObjects>`, `ResourceManager<WebGL2Objects>`) is accepted as it is (method
 * parameters compare bivariantly, so `unknown` here accepts each backend's encoder and command buffer). The
 * backend's own objects are reached only by the backend ops (webgpu-atlas-ops.ts, webgl2-atlas-ops.ts).
 */
export interface AtlasManager {
  readonly backendName: string;
  readonly backend: { readonly capabilities: Capabilities };
  /** Page textures carry a content source (`{ regenerate }`), so a restore fills them again. */
  createTexture(desc: TextureDescriptor & ResidencyOptions): Handle<'texture'>;
  /** Registers a region as a resource of the manager (kind `atlasRegion`). */
  createAtlasRegion(desc: AtlasRegionDescriptor): Handle<'atlasRegion'>;
  /** A handle's record in any state (`undefined` when stale): how the atlas resolves its region handles. */
  get(handle: AnyHandle): { readonly kind: string; readonly descriptor: unknown } | undefined;
  /** Like `get`, but throws the manager's typed error for a handle that does not resolve. */
  resolve(handle: AnyHandle): unknown;
  uploadTexture(
    texture: Handle<'texture'>,
    data: ArrayBufferView | ArrayBufferLike,
    layout: TextureDataLayout,
    size: TextureExtentInput,
    destination?: TextureLocation,
  ): Promise<void> | undefined;
  flush(encoder?: unknown): void;
  destroy(handle: AnyHandle): void;
  /** Refuses destroys of the page textures by anyone but the atlas (see `ResourceManager.hold`). */
  hold(handle: AnyHandle, holder: string): () => void;
  has(handle: AnyHandle): boolean;
  gpu(handle: Handle<'texture'>): unknown;
  use(...handles: AnyHandle[]): void;
  submit(commandBuffers: readonly unknown[], options?: { encoders?: readonly unknown[] }): void;
}
