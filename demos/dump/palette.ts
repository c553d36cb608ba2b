/**
 * Colours of the dump viewer: one per kind (the same kind is the same colour in every panel), and the leak
 * highlight. Kinds this viewer does not know (a newer dump) get a stable colour from their name.
 */

const KIND_COLORS: Readonly<Record<string, string>> = {
  texture: '#3f7fbf',
  buffer: '#4caf7a',
  renderTarget: '#8c6bd1',
  textureView: '#5a9fb0',
  shader: '#c9a13b',
  sampler: '#a0a65a',
  bindGroup: '#c46f9b',
  bindGroupLayout: '#9c7f66',
  pipelineLayout: '#7f8c99',
  renderPipeline: '#d1804f',
  computePipeline: '#b85f5f',
  querySet: '#6f9c4f',
  staging: '#6b7280',
};

/** The page background, also the canvas's. */
export const BACKGROUND = '#101218';
/** Text on the canvas. */
export const TEXT = '#e6e6e6';
/** Secondary text. */
export const MUTED = '#9aa3b2';
/** Leak suspects: outlines, list rows, marks. */
export const LEAK = '#ff5c5c';
/** Destroys on the timeline. */
export const DESTROY = '#e0a050';

/**
 * The colour of a kind.
 *
 * @example
 * ctx.fillStyle = kindColor('texture');
 */
export function kindColor(kind: string): string {
  const known = KIND_COLORS[kind];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < kind.length; i++) hash = (hash * 31 + kind.charCodeAt(i)) >>> 0;
  return `hsl(${hash % 360} 45% 50%)`;
}
