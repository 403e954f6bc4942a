import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard: built into dist/web (served by the Node server, the Worker's static assets and
 * the nginx image). `npm run dev:web` serves it with hot reload, proxying the API to a server on
 * :3000 (`npm run dev`).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names under /assets/: cached for a year, never stale.
    assetsDir: 'assets',
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
