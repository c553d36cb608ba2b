/**
 * Deadlines of any length. `setTimeout` keeps its delay in a signed 32-bit integer: a delay of 2^31 ms (24.8
 * days) or more fires after 1 ms in browsers and Node. A deadline past that limit is a chain of timers, each
 * within it, so `timeoutMs: 2 ** 31` really waits 2^31 ms; only one timer is armed at a time.
 */

/** The longest delay `setTimeout` honours, in ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `onExpire` once `ms` milliseconds have passed (a finite number >= 0); returns the function that
 * cancels it (idempotent).
 *
 * @example
 * const cancel = startDeadline(2 ** 32, () => console.log('50 days later'));
 * cancel();
 */
export function startDeadline(ms: number, onExpire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (remaining: number): void => {
    if (remaining > MAX_TIMER_DELAY_MS) {
      timer = setTimeout(() => arm(remaining - MAX_TIMER_DELAY_MS), MAX_TIMER_DELAY_MS);
    } else {
      timer = setTimeout(onExpire, remaining);
    }
  };
  arm(ms);
  return () => clearTimeout(timer);
}
