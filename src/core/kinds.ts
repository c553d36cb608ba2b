import { describeAtlasRegion } from '../atlas/region-kind.ts';
import { ShaderCompileError } from '../errors.ts';
import type { AnyHandle } from '../handles/handle.ts';
import { bindGroupDependencies, bindGroupResources } from '../resources/bind-group.ts';
import { normalizeBufferDescriptor } from '../resources/buffer.ts';
import { computePipelineDependencies, renderPipelineDependencies } from '../resources/pipeline.ts';
import { QUERY_RESULT_BYTES } from '../resources/query-set.ts';
import { normalizeTextureDescriptor } from '../resources/texture.ts';
import type { Backend, BackendObjects, RenderTargetAttachments } from './backend.ts';
import type { Capabilities } from './capabilities.ts';
import type { DescriptorOf, KindTypes, ResourceKind } from './kind-types.ts';

/** Resolves the GPU object of a dependency while a dependent is built (it is always older and live). */
export type DependencyObjects<B extends BackendObjects> = <K extends ResourceKind>(
  handle: AnyHandle,
  kind: K,
) => B[K];

/**
 * Everything the manager needs to know about one kind, in one place. The overlay rows, the ledger kinds, dumps,
 * scopes, sharing, rebuilds after eviction or loss, and the conformance probes all read this table.
 */
export interface KindSpec<K extends ResourceKind> {
  /** Plural display name (overlay rows, messages). */
  readonly displayName: string;
  /** Display order of the kind's row (ascending). */
  readonly order: number;
  /** Whether resources of this kind own GPU memory the page can know (false: count only, 0 bytes). */
  readonly ownsBytes: boolean;
  /**
   * When identical normalized descriptors share one entry (one handle, one owner count per create), the key
   * that identifies them; `undefined` for kinds that are never shared.
   */
  readonly shareKey: ((desc: DescriptorOf<K>) => string) | undefined;
  /** The older resources an instance uses; they cannot go while it lives, and are rebuilt before it. */
  dependencies(desc: DescriptorOf<K>): readonly AnyHandle[];
  /** Exact bytes on this backend (0 unless `ownsBytes`). */
  bytes<B extends BackendObjects>(backend: Backend<B>, desc: DescriptorOf<K>): number;
  /**
   * Builds the GPU object from a validated descriptor: the one call the manager makes for a create, and again
   * for a rebuild under the same handle (after eviction or device loss). Kinds whose records carry extra
   * fields (a shader's diagnostics) hand them to `extra`.
   */
  build<B extends BackendObjects>(
    backend: Backend<B>,
    desc: DescriptorOf<K>,
    dependency: DependencyObjects<B>,
    extra: (fields: KindTypes[K]['extra']) => void,
  ): B[K] | Promise<B[K]>;
  /** The descriptor as it appears in a JSON dump (plain data, no handles to GPU objects). */
  describe(desc: DescriptorOf<K>): Readonly<Record<string, unknown>>;
  /**
   * Checks a descriptor validated on one device against another's capabilities (restore onto a new device);
   * throws the kind's `ValidationError` when it no longer fits. Omitted when nothing can change.
   */
  revalidate?(desc: DescriptorOf<K>, capabilities: Capabilities): void;
  /**
   * The descriptor to build from when the object is built again under the same handle (a buffer is not
   * mapped again: its contents come from its source). Omitted: the descriptor as created.
   */
  forRebuild?(desc: DescriptorOf<K>): DescriptorOf<K>;
  /**
   * Runs once when a resource of this kind leaves the table, whatever its state (live, evicted, lost,
   * failed), after its handle went stale: frees what the kind stands for outside the GPU (an atlas region's
   * allocation). Omitted for kinds that are only a GPU object.
   */
  removed?(desc: DescriptorOf<K>): void;
}

/**
 * Builds a kind's GPU object again from its descriptor (eviction return, restore after loss).
 *
 * @example
 * const gpu = await rebuildObject('texture', backend, record.descriptor, dependencyObject);
 */
