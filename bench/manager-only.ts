/**
 * The manager benchmarks alone (`npx tsc -p bench/tsconfig.json && node .bench-out/bench/manager-only.js`),
 * for when the rest of `npm run bench` does not build.
 */
import { openGpu } from './gpu.ts';
import { benchManager } from './manager.ts';

console.log('== Manager (Dawn on SwiftShader) ==');
const gpu = await openGpu();
let ok = false;
try {
  ok = await benchManager(gpu);
} finally {
  gpu.close();
}
if (!ok) console.log('some targets were missed (see MISS lines)');
process.exit(0);
