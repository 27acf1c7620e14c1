// The renderer's build, shared by the Electron app (electron.vite.config.ts) and web mode.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export const rendererConfig = {
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  // The page's Content-Security-Policy is a response header wherever it is served (app://, web
  // mode, and the relaxed one the main process adds for the dev server), never a meta tag.
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
  },
};

export default defineConfig(rendererConfig);
