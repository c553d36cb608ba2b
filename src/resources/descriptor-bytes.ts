/**
 * A texture's cost before it exists: the descriptor goes through the same validation the manager runs, then
 * through the WebGPU byte rule the manager's ledger counts by. For budgets, loading screens and tools that
 * ask "will this fit" without touching a GPU.
 */
import { type Capabilities, defaultCapabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import { normalizeTextureDescriptor, type TextureDescriptor } from './texture.ts';
import { textureByteSize } from './texture-size.ts';

/**
 * Bytes the texture `desc` would occupy on a WebGPU device with capabilities `caps`: exactly what a WebGPU
 * manager's ledger would count after `createTexture(desc)`. Accepts everything `createTexture` does
 * (`size: [w, h]`, `mipLevelCount: 'full'`, defaults) and throws the same `ValidationError` for what it
 * refuses. `caps` defaults to `defaultCapabilities()` (the WebGPU default limits, no optional feature): pass
 * `webgpuCapabilities(device)` to check against a real device. A WebGL2 manager counts by the GL rule
 * instead: `glTextureByteSize(normalizeTextureDescriptor(desc, webgl2Capabilities(gl).capabilities))` from
 * `gpu-handles/webgl2`.
 *
 * @example
 * textureDescriptorBytes({ size: [256, 256], format: 'rgba8unorm', usage: TextureUsage.TEXTURE_BINDING,
 *   mipLevelCount: 'full' }) // 349524
 * textureDescriptorBytes({ size: [1024, 1024], format: 'bc7-rgba-unorm', usage: TextureUsage.TEXTURE_BINDING },
 *   defaultCapabilities(['texture-compression-bc'])) // 1048576
 */
export function textureDescriptorBytes(
  desc: TextureDescriptor,
  caps: Capabilities = defaultCapabilities(),
): number {
  checkCapabilities(caps);
  return textureByteSize(normalizeTextureDescriptor(desc, caps));
}

// Capabilities normally come from this library; a hand-made or wrong value gets a message, not a TypeError
// from deep inside validation.
function checkCapabilities(caps: unknown): asserts caps is Capabilities {
  if (!looksLikeCapabilities(caps)) {
    throw new ValidationError(
      '',
      'capabilities',
      caps,
      'must be Capabilities: defaultCapabilities(), webgpuCapabilities(device) or webgl2Capabilities(gl).capabilities',
    );
  }
}

function looksLikeCapabilities(caps: unknown): boolean {
  if (typeof caps !== 'object' || caps === null) return false;
  try {
    const { limits, features } = caps as Capabilities;
    return typeof limits === 'object' && limits !== null && typeof features?.has === 'function';
  } catch {
    return false; // a throwing getter or Proxy trap
  }
}
