/**
 * Builds the renderer once per test run into its own temporary folder (web mode serves the built
 * files), so parallel runs never serve each other's half-written builds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { rendererConfig } from '../../vite.config';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'outpost-renderer-'));
  // The build people run. Vitest sets NODE_ENV=test, and Vite (and its React plugin) would carry
  // that into the bundle: React's development build, slower and mounting effects twice.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      ...rendererConfig,
      mode: 'production',
      configFile: false,
      logLevel: 'warn',
      build: { ...rendererConfig.build, outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('rendererDir', outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
