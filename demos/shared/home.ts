/**
 * The site's front page: says plainly whether this browser can run the demos. Publishes the test hook too, so
 * the browser tests treat it like every other page.
 */
import { publishHook } from './test-hook.ts';

const hook = publishHook('home');
const status = document.getElementById('demo-status');

async function check(): Promise<void> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    const webgl2 = !!document.createElement('canvas').getContext('webgl2');
    hook.unavailable =
      'This browser does not support WebGPU, so the demos cannot run on WebGPU here. Try a recent Chrome, Edge ' +
      'or Safari, or Firefox with WebGPU enabled.' +
      (webgl2 ? ' Every demo also runs on WebGL2 (links below).' : '');
  } else {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter) {
      hook.adapter = `${adapter.info.vendor} ${adapter.info.architecture}`.trim();
      hook.ready = true;
    } else {
      hook.unavailable = 'This browser knows WebGPU but found no GPU adapter, so the demos cannot run here.';
    }
  }
  if (status)
    status.textContent = hook.ready ? `WebGPU is available (${hook.adapter}).` : (hook.unavailable ?? '');
}

void check();
