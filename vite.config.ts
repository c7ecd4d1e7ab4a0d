/** Builds the browser client from `client/` into `dist/client`, which the server serves. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Its licence, which must travel with the font files. */
const FONT_LICENCE = fileURLToPath(new URL('./node_modules/@fontsource/noto-sans-sc/LICENSE', import.meta.url));

/**
 * The CJK font served with the client (client/src/main.tsx). Its @fontsource CSS names a .woff
 * beside each .woff2 for browsers no wall runs, which the build would otherwise copy too (twice the
 * files); its licence, SIL OFL 1.1, is served beside it at /licenses/noto-sans-sc-OFL.txt.
 */
const servedFont = (): Plugin => ({
  name: 'city-brain:served-font',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]@fontsource[\\/][^?]*\.css($|\?)/.test(id)) return null;
    return { code: code.replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, ''), map: null };
  },
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'licenses/noto-sans-sc-OFL.txt', source: readFileSync(FONT_LICENCE, 'utf8') });
  },
});

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  base: '/',
  plugins: [react(), servedFont()],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // maplibre + deck.gl are large by nature; a warning about it on every build says nothing new.
    chunkSizeWarningLimit: 3000,
    // The bundler's timing report ("JavaScript callbacks ran for 7.2s…") is printed whenever a build
    // is slow, i.e. on every start of a busy or small machine: noise in the first thing a newcomer reads.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
