import { DisposedError } from '../errors.ts';
import type { AnyHandle, Handle } from '../handles/handle.ts';
import type { BindGroupDescriptor } from '../resources/bind-group.ts';
import type { BindGroupLayoutDescriptor } from '../resources/bind-group-layout.ts';
import type { BufferDescriptor } from '../resources/buffer.ts';
import type { ComputePipelineDescriptor, RenderPipelineDescriptor } from '../resources/pipeline.ts';
import type { PipelineLayoutDescriptor } from '../resources/pipeline-layout.ts';
import type { QuerySetDescriptor } from '../resources/query-set.ts';
import type { RenderTargetDescriptor } from '../resources/render-target.ts';
import type { SamplerDescriptor } from '../resources/sampler.ts';
import type { ShaderDescriptor } from '../resources/shader.ts';
import type { TextureDescriptor } from '../resources/texture.ts';
import type { TextureViewDescriptor } from '../resources/texture-view.ts';

/** The creation API a scope forwards to (the manager implements it). */
export interface ResourceCreator {
  createTexture(desc: TextureDescriptor): Handle<'texture'>;
  createBuffer(desc: BufferDescriptor): Handle<'buffer'>;
  createShader(desc: ShaderDescriptor): Promise<Handle<'shader'>>;
  createRenderTarget(desc: RenderTargetDescriptor): Handle<'renderTarget'>;
  createSampler(desc?: SamplerDescriptor): Handle<'sampler'>;
  createView(texture: Handle<'texture'>, desc?: TextureViewDescriptor): Handle<'textureView'>;
  createBindGroupLayout(desc: BindGroupLayoutDescriptor): Handle<'bindGroupLayout'>;
  createPipelineLayout(desc: PipelineLayoutDescriptor): Handle<'pipelineLayout'>;
  createBindGroup(desc: BindGroupDescriptor): Handle<'bindGroup'>;
  createRenderPipeline(desc: RenderPipelineDescriptor): Promise<Handle<'renderPipeline'>>;
  createComputePipeline(desc: ComputePipelineDescriptor): Promise<Handle<'computePipeline'>>;
  createQuerySet(desc: QuerySetDescriptor): Handle<'querySet'>;
  has(handle: AnyHandle): boolean;
  destroy(handle: AnyHandle, options?: { cascade?: boolean }): void;
  /** Ends one owner reference if one is left; nothing otherwise (already destroyed by hand, or stale). */
  destroyIfOwned(handle: AnyHandle): void;
}

/**
 * Creates resources through the manager and destroys all of them when disposed, newest first (so a render
 * target goes before its attachments). Resources already destroyed by hand are skipped, and a resource that
 * another owner retained lives on until released. Scopes nest: a child scope creates straight through the
 * manager and owns only what it created; it is disposed with its parent. `using` works: `using frame = manager.scope()`.
 *
 * @example
 * {
 *   using frame = manager.scope();
 *   const color = frame.createTexture({ size: [w, h], format: 'rgba8unorm', usage });
 *   const rt = frame.createRenderTarget({ color: [color] });
 * } // rt, then color, destroyed here
 */
export class ResourceScope implements ResourceCreator, Disposable {
  private owned: (AnyHandle | ResourceScope)[] = [];
  private disposed = false;

  constructor(private readonly manager: ResourceCreator) {}

  /** Creates a texture owned by this scope. @example frame.createTexture(desc) */
  createTexture(desc: TextureDescriptor): Handle<'texture'> {
    return this.own(this.manager.createTexture(desc));
  }

  /** Creates a buffer owned by this scope. @example frame.createBuffer(desc) */
  createBuffer(desc: BufferDescriptor): Handle<'buffer'> {
    return this.own(this.manager.createBuffer(desc));
  }

  /** Creates (or shares) a shader owned by this scope. @example await frame.createShader({ code }) */
  async createShader(desc: ShaderDescriptor): Promise<Handle<'shader'>> {
    return this.own(await this.manager.createShader(desc));
  }

  /** Creates a render target owned by this scope. @example frame.createRenderTarget({ color: [tex] }) */
  createRenderTarget(desc: RenderTargetDescriptor): Handle<'renderTarget'> {
    return this.own(this.manager.createRenderTarget(desc));
  }

  /** Creates (or shares) a sampler owned by this scope. @example frame.createSampler({ magFilter: 'linear' }) */
  createSampler(desc?: SamplerDescriptor): Handle<'sampler'> {
    return this.own(this.manager.createSampler(desc));
  }

