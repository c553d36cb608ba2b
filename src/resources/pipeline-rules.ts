/**
 * Render pipeline rules that tie its parts together (WebGPU's "validating GPURenderPipelineDescriptor"): the
 * colour targets' bytes per sample, alpha-to-coverage's first target, and depth bias only for triangles. Each
 * part is read and checked on its own first (pipeline-state.ts, depth-stencil-state.ts).
 */
import type { Capabilities } from '../core/capabilities.ts';
import { ValidationError } from '../errors.ts';
import type { NormalizedDepthStencilState } from './depth-stencil-state.ts';
import { getFormatInfo, isBlendable } from './formats.ts';
import type {
  NormalizedColorTarget,
  NormalizedMultisampleState,
  NormalizedPrimitiveState,
} from './pipeline-state.ts';

/** The parts of a render pipeline the cross-part rules read. */
export interface RenderPipelineParts {
  readonly targets: readonly (NormalizedColorTarget | null)[] | undefined;
  readonly depthStencil: NormalizedDepthStencilState | undefined;
  readonly primitive: NormalizedPrimitiveState;
  readonly multisample: NormalizedMultisampleState;
}

/**
 * Bytes one sample of the colour targets takes, as WebGPU counts it against maxColorAttachmentBytesPerSample:
 * each format's render target pixel byte cost, placed at its component alignment.
 *
 * @example
 * colorBytesPerSample([{ format: 'rgba32float' }, { format: 'r8unorm' }]) // 17
 */
export function colorBytesPerSample(targets: readonly ({ readonly format: string } | null)[]): number {
  let bytes = 0;
  for (const target of targets) {
    if (target === null) continue;
    const info = getFormatInfo(target.format);
    const align = info?.renderTargetComponentAlignment ?? 1;
    bytes = Math.ceil(bytes / align) * align + (info?.renderTargetPixelByteCost ?? 0);
  }
  return bytes;
}

/**
 * Checks the rules that span parts. Rules: the colour targets fit maxColorAttachmentBytesPerSample;
 * alpha-to-coverage needs a first colour target of a blendable format with an alpha channel; point and line
 * topologies take no depth bias (depthBias, depthBiasSlopeScale and depthBiasClamp 0).
 *
 * @example
 * checkRenderPipelineParts({ targets, depthStencil, primitive, multisample }, label, caps);
 */
export function checkRenderPipelineParts(
  parts: RenderPipelineParts,
  label: string,
  caps: Capabilities,
): void {
  const { targets, depthStencil, primitive, multisample } = parts;
  if (targets) {
    const bytes = colorBytesPerSample(targets);
    const max = caps.limits.maxColorAttachmentBytesPerSample;
    if (bytes > max) {
      throw new ValidationError(
        label,
        'fragment.targets',
        `${bytes} bytes per sample`,
        `the colour formats must fit maxColorAttachmentBytesPerSample (${max})`,
      );
    }
  }
  if (multisample.alphaToCoverageEnabled) {
    const first = targets?.[0] ?? null;
    const info = first ? getFormatInfo(first.format) : undefined;
    if (!first || !info || !isBlendable(info, caps.features) || !/^(rgba|bgra|rgb10a2)/.test(info.format)) {
      throw new ValidationError(
        label,
        'multisample.alphaToCoverageEnabled',
        true,
        `needs fragment.targets[0] of a blendable format with an alpha channel (got ${first ? `'${first.format}'` : 'none'})`,
      );
    }
  }
  const lines = primitive.topology !== 'triangle-list' && primitive.topology !== 'triangle-strip';
  if (depthStencil && lines) {
    for (const key of ['depthBias', 'depthBiasSlopeScale', 'depthBiasClamp'] as const) {
      if (depthStencil[key] !== 0) {
        throw new ValidationError(
          label,
          `depthStencil.${key}`,
          depthStencil[key],
          `must be 0 for topology '${primitive.topology}' (depth bias applies to triangles only)`,
        );
      }
    }
  }
}
