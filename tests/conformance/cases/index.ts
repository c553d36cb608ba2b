/** Every conformance case, in the order runners execute them. Names are unique across the suite. */
import type { ConformanceCase } from '../context.ts';
import { destroyCases } from './destroy.ts';
import { eventCases } from './events.ts';
import { handleCases } from './handles.ts';
import { kindCases } from './kinds.ts';
import { ledgerCases } from './ledger.ts';
import { lifetimeCases } from './lifetimes.ts';
import { lossCases } from './loss.ts';
import { poolCases } from './pools.ts';
import { stagingCases } from './staging.ts';
import { validationCases } from './validation.ts';

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...handleCases,
  ...validationCases,
  ...destroyCases,
  ...ledgerCases,
  ...eventCases,
  ...lifetimeCases,
  ...poolCases,
  ...stagingCases,
  ...lossCases,
  ...kindCases,
];

const names = new Set<string>();
for (const c of CONFORMANCE_CASES) {
  if (names.has(c.name)) throw new Error(`duplicate conformance case name: ${c.name}`);
  names.add(c.name);
}
