/**
 * Atlas: a glyph atlas filled from the text typed into the page (the browser rasterises each character at
 * three sizes), and a sprite atlas under churn. The pages are read back and drawn with every region
 * outlined; the text is drawn on the GPU from the atlas and stays right while compaction moves regions.
 */
import { createAtlas, type TextureAtlas } from '../../src/atlas/index.ts';
import {
  type BackendObjects,
  createStatsOverlay,
  type Handle,
  type ResourceManager,
  TextureUsage,
} from '../../src/index.ts';
import { offerDump } from '../shared/dump-share.ts';
import { requireElement, startDemo } from '../shared/page.ts';
import { GlyphCache, type PlacedGlyph } from './glyph-cache.ts';
import type { AtlasHook } from './hook.ts';
import { drawPages } from './page-view.ts';
import { SpriteSet } from './sprites.ts';
import { QUAD_FLOATS, type TextRenderer, writeQuad } from './text-renderer.ts';
import { WebGL2TextRenderer } from './webgl2-text.ts';
import { WebGPUTextRenderer } from './webgpu-text.ts';

const TEXT_SIZE: readonly [number, number] = [640, 256];
const GLYPH_SIZES = [13, 19, 28];
const GLYPH_PAGE = 256;
const SPRITE_PAGE = 512;

void startDemo('atlas', {}, (backend) => {
  if (backend.name === 'webgpu') {
    const { manager, device } = backend;
    return {
      ...runAtlas(manager, (target) => new WebGPUTextRenderer(manager, device, target, TEXT_SIZE)),
      backend: backend.name,
    };
  }
  const { manager, gl } = backend;
  return {
    ...runAtlas(manager, (target) => new WebGL2TextRenderer(manager, gl, target, TEXT_SIZE)),
    backend: backend.name,
  };
});

type OwnFields = Omit<
  AtlasHook,
  'page' | 'ready' | 'unavailable' | 'failure' | 'gpuErrors' | 'adapter' | 'backend' | 'manager'
>;

