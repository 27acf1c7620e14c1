/**
 * The main-process entry: the only module that imports Electron itself. Everything else gets the
 * Electron API handed in, so it runs under tests without the Electron binary.
 */
import * as electron from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appPathsFrom, startOutpost } from './app';

const mainDir = path.dirname(fileURLToPath(import.meta.url));

startOutpost(electron, {
  paths: appPathsFrom(mainDir, electron.app.isPackaged ? process.resourcesPath : null),
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
}).catch((error: unknown) => {
  console.error('Outpost could not start:', error);
  electron.dialog.showErrorBox(
    'Outpost could not start',
    error instanceof Error ? error.message : String(error),
  );
  electron.app.exit(1);
});
