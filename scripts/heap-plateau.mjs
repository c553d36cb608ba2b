/**
 * Heap after many create/destroy cycles, debug mode off and on: the JS heap must plateau (a manager that
 * kept something per create, such as one promise per debug-mode GPU check, grows without bound). It runs on
 * the null backend (tests/support/null-backend.ts), whose creates also answer every debug-mode GPU check
 * with a promise: the manager's JS bookkeeping is what is measured. Dawn cannot do this run: thousands of
 * error scopes in flight abort its Node binding by themselves ("The futex facility returned an unexpected
 * error code", or a pthread mutex assertion), with no manager involved. Runs
 * `--cycles` (default 200,000) buffer create+destroy pairs per mode, measures the heap after a full GC at
 * checkpoints, prints the series and the growth over the second half, and exits 1 when either mode grows by
 * more than `--maxGrowthKiB` (default 1024) over it.
 *
 *   node --expose-gc scripts/heap-plateau.mjs [--cycles 200000] [--maxGrowthKiB 1024]
 */
import { loadSources, numericArgs } from './load-sources.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const { cycles, maxGrowthKiB } = numericArgs({ cycles: 200_000, maxGrowthKiB: 1024 });
const { modules, close } = await loadSources([
  '/src/manager/resource-manager.ts',
  '/tests/support/null-backend.ts',
]);
const [{ ResourceManager }, { NullBackend }] = modules;
const COPY_DST = 0x08;

/** Heap used after the GPU verdicts settled and a full collection, in KiB. */
async function settledHeapKiB(manager, backend) {
  await manager.gpuErrors();
  backend.created.length = 0; // the null backend's own log of every object: not the manager's memory
  await new Promise((resolve) => setTimeout(resolve, 10));
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1024;
}

const checkpoints = 10;
/** Creates per frame between yields to the event loop. */
const FRAME = 200;
let failed = false;
for (const debug of [false, true]) {
  const backend = new NullBackend();
  const manager = new ResourceManager(backend, { debug });
  const series = [];
  const started = performance.now();
  series.push(await settledHeapKiB(manager, backend));
  for (let c = 1; c <= checkpoints; c++) {
    for (let i = 0; i < cycles / checkpoints; i++) {
      const handle = manager.createBuffer({ label: 'cycle', size: 16, usage: COPY_DST });
      manager.destroy(handle);
      // Yield like frames do, so GPU verdicts settle as they would in an app.
      if (i % FRAME === FRAME - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    series.push(await settledHeapKiB(manager, backend));
  }
  const seconds = (performance.now() - started) / 1000;
  const half = series[checkpoints / 2];
  const growth = series[checkpoints] - half;
  const perThousand = (growth / (cycles / 2)) * 1000;
  console.log(
    `debug ${debug ? 'on ' : 'off'}: ${cycles} create/destroy cycles in ${seconds.toFixed(1)} s; heap KiB at each ` +
      `${cycles / checkpoints}: ${series.map((kib) => Math.round(kib)).join(' ')}`,
  );
  console.log(
    `debug ${debug ? 'on ' : 'off'}: growth over the second half ${Math.round(growth)} KiB ` +
      `(${perThousand.toFixed(2)} KiB per 1,000 cycles)${growth > maxGrowthKiB ? '  FAIL: the heap grows' : ''}`,
  );
  if (growth > maxGrowthKiB) failed = true;
  if (manager.stats().totalCount !== 0) {
    console.log(`FAIL: ${manager.stats().totalCount} resources left alive`);
    failed = true;
  }
  manager.dispose();
}
await close();
process.exit(failed ? 1 : 0);
