import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Builds the local stack's web console into dist/console, which the stack serves.
export const consoleConfig = defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run dev:console` serves the page with hot reload and sends /api to a running stack.
  server: {
    proxy: { '/api': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:9002' },
  },
});

// biome-ignore lint/style/noDefaultExport: Vite loads its configuration from the default export.
export default consoleConfig;
