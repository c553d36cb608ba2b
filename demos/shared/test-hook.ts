/**
 * TEST-ONLY: `window.__demo`, the handle the browser tests (tests/browser/) use to script a demo page and read
 * its state. It is not an API: names may change with the tests. Every page publishes at least this base; each
 * page adds its own fields (see demos/<page>/hook.ts).
 */

/** What every demo page publishes on `window.__demo`. */
export interface DemoHookBase {
  /** The page's name: 'home', 'playground', 'render-targets', 'stress'. */
  readonly page: string;
  /** True once the page is running (its backend, manager and overlay exist). */
  ready: boolean;
  /** Set instead of `ready` when the backend is missing: the message the page shows. */
  unavailable: string | undefined;
  /** Set when startup failed for another reason (a bug): the error's message. */
  failure: string | undefined;
  /** Uncaptured GPU errors (and debug-mode GPU validation errors) seen by the page. */
  gpuErrors: readonly string[];
  /** `vendor architecture` of the adapter, once known. */
  adapter: string | undefined;
}

declare global {
  interface Window {
    /** TEST-ONLY hook of the demo pages; see demos/shared/test-hook.ts. */
    __demo?: DemoHookBase;
  }
}

/**
 * Publishes the base hook on `window.__demo` and returns it, so the page can fill it in.
 *
 * @example
 * const hook = publishHook('playground');
 * Object.assign(hook, { manager, overlay });
 */
export function publishHook(page: string): DemoHookBase {
  const hook: DemoHookBase = {
    page,
    ready: false,
    unavailable: undefined,
    failure: undefined,
    gpuErrors: [],
    adapter: undefined,
  };
  window.__demo = hook;
  return hook;
}
