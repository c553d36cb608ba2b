import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * Every page of the site: index.html plus demos/<name>/index.html. Folders without an index.html (demos/shared)
 * hold code, not pages.
 */
function demoPages(): Record<string, string> {
  const pages: Record<string, string> = { main: resolve(root, 'index.html') };
  for (const entry of readdirSync(resolve(root, 'demos'), { withFileTypes: true })) {
    const page = resolve(root, 'demos', entry.name, 'index.html');
    if (entry.isDirectory() && existsSync(page)) pages[entry.name] = page;
  }
  return pages;
}

export default defineConfig({
  root,
  // Relative asset URLs: the built site works from any sub-path (a static host, a file server's folder).
  base: './',
  server: {
    host: 'localhost',
    port: 5173,
    // Under Vitest (the browser tests start this server) pages must not reload when a file changes: a reload
    // mid-test destroys the page's GPU device and the test reads a half-started page. The dev server keeps HMR.
    ...(process.env.VITEST ? { watch: null, hmr: false } : {}),
  },
  build: {
    outDir: 'site-dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: demoPages() },
  },
});
