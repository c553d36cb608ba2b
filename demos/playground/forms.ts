/**
 * Reads the playground's forms into descriptors. Deliberately does no validation of its own: whatever the user
 * typed goes to the manager, whose typed errors are what the page shows.
 */
import { type BufferDescriptor, BufferUsage, type TextureDescriptor, TextureUsage } from '../../src/index.ts';

/** What the render-target form asks for: the attachments are created with the render target. */
export interface RenderTargetRequest {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly format: GPUTextureFormat;
  readonly sampleCount: number;
  /** `undefined` for no depth attachment. */
  readonly depthFormat: GPUTextureFormat | undefined;
}

/**
 * The texture form as a descriptor.
 *
 * @example
 * manager.createTexture(readTextureForm(form));
 */
export function readTextureForm(form: HTMLFormElement): TextureDescriptor {
  const data = new FormData(form);
  const mips = text(data, 'mips');
  return {
    label: text(data, 'label'),
    size: [num(data, 'width'), num(data, 'height'), num(data, 'layers')],
    format: text(data, 'format') as GPUTextureFormat,
    mipLevelCount: mips === 'full' ? 'full' : toNumber(mips),
    sampleCount: num(data, 'samples'),
    usage: usageBits(data, TextureUsage),
  };
}

/**
 * The buffer form as a descriptor.
 *
 * @example
 * manager.createBuffer(readBufferForm(form));
 */
export function readBufferForm(form: HTMLFormElement): BufferDescriptor {
  const data = new FormData(form);
  return { label: text(data, 'label'), size: num(data, 'size'), usage: usageBits(data, BufferUsage) };
}

/**
 * The render-target form as a request.
 *
 * @example
 * const request = readRenderTargetForm(form);
 */
export function readRenderTargetForm(form: HTMLFormElement): RenderTargetRequest {
  const data = new FormData(form);
  const depth = text(data, 'depth');
  return {
    label: text(data, 'label'),
    width: num(data, 'width'),
    height: num(data, 'height'),
    format: text(data, 'format') as GPUTextureFormat,
    sampleCount: num(data, 'samples'),
    depthFormat: depth === '' ? undefined : (depth as GPUTextureFormat),
  };
}

function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function num(data: FormData, name: string): number {
  return toNumber(text(data, name));
}

/** An empty field is NaN, not 0, so the manager's error names what was really typed. */
function toNumber(value: string): number {
  return value === '' ? Number.NaN : Number(value);
}

function usageBits(data: FormData, table: Readonly<Record<string, number>>): number {
  let bits = 0;
  for (const name of data.getAll('usage')) if (typeof name === 'string') bits |= table[name] ?? 0;
  return bits;
}
