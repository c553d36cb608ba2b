import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import {
  type ClearColor,
  type ClearColorInput,
  readClearColor,
  readDepthClearValue,
  readStencilClearValue,
} from './clear-values.ts';
import { getFormatInfo, isColorRenderable, isResolvable } from './formats.ts';
import { readDescriptor, readMember, readSequence } from './input.ts';
import { readLabel } from './label.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';
import { TextureUsage } from './usage.ts';

export type { ClearColor, ClearColorInput } from './clear-values.ts';

/**
 * One colour attachment slot: a texture handle, a texture with its MSAA resolve target and clear colour, or
 * `null` for an empty slot (WebGPU allows gaps: `color: [null, normals]` draws to location 1 only).
 */
export type ColorAttachmentInput =
  | Handle<'texture'>
  | { texture: Handle<'texture'>; resolveTarget?: Handle<'texture'>; clearValue?: ClearColorInput }
  | null;

/** The depth/stencil attachment: a texture handle, or a texture with its clear values. */
export type DepthStencilInput =
  | Handle<'texture'>
  | { texture: Handle<'texture'>; depthClearValue?: number; stencilClearValue?: number };

/**
 * A render target: attachments that already live in the manager. The render target depends on them: while it
 * lives they cannot be destroyed (unless by cascade).
 */
export interface RenderTargetDescriptor {
  /** A string, or omitted (see `normalizeLabel`: no other type is converted). */
  label?: string;
  /** The colour slots in location order, as any sequence; `null` leaves a slot empty. */
  color: Iterable<ColorAttachmentInput>;
  depthStencil?: DepthStencilInput;
}

/** A validated colour attachment. */
export interface NormalizedColorAttachment {
  readonly texture: Handle<'texture'>;
  readonly resolveTarget: Handle<'texture'> | undefined;
  readonly clearValue: ClearColor;
  /**
   * The texture has TRANSIENT_ATTACHMENT usage: a render pass must clear it on load and discard it on store.
   */
  readonly transient: boolean;
}

/** A validated depth/stencil attachment. */
export interface NormalizedDepthStencilAttachment {
  readonly texture: Handle<'texture'>;
  readonly depthClearValue: number;
  readonly stencilClearValue: number;
  /** The texture has TRANSIENT_ATTACHMENT usage (see {@link NormalizedColorAttachment.transient}). */
  readonly transient: boolean;
}

/** A validated render target: attachments plus the size and sample count they share. */
export interface NormalizedRenderTargetDescriptor {
  readonly label: string;
  /** One entry per colour slot, in location order; `null` is an empty slot. */
  readonly color: readonly (NormalizedColorAttachment | null)[];
  readonly depthStencil: NormalizedDepthStencilAttachment | undefined;
  readonly width: number;
  readonly height: number;
  readonly sampleCount: number;
}

/**
 * How validation sees an attachment handle: the texture's descriptor when it is a live texture of this manager,
 * otherwise why not (`'stale'`: not live in this manager; any other string: the kind it really is).
 */
export type AttachmentLookup = (handle: number) => NormalizedTextureDescriptor | 'stale' | 'not-a-texture';

/** Longer than any device's maxColorAttachments; bounds reading an endless iterator. */
const MAX_COLOR_SLOTS_READ = 64;

/**
 * Validates a render target against the WebGPU render pass attachment rules and the device limits. Pure: the
 * caller resolves handles through `lookup`. Throws `ValidationError` on the first broken rule.
 *
 * Rules: `color` a sequence (an array or any iterable) of at most maxColorAttachments slots, each a texture
 * handle, an attachment object or `null` (an empty slot; `undefined` and array holes are rejected, so a
 * forgotten element is not mistaken for a gap); at least one non-null colour slot or a depth/stencil
 * attachment. Each attachment is a live texture of this manager with RENDER_ATTACHMENT usage, 2D, one mip
 * level and one layer; no texture appears twice (resolve targets included); all attachments share size and
 * sample count. A resolve target only for a multisampled attachment: single-sampled, same format and size,
 * resolvable format, RENDER_ATTACHMENT, 2D with one mip and one layer, not transient. The depth/stencil slot holds a depth
 * or stencil format; the colour formats fit maxColorAttachmentBytesPerSample. Clear values: see
 * clear-values.ts (4 finite numbers or `{ r, g, b, a }`; depth finite, and in 0..1 for a format with a
 * depth aspect; stencil an integer >= 0).
 *
 * @example
 * const rt = normalizeRenderTargetDescriptor({ label: 'gbuffer', color: [albedo, null, normals] }, lookup, caps);
 */
