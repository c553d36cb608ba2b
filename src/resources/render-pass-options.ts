import type { RenderPassOptions } from '../core/backend.ts';
import { ValidationError } from '../errors.ts';
import { readOption, readOptionBag } from '../monitor/read-options.ts';

const LOADS = ['clear', 'load'] as const;
const STORES = ['store', 'discard'] as const;

/**
 * Checks the options of `manager.renderPass(rt, options)`: `load` is `'clear'` or `'load'`, `store` is
 * `'store'` or `'discard'`; returns a fresh plain object (a caller's Proxy never reaches the backend).
 *
 * @example
 * readRenderPassOptions('scene', { load: 'load' }) // { load: 'load', store: undefined }
 */
export function readRenderPassOptions(label: string, options: unknown): RenderPassOptions {
  const bag = readOptionBag(label, 'options', options, false, 'options.');
  const load = readOption(bag, 'load');
  if (load !== undefined && !LOADS.includes(load as never)) {
    throw new ValidationError(label, 'options.load', load, "must be 'clear' or 'load'");
  }
  const store = readOption(bag, 'store');
  if (store !== undefined && !STORES.includes(store as never)) {
    throw new ValidationError(label, 'options.store', store, "must be 'store' or 'discard'");
  }
  return { load: load as RenderPassOptions['load'], store: store as RenderPassOptions['store'] };
}
