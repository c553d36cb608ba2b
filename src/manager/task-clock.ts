/**
 * The manager's default clock: `performance.now()` read once per task. Every lookup stamps its resource's last
 * access, and a frame may look up tens of thousands of resources; reading the clock each time costs more than
 * the lookup itself (and allocates a number on Node). Stamps within one synchronous task share the time of its
 * first read, which is exact enough for idle ages measured in frames and seconds.
 */

/**
 * A `now()` that reads `performance.now()` at most once per task (the cached time is dropped in a microtask).
 *
 * @example
 * const now = taskClock();
 * now() === now(); // true within one task
 */
export function taskClock(): () => number {
  let cached: number | undefined;
  const expire = () => {
    cached = undefined;
  };
  return () => {
    if (cached === undefined) {
      cached = performance.now();
      queueMicrotask(expire);
    }
    return cached;
  };
}