export function normalizeRenderTargetDescriptor(
  desc: RenderTargetDescriptor,
  lookup: AttachmentLookup,
  caps: Capabilities,
): NormalizedRenderTargetDescriptor {
  const input = readDescriptor(desc, 'render target');
  const label = readLabel(input);
  const colorValue = readMember(input, 'color', label, 'color');
  const colorInputs = readSequence(colorValue, label, 'color', MAX_COLOR_SLOTS_READ);
  if (colorInputs === undefined) {
    throw new ValidationError(
      label,
      'color',
      colorValue,
      'must be a sequence (an array or iterable) of texture handles, attachment objects or null',
    );
  }
  const depthInput = readMember(input, 'depthStencil', label, 'depthStencil');
  const max = caps.limits.maxColorAttachments;
  if (colorInputs.length > max) {
    throw new ValidationError(
      label,
      'color.length',
      colorInputs.length,
      `must be <= maxColorAttachments (${max})`,
    );
  }
  if (colorInputs.every((c) => c === null) && depthInput === undefined) {
    throw new ValidationError(
      label,
      'color',
      colorValue,
      'must hold at least one attachment (not null) unless a depthStencil attachment is given',
    );
  }

  const seen = new Map<number, string>();
  const claim = (field: string, handle: Handle<'texture'>) => {
    const first = seen.get(handle);
    if (first !== undefined) {
      throw new ValidationError(
        label,
        field,
        handle,
        `a texture may be attached or resolved into only once per render target (it is already ${first})`,
      );
    }
    seen.set(handle, field);
  };
  let shape: { width: number; height: number; sampleCount: number; field: string } | undefined;
  const attach = (field: string, handle: unknown): NormalizedTextureDescriptor => {
    const texture = resolveAttachment(label, field, handle, lookup);
    claim(field, handle as Handle<'texture'>);
    requireRenderable(label, field, texture, handle, 'the texture');
    if (!shape) {
      shape = { width: texture.width, height: texture.height, sampleCount: texture.sampleCount, field };
    } else if (texture.width !== shape.width || texture.height !== shape.height) {
      throw new ValidationError(
        label,
        field,
        `${texture.width}x${texture.height}`,
        `all attachments must be the same size (${shape.field} is ${shape.width}x${shape.height})`,
      );
    } else if (texture.sampleCount !== shape.sampleCount) {
      throw new ValidationError(
        label,
        `${field}.sampleCount`,
        texture.sampleCount,
        `all attachments must have the same sample count (${shape.field} has ${shape.sampleCount})`,
      );
    }
    return texture;
  };

  let bytesPerSample = 0;
  const color = colorInputs.map((slot, i): NormalizedColorAttachment | null => {
    const field = `color[${i}]`;
    if (slot === null) return null;
    if (slot === undefined) {
      throw new ValidationError(
        label,
        field,
        slot,
        'must be a texture handle, an attachment object, or null for an empty slot (undefined and array holes are not gaps)',
      );
    }
    const dict = typeof slot === 'object';
    const read = (key: string) => (dict ? readMember(slot, key, label, `${field}.${key}`) : undefined);
    const handle = dict ? read('texture') : slot;
    const resolveTarget = read('resolveTarget');
    const clearValue = readClearColor(read('clearValue'), label, `${field}.clearValue`);
    const texture = attach(dict ? `${field}.texture` : field, handle);
    const info = getFormatInfo(texture.format);
    if (info?.aspect !== 'color' || !isColorRenderable(info, caps.features)) {
      throw new ValidationError(
        label,
        `${field}.format`,
        texture.format,
        'colour attachments need a colour-renderable format',
      );
    }
    const align = info.renderTargetComponentAlignment ?? 1;
    bytesPerSample = Math.ceil(bytesPerSample / align) * align + (info.renderTargetPixelByteCost ?? 0);
    if (resolveTarget !== undefined) {
      const resolveField = `${field}.resolveTarget`;
      validateResolveTarget(label, resolveField, texture, resolveTarget, lookup, caps.features);
      claim(resolveField, resolveTarget as Handle<'texture'>);
    }
    return {
      texture: handle as Handle<'texture'>,
      resolveTarget: resolveTarget as Handle<'texture'> | undefined,
      clearValue,
      transient: isTransient(texture),
    };
  });
  const maxBytes = caps.limits.maxColorAttachmentBytesPerSample;
  if (bytesPerSample > maxBytes) {
    throw new ValidationError(
      label,
      'color',
      `${bytesPerSample} bytes per sample`,
      `the colour formats must fit maxColorAttachmentBytesPerSample (${maxBytes})`,
    );
  }

  let depthStencil: NormalizedDepthStencilAttachment | undefined;
  if (depthInput !== undefined) {
    if (depthInput === null) {
      throw new ValidationError(
        label,
        'depthStencil',
        depthInput,
        'must be a texture handle or an attachment object, or omitted (null is not "none")',
      );
    }
    const dict = typeof depthInput === 'object';
    const read = (key: string) =>
      dict ? readMember(depthInput, key, label, `depthStencil.${key}`) : undefined;
    const handle = dict ? read('texture') : depthInput;
    const depthValue = read('depthClearValue');
    const stencilValue = read('stencilClearValue');
    const texture = attach(dict ? 'depthStencil.texture' : 'depthStencil', handle);
    const aspect = getFormatInfo(texture.format)?.aspect;
    if (aspect === 'color') {
      throw new ValidationError(
        label,
        'depthStencil.format',
        texture.format,
        'the depth/stencil slot needs a depth or stencil format',
      );
    }
    const depthClearValue = readDepthClearValue(
      depthValue,
      label,
      'depthStencil.depthClearValue',
      aspect !== 'stencil',
    );
    const stencilClearValue = readStencilClearValue(stencilValue, label, 'depthStencil.stencilClearValue');
    depthStencil = {
      texture: handle as Handle<'texture'>,
      depthClearValue,
      stencilClearValue,
      transient: isTransient(texture),
    };
  }
  const { width, height, sampleCount } = shape!;
  return { label, color, depthStencil, width, height, sampleCount };
}

