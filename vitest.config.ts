import { defineConfig } from 'vitest/config';

// Dawn (the `webgpu` package) reaches SwiftShader, Chromium's software Vulkan, through this ICD file.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    setupFiles: ['./tests/support/fast-check-seed.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/gpu/**', 'tests/browser/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'gpu',
          include: ['tests/gpu/**/*.test.ts'],
          env: { VK_ICD_FILENAMES: SWIFTSHADER_ICD },
          // One process for every Dawn test file: Dawn is created once per process, and fewer process exits
          // means fewer chances of Dawn's rare crash at exit.
          pool: 'forks',
          maxWorkers: 1,
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