  /** Creates (or shares) a texture view owned by this scope. @example frame.createView(tex, { baseMipLevel: 1 }) */
  createView(texture: Handle<'texture'>, desc?: TextureViewDescriptor): Handle<'textureView'> {
    return this.own(this.manager.createView(texture, desc));
  }

  /** Creates (or shares) a bind group layout owned by this scope. @example frame.createBindGroupLayout({ entries }) */
  createBindGroupLayout(desc: BindGroupLayoutDescriptor): Handle<'bindGroupLayout'> {
    return this.own(this.manager.createBindGroupLayout(desc));
  }

  /** Creates (or shares) a pipeline layout owned by this scope. @example frame.createPipelineLayout({ bindGroupLayouts }) */
  createPipelineLayout(desc: PipelineLayoutDescriptor): Handle<'pipelineLayout'> {
    return this.own(this.manager.createPipelineLayout(desc));
  }

  /** Creates (or shares) a bind group owned by this scope. @example frame.createBindGroup({ layout, entries }) */
  createBindGroup(desc: BindGroupDescriptor): Handle<'bindGroup'> {
    return this.own(this.manager.createBindGroup(desc));
  }

  /** Creates (or shares) a render pipeline owned by this scope. @example await frame.createRenderPipeline(desc) */
  async createRenderPipeline(desc: RenderPipelineDescriptor): Promise<Handle<'renderPipeline'>> {
    return this.own(await this.manager.createRenderPipeline(desc));
  }

  /** Creates (or shares) a compute pipeline owned by this scope. @example await frame.createComputePipeline(desc) */
  async createComputePipeline(desc: ComputePipelineDescriptor): Promise<Handle<'computePipeline'>> {
    return this.own(await this.manager.createComputePipeline(desc));
  }

  /** Creates a query set owned by this scope. @example frame.createQuerySet({ type: 'occlusion', count: 8 }) */
  createQuerySet(desc: QuerySetDescriptor): Handle<'querySet'> {
    return this.own(this.manager.createQuerySet(desc));
  }

  /**
   * Hands an existing resource to this scope: it is destroyed when the scope is.
   *
   * @example
   * frame.adopt(manager.createBuffer(desc));
   */
  adopt<K extends string>(handle: Handle<K>): Handle<K> {
    return this.own(handle);
  }

  /**
   * A nested scope, disposed with this one (before the resources this one created earlier).
   *
   * @example
   * using pass = frame.scope();
   */
  scope(): ResourceScope {
    this.assertOpen();
    const child = new ResourceScope(this.manager);
    this.owned.push(child);
    return child;
  }

  /** True while the handle is live (forwarded to the manager). */
  has(handle: AnyHandle): boolean {
    return this.manager.has(handle);
  }

  /** Destroys one resource now (forwarded to the manager); the scope skips it later. */
  destroy(handle: AnyHandle, options?: { cascade?: boolean }): void {
    this.manager.destroy(handle, options);
    const index = this.owned.lastIndexOf(handle);
    if (index >= 0) this.owned.splice(index, 1);
  }

  /** Ends one owner reference if one is left (forwarded to the manager); the scope skips it later. */
  destroyIfOwned(handle: AnyHandle): void {
    this.manager.destroyIfOwned(handle);
    const index = this.owned.lastIndexOf(handle);
    if (index >= 0) this.owned.splice(index, 1);
  }

  /**
   * Destroys everything this scope and its children created, newest first. If a resource cannot be destroyed
   * (a live render target outside the scope still uses it), the others are still destroyed and the first
   * error is thrown at the end. Disposing twice does nothing.
   *
   * @example
   * frame.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const owned = this.owned;
    this.owned = [];
    let firstError: unknown;
    for (let i = owned.length - 1; i >= 0; i--) {
      const item = owned[i]!;
      try {
        if (item instanceof ResourceScope) item.dispose();
        else this.manager.destroyIfOwned(item);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  /** `using` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private own<H extends AnyHandle>(handle: H): H {
    if (this.disposed) {
      this.manager.destroy(handle);
      this.assertOpen();
    }
    this.owned.push(handle);
    return handle;
  }

  private assertOpen(): void {
    if (this.disposed)
      throw new DisposedError('this scope', 'create resources (create through a live scope)');
  }
}
