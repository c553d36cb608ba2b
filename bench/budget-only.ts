/**
 * The budget benchmark alone (`npx tsc -p bench/tsconfig.json && node .bench-out/bench/budget-only.js`).
 */
import { benchBudget } from './budget.ts';
import { openGpu } from './gpu.ts';

const gpu = await openGpu();
let ok = false;
try {
  ok = await benchBudget(gpu);
} finally {
  gpu.close();
}
if (!ok) console.log('some targets were missed (see MISS lines)');
process.exit(0);
