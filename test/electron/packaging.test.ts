/**
 * The packaging inputs: electron-builder.yml passes electron-builder's own schema, and the icons the
 * app and the tray load exist at the sizes the platforms expect.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayIconPath } from '../../electron/main/tray';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface BuilderConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: null,
  ): Promise<Record<string, unknown>>;
  validateConfiguration(
    config: unknown,
    logger: { isEnabled: boolean; add(): void },
  ): Promise<void>;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number; rgba: boolean } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), rgba: bytes[25] === 6 };
}

describe('build resources', () => {
  it('has a 512 x 512 app icon with transparency', () => {
    expect(pngSize(path.join(root, 'build/icon.png'))).toEqual({
      width: 512,
      height: 512,
      rgba: true,
    });
  });

  it('has the tray icons the tray loads, with @2x variants for high-density screens', () => {
    const buildDir = path.join(root, 'build');
    for (const [platform, size] of [
      ['linux', 32],
      ['win32', 32],
      ['darwin', 16],
    ] as const) {
      const file = trayIconPath(buildDir, platform);
      expect(pngSize(file), file).toMatchObject({ width: size, height: size, rgba: true });
      expect(pngSize(file.replace(/\.png$/, '@2x.png'))).toMatchObject({
        width: size * 2,
        height: size * 2,
      });
    }
  });
});

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema and keeps the settings the project relies on', async () => {
    const builder = require('app-builder-lib/out/util/config/config') as BuilderConfigModule;
    const config = await builder.getConfig(root, 'electron-builder.yml', null);
    await expect(
      builder.validateConfiguration(config, { isEnabled: false, add: () => undefined }),
    ).resolves.toBeUndefined();
    expect(config).toMatchObject({
      appId: 'dev.outpost.app',
      productName: 'Outpost',
      directories: { output: 'release' },
      files: [{ filter: ['out/**', 'package.json'] }],
      linux: { target: ['AppImage', 'deb'], category: 'Office' },
      mac: { target: 'dmg', category: 'public.app-category.productivity', hardenedRuntime: true },
      win: { target: 'nsis' },
      nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
    });
    // The icons the main process loads at run time must be copied next to the app.
    expect(config.extraResources).toEqual([
      { from: 'build', to: 'icons', filter: ['icon.png', 'tray*.png'] },
    ]);
  });
});
