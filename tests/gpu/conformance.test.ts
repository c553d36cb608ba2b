/**
 * The conformance suite on WebGPU in Node (Dawn on SwiftShader): one vitest test per case. The same cases run
 * in Chromium on WebGPU and WebGL2 through tests/browser/conformance.test.ts.
 */
import { describe, it } from 'vitest';
import { CONFORMANCE_CASES } from '../conformance/cases/index.ts';
import type { ConformanceContext } from '../conformance/context.ts';
import { webgpuContext } from '../conformance/targets.ts';
import { requestTestDevice, useGpuDevice } from '../support/webgpu.ts';

const gpu = useGpuDevice();

// Built lazily: the fixture's device exists only once beforeAll has run.
let ctx: ConformanceContext | undefined;
const context = () => (ctx ??= webgpuContext(gpu.device, requestTestDevice));

describe('conformance on WebGPU (Dawn in Node)', () => {
  for (const c of CONFORMANCE_CASES) {
    it(c.name, () => c.run(context()));
  }
});
