/**
 * The renderer as people run it, built into `outDir`: the e2e tests' global setup and the fixture
 * generator serve it in web mode. Vitest sets NODE_ENV=test, and Vite (and its React plugin) would
 * carry that into the bundle: React's development build, slower and mounting effects twice.
 */
import { build } from 'vite';
import { rendererConfig } from '../../vite.config';

export async function buildRenderer(outDir: string): Promise<void> {
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
}
