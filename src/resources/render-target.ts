import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { Handle } from '../handles/handle.ts';
import { getFormatInfo, isColorRenderable, isResolvable } from './formats.ts';
import type { NormalizedTextureDescriptor } from './texture.ts';
import { TextureUsage } from './usage.ts';

/** RGBA clear colour, components in [0, 1] for normalized formats. */
export type ClearColor = readonly [number, number, number, number];

/** One colour attachment: a texture handle, or a texture with its MSAA resolve target and clear colour. */
export type ColorAttachmentInput =
  | Handle<'texture'>
  | { texture: Handle<'texture'>; resolveTarget?: Handle<'texture'>; clearValue?: ClearColor };

/** The depth/stencil attachment: a texture handle, or a texture with its clear values. */
export type DepthStencilInput =
  | Handle<'texture'>
  | { texture: Handle<'texture'>; depthClearValue?: number; stencilClearValue?: number };

/**
 * A render target: attachments that already live in the manager. The render target depends on them: while it
 * lives they cannot be destroyed (unless by cascade).
 */
export interface RenderTargetDescriptor {
  label?: string;
  color: readonly ColorAttachmentInput[];
  depthStencil?: DepthStencilInput;
}

/** A validated colour attachment. */
export interface NormalizedColorAttachment {
  readonly texture: Handle<'texture'>;
  readonly resolveTarget: Handle<'texture'> | undefined;
  readonly clearValue: ClearColor;
}

/** A validated depth/stencil attachment. */
export interface NormalizedDepthStencilAttachment {
  readonly texture: Handle<'texture'>;
  readonly depthClearValue: number;
  readonly stencilClearValue: number;
}

/** A validated render target: attachments plus the size and sample count they share. */
export interface NormalizedRenderTargetDescriptor {
  readonly label: string;
  readonly color: readonly NormalizedColorAttachment[];
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

const TRANSPARENT_BLACK: ClearColor = [0, 0, 0, 0];

/**
 * Validates a render target against the WebGPU attachment rules and the device limits. Pure: the caller
 * resolves handles through `lookup`. Throws `ValidationError` on the first broken rule.
 *
 * Rules: 1 to maxColorAttachments colour attachments (a depth-only target has `color: []` and a depth/stencil
 * attachment); each a live texture of this manager with RENDER_ATTACHMENT usage, a colour-renderable format,
 * 2D, one mip level and one layer; no texture twice; all attachments the same size and sample count; a
 * resolve target only for 4x MSAA, single-sampled, same format and size, resolvable format; the depth/stencil
 * slot holds a depth or stencil format; the colour formats fit maxColorAttachmentBytesPerSample.
 *
 * @example
 * const rt = normalizeRenderTargetDescriptor({ label: 'gbuffer', color: [albedo, normals] }, lookup, caps);
 */
export function normalizeRenderTargetDescriptor(
  desc: RenderTargetDescriptor,
  lookup: AttachmentLookup,
  caps: Capabilities,
): NormalizedRenderTargetDescriptor {
  const label = desc.label ?? '';
  const colorInputs = desc.color as readonly ColorAttachmentInput[] | undefined;
  if (!Array.isArray(colorInputs)) {
    throw new ValidationError(label, 'color', colorInputs, 'must be an array of texture handles');
  }
  const max = caps.limits.maxColorAttachments;
  if (colorInputs.length > max) {
    throw new ValidationError(
      label,
      'color.length',
      colorInputs.length,
      `must be <= maxColorAttachments (${max})`,
    );
  }
  if (colorInputs.length === 0 && desc.depthStencil === undefined) {
    throw new ValidationError(
      label,
      'color.length',
      0,
      'must be >= 1 unless a depthStencil attachment is given',
    );
  }

  const seen = new Set<number>();
  let shape: { width: number; height: number; sampleCount: number; field: string } | undefined;
  const attach = (field: string, handle: unknown): NormalizedTextureDescriptor => {
    const texture = resolveAttachment(label, field, handle, lookup);
    if (seen.has(handle as number)) {
      throw new ValidationError(
        label,
        field,
        handle,
        'a texture may be attached only once per render target',
      );
    }
    seen.add(handle as number);
    if ((texture.usage & TextureUsage.RENDER_ATTACHMENT) === 0) {
      throw new ValidationError(
        label,
        field,
        texture.label || handle,
        'the texture needs RENDER_ATTACHMENT usage',
      );
    }
    if (texture.dimension !== '2d' || texture.depthOrArrayLayers !== 1 || texture.mipLevelCount !== 1) {
      throw new ValidationError(
        label,
        field,
        `${texture.dimension} ${texture.width}x${texture.height}x${texture.depthOrArrayLayers}, ${texture.mipLevelCount} mips`,
        'attachments must be 2D textures with one layer and one mip level',
      );
    }
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
  const color = colorInputs.map((input, i): NormalizedColorAttachment => {
    const field = `color[${i}]`;
    const {
      texture: handle,
      resolveTarget,
      clearValue,
    } = typeof input === 'object' && input !== null
      ? input
      : { texture: input, resolveTarget: undefined, clearValue: undefined };
    const texture = attach(field, handle);
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
    if (resolveTarget !== undefined)
      validateResolveTarget(label, `${field}.resolveTarget`, texture, resolveTarget, lookup, caps.features);
    return { texture: handle, resolveTarget, clearValue: clearValue ?? TRANSPARENT_BLACK };
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
  if (desc.depthStencil !== undefined) {
    const input = desc.depthStencil;
    const {
      texture: handle,
      depthClearValue,
      stencilClearValue,
    } = typeof input === 'object' && input !== null
      ? input
      : { texture: input, depthClearValue: 1, stencilClearValue: 0 };
    const texture = attach('depthStencil', handle);
    if (getFormatInfo(texture.format)?.aspect === 'color') {
      throw new ValidationError(
        label,
        'depthStencil.format',
        texture.format,
        'the depth/stencil slot needs a depth or stencil format',
      );
    }
    depthStencil = {
      texture: handle,
      depthClearValue: depthClearValue ?? 1,
      stencilClearValue: stencilClearValue ?? 0,
    };
  }
  const { width, height, sampleCount } = shape!;
  return { label, color, depthStencil, width, height, sampleCount };
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
  if ((target.usage & TextureUsage.RENDER_ATTACHMENT) === 0) {
    throw new ValidationError(
      label,
      field,
      target.label || handle,
      'the resolve target needs RENDER_ATTACHMENT usage',
    );
  }
  const info = getFormatInfo(target.format);
  if (!info || !isResolvable(info, features)) {
    throw new ValidationError(label, `${field}.format`, target.format, 'the format must be resolvable');
  }
}
