/**
 * The page's own manager has something to show: a small scene's worth of resources, a few of them used
 * every second (so they are no leak suspects, and the rest become "never used" once the threshold passes).
 */
import {
  type AnyHandle,
  type BackendObjects,
  BufferUsage,
  type Handle,
  type ResourceManager,
  TextureUsage,
} from '../../src/index.ts';

/** The sample resources and the buttons' actions. */
export interface Sample {
  /** Adds a 512x512 texture with mips. */
  add(): void;
  /** Destroys the newest resource added by `add` (or the newest sample one). */
  destroyNewest(): void;
  /** Stops the periodic uses. */
  stop(): void;
}

/**
 * Creates the sample resources on `manager`.
 *
 * @example
 * const sample = createSample(backend.manager);
 */
export function createSample<B extends BackendObjects>(manager: ResourceManager<B>): Sample {
  const made: AnyHandle[] = [];
  const texture = (label: string, size: [number, number], format: 'rgba8unorm' | 'depth24plus', mips = 1) =>
    manager.createTexture({
      label,
      size,
      format,
      mipLevelCount: mips,
      usage:
        format === 'rgba8unorm'
          ? TextureUsage.TEXTURE_BINDING | TextureUsage.COPY_DST
          : TextureUsage.RENDER_ATTACHMENT,
    });
  const albedo = texture('albedo', [1024, 1024], 'rgba8unorm', 11);
  const normal = texture('normal map', [1024, 1024], 'rgba8unorm', 11);
  const shadow = texture('shadow map', [1024, 1024], 'depth24plus');
  const color = manager.createTexture({
    label: 'scene color',
    size: [640, 360],
    format: 'rgba8unorm',
    usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.TEXTURE_BINDING,
  });
  const depth = texture('scene depth', [640, 360], 'depth24plus');
  const target = manager.createRenderTarget({ label: 'scene', color: [color], depthStencil: depth });
  const vertices = manager.createBuffer({
    label: 'vertices',
    size: 1 << 20,
    usage: BufferUsage.VERTEX | BufferUsage.COPY_DST,
  });
  const indices = manager.createBuffer({
    label: 'indices',
    size: 256 << 10,
    usage: BufferUsage.INDEX | BufferUsage.COPY_DST,
  });
  made.push(albedo, normal, shadow, color, depth, target, vertices, indices);
  for (let i = 0; i < 8; i++) {
    made.push(
      manager.createBuffer({
        label: 'uniforms',
        size: 256,
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      }),
    );
  }
  const used: Handle<'texture' | 'buffer'>[] = [albedo, color, vertices];
  const timer = setInterval(() => {
    for (const handle of used) if (manager.has(handle)) manager.access(handle);
  }, 1000);
  const added: Handle<'texture'>[] = [];
  return {
    add() {
      added.push(texture(`added ${added.length + 1}`, [512, 512], 'rgba8unorm', 10));
    },
    destroyNewest() {
      const handle = added.pop() ?? made.pop();
      if (handle !== undefined && manager.has(handle)) manager.destroy(handle, { cascade: true });
    },
    stop() {
      clearInterval(timer);
    },
  };
}
