import type { Capabilities } from '../core/capabilities.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { TextureDescriptor } from '../resources/texture.ts';
import type {
  TextureDataLayout,
  TextureExtentInput,
  TextureLocation,
} from '../staging/planning/texture-transfer.ts';

/**
 * The part of a resource manager the atlas uses: public calls only, written structurally so a manager of any
 * backend (`ResourceManager<WebGPUObjects>`, `ResourceManager<WebGL2Objects>`) is accepted as it is (method
 * parameters compare bivariantly, so `unknown` here accepts each backend's encoder and command buffer). The
 * backend's own objects are reached only by the backend ops (webgpu-atlas-ops.ts, webgl2-atlas-ops.ts).
 */
export interface AtlasManager {
  readonly backendName: string;
  readonly backend: { readonly capabilities: Capabilities };
  createTexture(desc: TextureDescriptor): Handle<'texture'>;
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
