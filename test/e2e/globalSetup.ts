/**
 * Builds the renderer once per test run into its own temporary folder (web mode serves the built
 * files), so parallel runs never serve each other's half-written builds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildRenderer } from './buildRenderer';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'outpost-renderer-'));
  await buildRenderer(outDir);
  project.provide('rendererDir', outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
