/** Builds the browser client from `client/` into `dist/client`, which the server serves. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // maplibre + deck.gl are large by nature; a warning about it on every build says nothing new.
    chunkSizeWarningLimit: 3000,
  },
});
