// The renderer's build, shared by the Electron app (electron.vite.config.ts) and web mode.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/**
 * React Fast Refresh injects an inline script in development only; the strict policy in
 * renderer/index.html would block it, so the dev server (and only it) serves a relaxed copy.
 */
const devCsp: Plugin = {
  name: 'outpost-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

export const rendererConfig = {
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react(), devCsp],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
  },
};

export default defineConfig(rendererConfig);
