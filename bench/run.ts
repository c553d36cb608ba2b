/** `npm run bench`: every benchmark in one process, each printing ratios against baselines of the same run. */
import { benchTable } from './table.ts';

console.log('== ResourceTable ==');
const ok = [benchTable(1_000), benchTable(10_000), benchTable(100_000)];
if (ok.includes(false)) console.log('some targets were missed (see MISS lines)');
