/** The model-based lifetime soak on the null backend: fast, many seeds (the Dawn run is in tests/gpu). */
import { describe, expect, it } from 'vitest';
import { ResourceManager } from '../../src/manager/resource-manager.ts';
import { NullBackend, type NullEncoder, type NullObject } from '../support/null-backend.ts';
import { runSoak } from '../support/soak.ts';

describe('lifetime soak (null backend)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: 3,000 operations keep the books exact and free every object once`, async () => {
      const backend = new NullBackend();
      const manager = new ResourceManager(backend);
      const result = await runSoak<NullEncoder>(
        {
          manager: manager as never,
          freedCount: (object) => (object as NullObject).destroyed,
          newEncoder: () => ({ encoder: true }),
          submitEncoder: (encoder) => manager.submit([{ commands: true }], { encoders: [encoder] }),
          submitEmpty: () => manager.submit([]),
          complete: async () => {
            const idle = manager.idle();
            backend.completeWork();
            await idle;
          },
        },
        { seed, operations: 3000 },
      );
      expect(result.created).toBeGreaterThan(500);
      expect(backend.created.every((o) => o.destroyed === 1)).toBe(true);
    });
  }
});
