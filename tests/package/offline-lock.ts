/**
 * A package-lock.json for a throwaway app, cut from this repository's lock: the app's dependencies and
 * everything they pull in, at the exact versions, resolved URLs and integrity hashes the repository was
 * installed with. With it, `npm install --offline` needs nothing but the tarballs already in the npm cache
 * (`npm ci` put them there); without it npm would also need registry metadata the cache may not hold.
 */

/** The parts of a lockfile v3 package entry that matter here. */
interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** A lockfile v3 (`lockfileVersion: 3`): install paths to entries. */
export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [field: string]: unknown;
}

/** Where Node would find `name` when required from the package installed at `from` ('' is the app). */
function resolveInstallPath(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * The lock of an app named `name` whose dependencies are `direct` (package name to the spec written in its
 * package.json; each must be installed at the top level of `repoLock`), plus `local` entries (a packed
 * tarball) added as they are. Every package reachable through dependencies, optional dependencies and
 * required peers is copied with its install path.
 *
 * @example
 * const lock = offlineLock(repoLock, 'app', { vite: '8.3.8' }, { 'node_modules/x': { version: '1.0.0', resolved: 'file:x.tgz' } });
 */
export function offlineLock(
  repoLock: Lockfile,
  name: string,
  direct: Record<string, string>,
  local: Record<string, LockEntry> = {},
): Lockfile {
  const packages: Lockfile['packages'] = {};
  const all = { ...repoLock.packages, ...local };
  const queue: string[] = [];
  const visit = (from: string, dep: string, optional: boolean) => {
    const path = resolveInstallPath(all, from, dep);
    if (path === undefined) {
      if (optional) return;
      throw new Error(
        `the repository's lock has no install of '${dep}' reachable from '${from || 'the app'}'`,
      );
    }
    if (packages[path]) return;
    const entry = all[path];
    if (entry) packages[path] = withoutDevFlags(entry);
    queue.push(path);
  };
  for (const dep of Object.keys(direct)) visit('', dep, false);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const entry = all[path] ?? {};
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(path, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(path, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      visit(path, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
    }
  }
  return {
    name,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name, dependencies: direct }, ...sortedByPath(packages) },
  };
}

// The repository installed these as dev dependencies; in the app they are plain ones. npm recomputes the
// flags, but a stale `dev: true` would make it prune the package under `--omit=dev`.
function withoutDevFlags(entry: LockEntry): LockEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
  return rest;
}

function sortedByPath(packages: Lockfile['packages']): Lockfile['packages'] {
  return Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
