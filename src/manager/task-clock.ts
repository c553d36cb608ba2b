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

/**
 * The default clock of every manager in this realm: one function, so the manager's call sites that read the
 * clock see one target however many managers there are (a closure per manager made them polymorphic, and
 * V8's optimised create path several times slower). The cached time is per task, not per manager.
 *
 * @example
 * const now = sharedTaskClock; now() === now(); // true within one task
 */
export const sharedTaskClock: () => number = taskClock();
