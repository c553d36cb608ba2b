/**
 * The page behind tests/browser/webgl2-*.test.ts: the library on `window.lib` and a WebGL2 context factory
 * on `window.newGL`, so a test's `page.evaluate` runs real GL through the real library.
 */
import * as lib from '../../../src/index.ts';

/** The library as the test page exposes it. */
export type Lib = typeof lib;

declare global {
  interface Window {
    lib: Lib;
    /** A fresh WebGL2 context on its own canvas (antialias off: the default framebuffer is not under test). */
    newGL(): WebGL2RenderingContext;
    /** One context shared by the tests that do not lose it (browsers cap live contexts at about 16). */
    sharedGL(): WebGL2RenderingContext;
    libReady: boolean;
  }
}

window.lib = lib;
window.newGL = () => {
  const canvas = document.createElement('canvas');
  canvas.width = 16;
  canvas.height = 16;
  const gl = canvas.getContext('webgl2', { antialias: false });
  if (!gl) throw new Error('no WebGL2 context in this browser');
  return gl;
};
let shared: WebGL2RenderingContext | undefined;
window.sharedGL = () => {
  shared ??= window.newGL();
  return shared;
};
window.libReady = true;