function isTransient(texture: NormalizedTextureDescriptor): boolean {
  return (texture.usage & TextureUsage.TRANSIENT_ATTACHMENT) !== 0;
}

// WebGPU's "renderable texture view" for the default view of a whole texture: RENDER_ATTACHMENT usage, 2D,
// one mip level and one layer (a default view of 2 mips or 2 layers is not renderable).
function requireRenderable(
  label: string,
  field: string,
  texture: NormalizedTextureDescriptor,
  handle: unknown,
  what: string,
): void {
  if ((texture.usage & TextureUsage.RENDER_ATTACHMENT) === 0) {
    throw new ValidationError(label, field, texture.label || handle, `${what} needs RENDER_ATTACHMENT usage`);
  }
  if (texture.dimension !== '2d' || texture.depthOrArrayLayers !== 1 || texture.mipLevelCount !== 1) {
    throw new ValidationError(
      label,
      field,
      `${texture.dimension} ${texture.width}x${texture.height}x${texture.depthOrArrayLayers}, ${texture.mipLevelCount} mips`,
      `${what} must be a 2D texture with one layer and one mip level`,
    );
  }
}

function resolveAttachment(
  label: string,
  field: string,
  handle: unknown,
  lookup: AttachmentLookup,
): NormalizedTextureDescriptor {
  const found = typeof handle === 'number' ? lookup(handle) : 'stale';
  if (found === 'stale') {
    throw new ValidationError(label, field, handle, 'must be the handle of a live texture of this manager');
  }
  if (found === 'not-a-texture') {
    throw new ValidationError(
      label,
      field,
      handle,
      'must be a texture handle (it names another kind of resource)',
    );
  }
  return found;
}

function validateResolveTarget(
  label: string,
  field: string,
  source: NormalizedTextureDescriptor,
  handle: unknown,
  lookup: AttachmentLookup,
  features: ReadonlySet<string>,
): void {
  const target = resolveAttachment(label, field, handle, lookup);
  if (source.sampleCount === 1) {
    throw new ValidationError(
      label,
      field,
      handle,
      'a resolve target is only allowed for a multisampled attachment',
    );
  }
  if (target.sampleCount !== 1) {
    throw new ValidationError(
      label,
      `${field}.sampleCount`,
      target.sampleCount,
      'a resolve target must be single-sampled',
    );
  }
  if (target.format !== source.format) {
    throw new ValidationError(
      label,
      `${field}.format`,
      target.format,
      `must equal the attachment's format (${source.format})`,
    );
  }
  if (target.width !== source.width || target.height !== source.height) {
    throw new ValidationError(
      label,
      field,
      `${target.width}x${target.height}`,
      `must match the attachment's size (${source.width}x${source.height})`,
    );
  }
  requireRenderable(label, field, target, handle, 'the resolve target');
  if (isTransient(target)) {
    throw new ValidationError(
      label,
      field,
      target.label || handle,
      'a TRANSIENT_ATTACHMENT texture cannot be a resolve target (its contents never leave the pass)',
    );
  }
  const info = getFormatInfo(target.format);
  if (!info || !isResolvable(info, features)) {
    throw new ValidationError(label, `${field}.format`, target.format, 'the format must be resolvable');
  }
}
