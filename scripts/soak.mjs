/**
 * The long lifetime soak on Dawn: tests/support/soak.ts with 1,000,000 seeded operations by default (the test
 * suite runs 10,000 per seed). Every real destroy() of the textures and buffers the device returns is counted;
 * the soak checks the books after every operation and that every GPU object was freed exactly once; any
 * uncaptured GPU error fails the run. Prints ops/s. Not part of `npm test` (it takes tens of minutes).
 *
 *   node scripts/soak.mjs [--ops 1000000] [--seed 1]
 */
import { dawnDevice, loadSources, numericArgs } from './load-sources.mjs';

const { ops, seed } = numericArgs({ ops: 1_000_000, seed: 1 });
const { modules, close } = await loadSources(['/src/index.ts', '/tests/support/soak.ts']);
const [{ createResourceManager }, { runSoak }] = modules;
const { gpu, device } = await dawnDevice();
const uncaptured = [];
device.addEventListener('uncapturederror', (event) => uncaptured.push(event.error.message));

const frees = new WeakMap();
const watch = (object) => {
  const real = object.destroy.bind(object);
  frees.set(object, 0);
  object.destroy = () => {
    frees.set(object, frees.get(object) + 1);
    real();
  };
  return object;
};
const createTexture = device.createTexture.bind(device);
const createBuffer = device.createBuffer.bind(device);
device.createTexture = (desc) => watch(createTexture(desc));
device.createBuffer = (desc) => watch(createBuffer(desc));

const manager = createResourceManager({ device });
const started = performance.now();
let exitCode = 0;
try {
  const result = await runSoak(
    {
      manager,
      freedCount: (object) => frees.get(object) ?? 0,
      newEncoder: () => device.createCommandEncoder(),
      submitEncoder: (encoder) => manager.submit([encoder.finish()], { encoders: [encoder] }),
      submitEmpty: () => manager.submit([]),
      complete: () => manager.idle(),
    },
    { seed, operations: ops },
  );
  await device.queue.onSubmittedWorkDone();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `soak seed ${seed}: ${ops} ops in ${seconds.toFixed(1)} s = ${Math.round(ops / seconds)} ops/s; ` +
      `${result.created} resources created, ${result.freed} freed exactly once`,
  );
  if (uncaptured.length) {
    console.error(`FAIL: ${uncaptured.length} uncaptured GPU errors, first: ${uncaptured[0]}`);
    exitCode = 1;
  }
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
device.destroy();
await close();
void gpu;
process.exit(exitCode);