export function rebuildObject<K extends ResourceKind, B extends BackendObjects>(
  kind: K,
  backend: Backend<B>,
  desc: DescriptorOf<K>,
  dependency: DependencyObjects<B>,
): B[K] | Promise<B[K]> {
  const spec = kindSpec(kind);
  return spec.build(backend, spec.forRebuild ? spec.forRebuild(desc) : desc, dependency, () => {});
}

/** The dependencies of a resource that has none: one frozen list, not an array per create. */
const NO_DEPENDENCIES: readonly AnyHandle[] = Object.freeze([]);

/**
 * The kind table. `satisfies` makes the compiler check that every kind of `KindTypes` has an entry, and that
 * each entry is right for its kind.
 *
 * @example
 * KINDS.texture.displayName // 'textures'
 * KINDS.shader.shareKey !== undefined // shaders are shared by source
 */
export const KINDS = {
  texture: {
    displayName: 'textures',
    order: 0,
    ownsBytes: true,
    shareKey: undefined,
    dependencies: () => NO_DEPENDENCIES,
    bytes: (backend, desc) => backend.textureByteSize(desc),
    build: (backend, desc) => backend.createTexture(desc),
    revalidate: (desc, capabilities) => {
      const { width, height, depthOrArrayLayers, ...rest } = desc;
      normalizeTextureDescriptor({ ...rest, size: [width, height, depthOrArrayLayers] }, capabilities);
    },
    describe: ({ label: _label, viewFormats, ...rest }) => ({ ...rest, viewFormats: [...viewFormats] }),
  },
  buffer: {
    displayName: 'buffers',
    order: 1,
    ownsBytes: true,
    shareKey: undefined,
    dependencies: () => NO_DEPENDENCIES,
    bytes: (_backend, desc) => desc.size,
    build: (backend, desc) => backend.createBuffer(desc),
    revalidate: (desc, capabilities) => {
      normalizeBufferDescriptor(desc, capabilities);
    },
    forRebuild: (desc) => ({ ...desc, mappedAtCreation: false }),
    describe: (desc) => ({ size: desc.size, usage: desc.usage }),
  },
  renderTarget: {
    displayName: 'render targets',
    order: 2,
    ownsBytes: false,
    shareKey: undefined,
    dependencies: (desc) => {
      const handles: AnyHandle[] = [];
      for (const c of desc.color) {
        if (!c) continue;
        handles.push(c.texture);
        if (c.resolveTarget !== undefined) handles.push(c.resolveTarget);
      }
      if (desc.depthStencil) handles.push(desc.depthStencil.texture);
      return handles;
    },
    bytes: () => 0,
    build: (backend, desc, dependency) => {
      const texture = (handle: AnyHandle) => dependency(handle, 'texture');
      const attachments: RenderTargetAttachments<BackendObjects> = {
        color: desc.color.map((c) =>
          c
            ? {
                texture: texture(c.texture),
                resolveTarget: c.resolveTarget === undefined ? undefined : texture(c.resolveTarget),
              }
            : null,
        ),
        depthStencil: desc.depthStencil && texture(desc.depthStencil.texture),
      };
      return backend.createRenderTarget(desc, attachments as never);
    },
    describe: (desc) => ({
      width: desc.width,
      height: desc.height,
      sampleCount: desc.sampleCount,
      color: desc.color.map((c) => c?.texture ?? null),
      depthStencil: desc.depthStencil?.texture ?? null,
    }),
  },
  shader: {
    displayName: 'shaders',
    order: 3,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: () => NO_DEPENDENCIES,
    bytes: () => 0,
    build: async (backend, desc, _dependency, extra) => {
      const { shader, messages } = await backend.compileShader(desc);
      if (shader === undefined) throw new ShaderCompileError(desc.label, messages);
      extra({ diagnostics: messages });
      return shader;
    },
    describe: (desc) => ({
      entryPoints: [...desc.entryPoints],
      sourceLength: desc.code.length + desc.vertex.length + desc.fragment.length,
    }),
  },
  sampler: {
    displayName: 'samplers',
    order: 4,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: () => NO_DEPENDENCIES,
    bytes: () => 0,
    build: (backend, desc) => backend.createSampler(desc),
    describe: ({ label: _label, key: _key, ...fields }) => fields,
  },
  textureView: {
    displayName: 'texture views',
    order: 5,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: (desc) => [desc.texture],
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      backend.createTextureView(desc, dependency(desc.texture, 'texture')),
    describe: ({ label: _label, key: _key, ...fields }) => fields,
  },
  bindGroupLayout: {
    displayName: 'bind group layouts',
    order: 6,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: (desc) => (desc.implicit ? [desc.implicit.pipeline] : []),
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      desc.implicit
        ? backend.implicitBindGroupLayout(
            dependency(desc.implicit.pipeline, desc.implicit.kind),
            desc.implicit.group,
            desc.label,
          )
        : backend.createBindGroupLayout(desc),
    describe: (desc) => ({ entries: desc.entries.map((e) => ({ ...e })) }),
  },
  pipelineLayout: {
    displayName: 'pipeline layouts',
    order: 7,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: (desc) => desc.bindGroupLayouts,
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      backend.createPipelineLayout(
        desc,
        desc.bindGroupLayouts.map((h) => dependency(h, 'bindGroupLayout')),
      ),
    describe: (desc) => ({ bindGroupLayouts: [...desc.bindGroupLayouts] }),
  },
  bindGroup: {
    displayName: 'bind groups',
    order: 8,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: bindGroupDependencies,
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      backend.createBindGroup(
        desc,
        dependency(desc.layout, 'bindGroupLayout'),
        bindGroupResources(desc, dependency),
      ),
    describe: (desc) => ({ layout: desc.layout, entries: desc.entries.map((e) => ({ ...e })) }),
  },
  renderPipeline: {
    displayName: 'render pipelines',
    order: 9,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: renderPipelineDependencies,
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      backend.createRenderPipeline(desc, {
        layout: desc.layout === 'auto' ? 'auto' : dependency(desc.layout, 'pipelineLayout'),
        vertex: dependency(desc.vertex.module, 'shader'),
        fragment: desc.fragment && dependency(desc.fragment.module, 'shader'),
      }),
    describe: ({ label: _label, key: _key, ...fields }) => JSON.parse(JSON.stringify(fields)),
  },
  computePipeline: {
    displayName: 'compute pipelines',
    order: 10,
    ownsBytes: false,
    shareKey: (desc) => desc.key,
    dependencies: computePipelineDependencies,
    bytes: () => 0,
    build: (backend, desc, dependency) =>
      backend.createComputePipeline(desc, {
        layout: desc.layout === 'auto' ? 'auto' : dependency(desc.layout, 'pipelineLayout'),
        compute: dependency(desc.compute.module, 'shader'),
      }),
    describe: ({ label: _label, key: _key, ...fields }) => JSON.parse(JSON.stringify(fields)),
  },
  querySet: {
    displayName: 'query sets',
    order: 11,
    ownsBytes: true,
    shareKey: undefined,
    dependencies: () => NO_DEPENDENCIES,
    bytes: (_backend, desc) => desc.count * QUERY_RESULT_BYTES,
    build: (backend, desc) => backend.createQuerySet(desc),
    describe: (desc) => ({ type: desc.type, count: desc.count }),
  },
  atlasRegion: {
    displayName: 'atlas regions',
    order: 12,
    ownsBytes: false,
    shareKey: undefined,
    // Regions move between pages: the atlas holds its page textures itself (manager.hold).
    dependencies: () => NO_DEPENDENCIES,
    bytes: () => 0,
    // No GPU call: the atlas's record of the region stands in for the object, the same one after a restore.
    build: (_backend, desc) => desc.region as never,
    describe: describeAtlasRegion,
    removed: (desc) => desc.region.release(),
  },
} as const satisfies { readonly [K in ResourceKind]: KindSpec<K> };

/** The kind table entry of `kind`, typed for it. */
export function kindSpec<K extends ResourceKind>(kind: K): KindSpec<K> {
  return KINDS[kind] as unknown as KindSpec<K>;
}

/** Every kind, in display order. */
export const RESOURCE_KINDS: readonly ResourceKind[] = (Object.keys(KINDS) as ResourceKind[]).sort(
  (a, b) => KINDS[a].order - KINDS[b].order,
);
