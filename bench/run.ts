/**
 * `npm run bench` (compiled by `tsc -p bench/tsconfig.json`, run from .bench-out): every benchmark in one
 * process, each printing ratios against baselines of the same run.
 */
import { openGpu } from './gpu.ts';
import { benchStaging } from './staging.ts';
import { benchTable } from './table.ts';

console.log('== ResourceTable ==');
const ok = [benchTable(1_000), benchTable(10_000), benchTable(100_000)];
ok.push((await import('./atlas.ts')).benchAtlas());

console.log('== Staging (Dawn on SwiftShader) ==');
const gpu = await openGpu();
try {
  ok.push(await benchStaging(gpu));
  ok.push(await (await import('./tracking.ts')).benchTracking(gpu));
  ok.push(await (await import('./manager.ts')).benchManager(gpu));
  ok.push(await (await import('./bind-groups.ts')).benchBindGroups(gpu));
  ok.push(await (await import('./budget.ts')).benchBudget(gpu));
} finally {
  gpu.close();
}
console.log('== WebGL2 uploads (Chromium, ANGLE on SwiftShader) ==');
ok.push(await (await import('./webgl2-uploads.ts')).benchWebGL2Uploads());
ok.push(await (await import('./bundle-size.ts')).benchBundleSize());
if (ok.includes(false)) console.log('some targets were missed (see MISS lines)');
// Dawn may keep the event loop alive after the device is gone: leave explicitly once everything is printed.
process.exit(0);
