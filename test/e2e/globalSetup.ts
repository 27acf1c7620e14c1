/** Builds the renderer once for every end-to-end test (web mode serves the built files). */
import { build } from 'vite';
import { rendererConfig } from '../../vite.config';

export default async function setup(): Promise<void> {
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn' });
}
