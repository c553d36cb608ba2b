import type { ManagerEvents } from './types.ts';

/** Every event name a manager emits; `on` refuses any other (a typo never fails silently). */
export const MANAGER_EVENT_NAMES: readonly (keyof ManagerEvents)[] = [
  'create',
  'destroy',
  'failed',
  'gpuError',
  'lost',
  'restored',
  'evicted',
  'overBudget',
] satisfies readonly (keyof ManagerEvents)[];
