/**
 * PNG export of the viewer's canvas (canvas.toBlob), as a promise.
 */

/**
 * Encodes `canvas` as a PNG.
 *
 * @throws Error when the browser gives no blob (a canvas of zero size, or one it refuses to encode).
 * @example
 * saveBlob(await canvasToPng(canvas), 'gpu-handles-dump.png');
 */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob && blob.size > 0) resolve(blob);
      else reject(new Error(`the browser encoded no PNG of the ${canvas.width}x${canvas.height} canvas`));
    }, 'image/png');
  });
}
