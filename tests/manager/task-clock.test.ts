import { describe, expect, it } from 'vitest';
import { taskClock } from '../../src/manager/task-clock.ts';

describe('taskClock', () => {
  it('reads the time once per task and again in the next one', async () => {
    const now = taskClock();
    const first = now();
    const spinUntil = performance.now() + 2;
    while (performance.now() < spinUntil) {
      // the task goes on: the clock must not move
    }
    expect(now()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = now();
    expect(later).toBeGreaterThan(first);
    expect(later).toBeLessThanOrEqual(performance.now());
  });
});
