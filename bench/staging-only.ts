/**
 * The staging benchmarks alone (`npx tsc -p bench/tsconfig.json && node .bench-out/bench/staging-only.js`),
 * for when the rest of `npm run bench` does not build.
 */
import { openGpu } from './gpu.ts';
import { benchStaging } from './staging.ts';

console.log('== Staging (Dawn on SwiftShader) ==');
const gpu = await openGpu();
let ok = false;
try {
  ok = await benchStaging(gpu);
} finally {
  gpu.close();
}
if (!ok) console.log('some targets were missed (see MISS lines)');
process.exit(0);
