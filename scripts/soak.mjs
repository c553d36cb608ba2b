/**
 * The long lifetime soak on Dawn: tests/support/soak.ts for 1,000,000 seeded operations by default (the test
 * suite runs 10,000 per seed), as consecutive runs of `--segment` operations on a fresh manager each (seeds
 * seed, seed + 1, ...): the soak re-checks every destroyed resource after each operation, so one endless run
 * would slow down quadratically. Every real destroy() of the textures and buffers the device returns is
 * counted; after every operation the books match the model, and at the end of each run every GPU object was
 * freed exactly once; any uncaptured GPU error fails. Prints ops/s. Not part of `npm test`.
 *
 *   node scripts/soak.mjs [--ops 1000000] [--segment 10000] [--seed 1]
 */
import { dawnDevice, loadSources, numericArgs } from './load-sources.mjs';

const { ops, segment, seed } = numericArgs({ ops: 1_000_000, segment: 10_000, seed: 1 });
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

const started = performance.now();
let exitCode = 0;
let done = 0;
let created = 0;
try {
  for (let run = 0; done < ops; run++) {
    const operations = Math.min(segment, ops - done);
    const manager = createResourceManager({ device });
    const result = await runSoak(
      {
        manager,
        freedCount: (object) => frees.get(object) ?? 0,
        newEncoder: () => device.createCommandEncoder(),
        submitEncoder: (encoder) => manager.submit([encoder.finish()], { encoders: [encoder] }),
        submitEmpty: () => manager.submit([]),
        complete: () => manager.idle(),
      },
      { seed: seed + run, operations },
    );
    if (result.freed !== result.created)
      throw new Error(`run ${run}: ${result.created} created, ${result.freed} freed`);
    done += operations;
    created += result.created;
    await device.queue.onSubmittedWorkDone();
    if (uncaptured.length)
      throw new Error(`${uncaptured.length} uncaptured GPU errors, first: ${uncaptured[0]}`);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${done} ops (${run + 1} runs) in ${seconds.toFixed(1)} s: ${Math.round(done / seconds)} ops/s`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `soak seeds ${seed}..: ${done} ops in ${seconds.toFixed(1)} s = ${Math.round(done / seconds)} ops/s; ` +
      `${created} resources created, every GPU object freed exactly once, no uncaptured GPU error`,
  );
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
device.destroy();
await close();
void gpu;
process.exit(exitCode);
