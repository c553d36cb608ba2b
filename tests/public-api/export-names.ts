/**
 * The names an entry point file exports, read from its source text: runtime values and type-only names apart.
 * Entry files are re-export lists plus a few declarations, so a small reader is enough; the export-list test
 * checks the values it finds against the module's real runtime keys, so a reader mistake shows as a failure.
 */
import { readFileSync } from 'node:fs';

/** Sorted names of one entry point. */
export interface ExportNames {
  readonly values: readonly string[];
  readonly types: readonly string[];
}

const LIST = /export\s+(type\s+)?\{([^}]*)\}/g;
const DECLARATION =
  /export\s+(?:declare\s+)?(interface|type|function|class|const|let|enum)\s+([A-Za-z_$][\w$]*)/g;

/**
 * @example
 * exportNames(new URL('../../src/webgpu.ts', import.meta.url)) // { values: ['WebGPUBackend', ...], types: [...] }
 */
export function exportNames(file: URL): ExportNames {
  const source = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const values = new Set<string>();
  const types = new Set<string>();
  for (const [, typeOnly, list] of source.matchAll(LIST)) {
    for (const raw of (list ?? '').split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      const isType = typeOnly !== undefined || item.startsWith('type ');
      const name = item
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      (isType ? types : values).add(name);
    }
  }
  for (const [, keyword, name] of source.matchAll(DECLARATION)) {
    (keyword === 'interface' || keyword === 'type' ? types : values).add(name!);
  }
  return { values: [...values].sort(), types: [...types].sort() };
}
