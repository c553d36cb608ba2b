/**
 * Shows atlas pages: each page's texels are read back through the manager (so the view is the same on both
 * backends), the live allocations are drawn onto a checkerboard (free space shows as the checkerboard), and
 * every live region is outlined, the content in one colour and its gutter in another.
 */
import type { AtlasRegionHandle, TextureAtlas } from '../../src/atlas/index.ts';
import type { BackendObjects, ResourceManager } from '../../src/index.ts';

/** Draws every page of `atlas` into `container` (one canvas per page, re-used). */
export async function drawPages<B extends BackendObjects>(
  manager: ResourceManager<B>,
  atlas: TextureAtlas,
  regions: readonly AtlasRegionHandle[],
  container: HTMLElement,
  pageSize: number,
  gutter: number,
): Promise<void> {
  const canvases = [...container.querySelectorAll('canvas')];
  for (let page = 0; page < atlas.pages; page++) {
    let canvas = canvases[page];
    if (canvas === undefined) {
      canvas = document.createElement('canvas');
      canvas.width = pageSize;
      canvas.height = pageSize;
      canvas.className = 'atlas-page';
      canvas.title = `${atlas.label} page ${page}`;
      container.append(canvas);
    }
    const texture = atlas.pageTexture(page);
    const texels = await manager.readTexture(texture, {
      origin: [0, 0, atlas.pageLayer(page)],
      size: [pageSize, pageSize],
    });
    const context = canvas.getContext('2d');
    if (!context) continue;
    checkerboard(context, pageSize);
    const image = new ImageData(new Uint8ClampedArray(texels), pageSize, pageSize);
    const bitmap = await createImageBitmap(image);
    // Only live allocations are copied onto the checkerboard: freed texels stay in the texture until the
    // space is reused, and showing them would hide which space is free.
    for (const handle of regions) {
      const r = atlas.region(handle);
      if (r.page !== page) continue;
      const x = r.x - gutter;
      const y = r.y - gutter;
      const w = r.width + 2 * gutter;
      const h = r.height + 2 * gutter;
      context.drawImage(bitmap, x, y, w, h, x, y, w, h);
    }
    bitmap.close();
    context.lineWidth = 1;
    for (const handle of regions) {
      const r = atlas.region(handle);
      if (r.page !== page) continue;
      context.strokeStyle = 'rgba(255, 170, 0, 0.55)';
      context.strokeRect(
        r.x - gutter + 0.5,
        r.y - gutter + 0.5,
        r.width + 2 * gutter - 1,
        r.height + 2 * gutter - 1,
      );
      context.strokeStyle = 'rgba(80, 200, 255, 0.9)';
      context.strokeRect(r.x + 0.5, r.y + 0.5, r.width - 1, r.height - 1);
    }
  }
  for (let extra = atlas.pages; extra < canvases.length; extra++) canvases[extra]!.remove();
}

function checkerboard(context: CanvasRenderingContext2D, size: number): void {
  context.fillStyle = '#1b1e26';
  context.fillRect(0, 0, size, size);
  context.fillStyle = '#242833';
  for (let y = 0; y < size; y += 16)
    for (let x = (y / 16) % 2 === 0 ? 0 : 16; x < size; x += 32) context.fillRect(x, y, 16, 16);
}