function runAtlas<B extends BackendObjects>(
  manager: ResourceManager<B>,
  makeRenderer: (target: Handle<'texture'>) => TextRenderer,
): OwnFields & { manager: ResourceManager<B> } {
  const overlay = createStatsOverlay(manager);
  offerDump(manager, 'atlas');
  const glyphs = createAtlas(manager, {
    label: 'glyphs',
    pageSize: GLYPH_PAGE,
    padding: 1,
    pages: 'layers',
    maxPages: 4,
  });
  const sprites = createAtlas(manager, {
    label: 'sprites',
    pageSize: SPRITE_PAGE,
    padding: 2,
    extrude: true,
    maxPages: 2,
  });
  const target = manager.createTexture({
    label: 'text drawn from the atlas',
    size: [...TEXT_SIZE],
    format: 'rgba8unorm',
    usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC | TextureUsage.TEXTURE_BINDING,
  });
  const renderer = makeRenderer(target);
  const cache = new GlyphCache(glyphs);
  const spriteSet = new SpriteSet(sprites);
  const moved = { glyphs: 0, sprites: 0 };
  const log = requireElement('atlas-log', HTMLElement);
  const note = (text: string) => {
    log.textContent = text;
  };
  for (const [name, atlas] of [
    ['glyphs', glyphs],
    ['sprites', sprites],
  ] as const) {
    atlas.on('moved', ({ regions }) => {
      moved[name] += regions.length;
      note(`${atlas.label}: ${regions.length} regions moved by compaction; their handles are unchanged`);
    });
  }

  const textInput = requireElement('atlas-text', HTMLTextAreaElement);
  const textCanvas = requireElement('atlas-text-canvas', HTMLCanvasElement);
  textCanvas.width = TEXT_SIZE[0];
  textCanvas.height = TEXT_SIZE[1];
  let placed: PlacedGlyph[] = [];
  let quads = new Float32Array(0);

  const drawText = () => {
    if (quads.length < placed.length * QUAD_FLOATS) quads = new Float32Array(placed.length * QUAD_FLOATS * 2);
    // Positions and uvs are read from the handles every frame: compaction moves regions, handles stay.
    for (const [i, g] of placed.entries()) writeQuad(quads, i, g.x, g.y, glyphs.region(g.region));
    renderer.draw(quads, placed.length, glyphs.pageTexture(0));
  };

  const renderedText = async () => {
    const texels = await manager.readTexture(target);
    return { width: TEXT_SIZE[0], height: TEXT_SIZE[1], texels: [...texels] };
  };

  const referenceText = () => {
    const [width, height] = TEXT_SIZE;
    const out = new Uint8Array(width * height * 4);
    for (const g of placed) {
      for (let y = 0; y < g.bitmap.height && g.y + y < height; y++) {
        const rowStart = y * g.bitmap.width * 4;
        const visible = Math.min(g.bitmap.width, width - g.x);
        out.set(g.bitmap.texels.subarray(rowStart, rowStart + visible * 4), ((g.y + y) * width + g.x) * 4);
      }
    }
    return { width, height, texels: [...out] };
  };

  const statsLine = (atlas: TextureAtlas) => {
    const s = atlas.stats();
    return `${s.regions} regions on ${s.pages} page(s), fill ${(s.fill * 100).toFixed(1)}%, ${(s.bytes / 1024).toFixed(0)} KiB, ${s.moved} moved`;
  };

  const redraw = async () => {
    glyphs.flush();
    sprites.flush();
    drawText();
    const picture = await manager.readTexture(target);
    const context = textCanvas.getContext('2d');
    context?.putImageData(new ImageData(new Uint8ClampedArray(picture), TEXT_SIZE[0], TEXT_SIZE[1]), 0, 0);
    await drawPages(
      manager,
      glyphs,
      cache.regions(),
      requireElement('atlas-glyph-pages', HTMLElement),
      GLYPH_PAGE,
      1,
    );
    await drawPages(
      manager,
      sprites,
      spriteSet.handles,
      requireElement('atlas-sprite-pages', HTMLElement),
      SPRITE_PAGE,
      2,
    );
    requireElement('atlas-glyph-stats', HTMLElement).textContent =
      `${cache.size} glyphs: ${statsLine(glyphs)}`;
    requireElement('atlas-sprite-stats', HTMLElement).textContent = statsLine(sprites);
  };

  // Redraws are serialised: typing fast queues at most one more.
  let drawing: Promise<void> = Promise.resolve();
  const schedule = () => {
    drawing = drawing.then(redraw, redraw);
    return drawing;
  };

  const setText = (text: string) => {
    textInput.value = text;
    try {
      placed = cache.layout(text, GLYPH_SIZES, TEXT_SIZE[0]).glyphs;
    } catch (error) {
      note(error instanceof Error ? error.message : String(error));
    }
    return schedule();
  };
  const compact = async () => {
    const count = glyphs.compact().length + sprites.compact().length;
    note(`compacted: ${count} regions moved`);
    await schedule();
    return count;
  };
  const churnSprites = () => {
    spriteSet.removeHalf();
    const added = spriteSet.add(40);
    if (added < 40) note(`sprite atlas full after ${added} new sprites`);
    return schedule();
  };

  textInput.addEventListener('input', () => void setText(textInput.value));
  requireElement('atlas-compact', HTMLButtonElement).addEventListener('click', () => void compact());
  requireElement('atlas-churn', HTMLButtonElement).addEventListener('click', () => void churnSprites());
  spriteSet.add(70);
  void setText(textInput.value);

  return {
    manager,
    overlay,
    glyphs,
    sprites,
    setText,
    compact,
    churnSprites,
    renderedText,
    referenceText,
    moved: () => ({ ...moved }),
  };
}
