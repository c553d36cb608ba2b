import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/** Every demo page: demos/<name>/index.html. */
function demoPages(): Record<string, string> {
  const pages: Record<string, string> = { main: resolve(root, 'index.html') };
  for (const entry of readdirSync(resolve(root, 'demos'), { withFileTypes: true })) {
    if (entry.isDirectory()) pages[entry.name] = resolve(root, 'demos', entry.name, 'index.html');
  }
  return pages;
}

export default defineConfig({
  root,
  server: { host: 'localhost', port: 5173 },
  build: {
    outDir: 'site-dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: demoPages() },
  },
});
