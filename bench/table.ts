/**
 * ResourceTable against a plain array read and Map.get over the same keys, measured in one run.
 * Targets: table.get >= 0.5x plain array, >= 4x Map.get.
 */
import { ResourceTable } from '../src/handles/resource-table.ts';
import { bestThroughput, perSecond, report } from './measure.ts';

const LOOKUPS = 2_000_000;
const ROUNDS = 7;

/** Runs the table benchmark and returns false when a target is missed. */
export function benchTable(ENTRIES: number): boolean {
  const table = new ResourceTable<{ id: number }>();
  const array: { id: number }[] = [];
  const map = new Map<number, { id: number }>();
  const handles: number[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const value = { id: i };
    const handle = table.insert(value);
    handles.push(handle);
    array.push(value);
    map.set(handle, value);
  }
  // The same pseudo-random access order for all three structures, each reading its keys from the same kind
  // of storage (a Float64Array: 8 bytes per key), so they differ only in the lookup itself.
  const order = new Float64Array(LOOKUPS);
  let seed = 12345;
  for (let i = 0; i < LOOKUPS; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    order[i] = seed % ENTRIES;
  }
  const keys = Float64Array.from(order, (i) => handles[i]!);
  // Each loop sums into a local and returns it (see bestThroughput): the lookups are what is measured.
  const arrayRate = bestThroughput(LOOKUPS, ROUNDS, () => {
    let sum = 0;
    for (let i = 0; i < LOOKUPS; i++) sum += array[order[i]!]!.id;
    return sum;
  });
  const mapRate = bestThroughput(LOOKUPS, ROUNDS, () => {
    let sum = 0;
    for (let i = 0; i < LOOKUPS; i++) sum += map.get(keys[i]!)!.id;
    return sum;
  });
  const tableRate = bestThroughput(LOOKUPS, ROUNDS, () => {
    let sum = 0;
    for (let i = 0; i < LOOKUPS; i++) sum += table.get(keys[i]!)!.id;
    return sum;
  });
  const churn = 200_000;
  const insertRemoveRate = bestThroughput(churn, ROUNDS, () => {
    for (let i = 0; i < churn; i++) table.remove(table.insert({ id: i }));
  });
  const mapChurnRate = bestThroughput(churn, ROUNDS, () => {
    for (let i = 0; i < churn; i++) {
      map.set(-1 - i, { id: i });
      map.delete(-1 - i);
    }
  });
  console.log(
    `${ENTRIES} entries: plain array read: ${perSecond(arrayRate)}, Map.get: ${perSecond(mapRate)}`,
  );
  const vsArray = tableRate / arrayRate;
  const vsMap = tableRate / mapRate;
  report(`table.get vs plain array (${ENTRIES})`, perSecond(tableRate), vsArray, '>= 0.5x', vsArray >= 0.5);
  report(`table.get vs Map.get (${ENTRIES})`, perSecond(tableRate), vsMap, '>= 4x', vsMap >= 4);
  report(
    `table insert+remove vs Map set+delete (${ENTRIES})`,
    perSecond(insertRemoveRate),
    insertRemoveRate / mapChurnRate,
    'informative',
    true,
  );
  return vsArray >= 0.5 && vsMap >= 4;
}
