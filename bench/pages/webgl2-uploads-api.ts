/** What bench/pages/webgl2-uploads-page.ts exposes on `window` to bench/webgl2-uploads.ts (types only). */

/** The frames the Node side can time, by name. */
export type UploadSide =
  | 'raw'
  | 'belt'
  | 'stagedCopies'
  | 'tfScatter'
  | 'tfScatterFew'
  | 'rawFew'
  | 'rawRebinding'
  | 'rawAdjacent'
  | 'beltAdjacent'
  | 'raw5'
  | 'stagedNoManager'
  | 'writeThroughNoManager'
  | 'rawLarge'
  | 'beltLarge'
  | 'beltStagedLarge'
  | `subDataRuns${number}`
  | `copyRuns${number}`;

/** What the page exposes to the Node side. */
export interface UploadBenchPage {
  renderer: string;
  /** Runs `warmup` untimed then `samples` timed frames of a side; returns their milliseconds. */
  block(side: UploadSide, warmup: number, samples: number): number[];
  /** Runs one frame of each side over a known background and checks the target byte for byte. */
  verify(): Record<string, boolean>;
  /** Microseconds per write of each part of a scattered frame, timed alone (bench/pages/webgl2-uploads-parts.ts). */
  breakdown(): Record<string, number>;
}

declare global {
  interface Window {
    uploadBench?: UploadBenchPage;
    uploadBenchError?: string;
  }
}
