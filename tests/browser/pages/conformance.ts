/**
 * The conformance page: `?backend=webgpu|webgl2` picks the target, every case runs in order, and the outcome
 * lands on `window.__conformance` for tests/browser/conformance.test.ts (and in the page for a person).
 * A missing adapter or context is a fatal error, never a skip.
 */
import { CONFORMANCE_CASES } from '../../conformance/cases/index.ts';
import type { CaseResult, ConformanceContext } from '../../conformance/context.ts';
import { runCases, webgl2Context, webgpuContext } from '../../conformance/targets.ts';

/** What the page publishes on `window.__conformance`. */
export interface ConformanceReport {
  readonly backend: string;
  /** Adapter or GL renderer, for the test log. */
  readonly device: string;
  readonly results: readonly CaseResult[];
  /** Set when the target could not be set up at all. */
  readonly fatal: string | undefined;
  readonly done: true;
}

declare global {
  interface Window {
    __conformance?: ConformanceReport;
  }
}

const log = document.getElementById('log')!;

async function webgpuTarget(): Promise<{
  ctx: ConformanceContext;
  device: string;
  errors: () => Promise<string[]>;
}> {
  const requestAdapter = async () => {
    const found = await navigator.gpu?.requestAdapter();
    if (!found) throw new Error('no WebGPU adapter in this browser (check the SwiftShader flags)');
    return found;
  };
  // An adapter gives one device: each device (the shared one, each losable one) comes from a fresh adapter.
  const requestDevice = async () => {
    const fresh = await requestAdapter();
    return fresh.requestDevice({ requiredFeatures: [...fresh.features] as GPUFeatureName[] });
  };
  const adapter = await requestAdapter();
  const device = await adapter.requestDevice({ requiredFeatures: [...adapter.features] as GPUFeatureName[] });
  const uncaptured: string[] = [];
  device.addEventListener('uncapturederror', (event) => {
    uncaptured.push((event as GPUUncapturedErrorEvent).error.message);
  });
  const errors = async () => {
    await device.queue.onSubmittedWorkDone();
    return uncaptured.splice(0);
  };
  return {
    ctx: webgpuContext(device, requestDevice),
    device: `WebGPU vendor=${adapter.info.vendor} architecture=${adapter.info.architecture}`,
    errors,
  };
}

function newWebGL2(): WebGL2RenderingContext {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) throw new Error('no WebGL2 context in this browser');
  return gl;
}

async function webgl2Target(): Promise<{
  ctx: ConformanceContext;
  device: string;
  errors: () => Promise<string[]>;
}> {
  const gl = newWebGL2();
  const errors = async () => {
    const found: string[] = [];
    for (let e = gl.getError(); e !== gl.NO_ERROR && found.length < 8; e = gl.getError()) {
      found.push(`gl.getError() = 0x${e.toString(16)}`);
    }
    return found;
  };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return { ctx: webgl2Context(gl, newWebGL2), device: `WebGL2 ${String(renderer)}`, errors };
}

async function main(): Promise<void> {
  const backend = new URLSearchParams(location.search).get('backend') ?? 'webgpu';
  let report: ConformanceReport;
  try {
    if (backend !== 'webgpu' && backend !== 'webgl2') throw new Error(`unknown ?backend=${backend}`);
    const target = backend === 'webgpu' ? await webgpuTarget() : await webgl2Target();
    const results = await runCases(target.ctx, CONFORMANCE_CASES, target.errors);
    report = { backend, device: target.device, results, fatal: undefined, done: true };
  } catch (error) {
    const fatal = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    report = { backend, device: '', results: [], fatal, done: true };
  }
  log.textContent = [
    `${report.backend} on ${report.device || '(none)'}`,
    ...(report.fatal ? [`FATAL: ${report.fatal}`] : []),
    ...report.results.map(
      (r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)${r.ok ? '' : `\n     ${r.message}`}`,
    ),
  ].join('\n');
  window.__conformance = report;
}

void main();
