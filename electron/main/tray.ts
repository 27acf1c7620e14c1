/**
 * The tray icon that keeps Outpost reachable while its window is closed to the tray
 * (focus timers and sync keep running there).
 */
import path from 'node:path';

export interface TrayMenuItem {
  readonly label?: string;
  readonly type?: 'separator' | 'normal';
  readonly click?: () => void;
}

export interface TrayLike<Menu> {
  setToolTip(toolTip: string): void;
  /** The text beside the icon in the macOS menu bar (the focus timer's remaining time). */
  setTitle?(title: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** The Electron pieces the tray needs: its constructors and factories, passed in. */
export interface TrayDeps<Image, Menu> {
  readonly Tray: new (image: Image) => TrayLike<Menu>;
  readonly Menu: { buildFromTemplate(template: TrayMenuItem[]): Menu };
  readonly nativeImage: { createFromPath(path: string): Image };
  /** Folder holding the bundled tray icons (build/ in development, resources/icons when packaged). */
  readonly iconDir: string;
  readonly platform: NodeJS.Platform;
  readonly onShow: () => void;
  readonly onQuit: () => void;
}

/**
 * macOS wants a monochrome "template" image it can tint for light and dark menu bars; other
 * systems show the coloured icon.
 */
export function trayIconPath(iconDir: string, platform: NodeJS.Platform): string {
  return path.join(iconDir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

/** The tray's context menu. */
export function trayMenuTemplate(onShow: () => void, onQuit: () => void): TrayMenuItem[] {
  return [
    { label: 'Show Outpost', click: onShow },
    { type: 'separator' },
    { label: 'Quit Outpost', click: onQuit },
  ];
}

/** Creates the tray icon with its menu; clicking the icon shows the window. */
export function createTray<Image, Menu>(deps: TrayDeps<Image, Menu>): TrayLike<Menu> {
  const tray = new deps.Tray(
    deps.nativeImage.createFromPath(trayIconPath(deps.iconDir, deps.platform)),
  );
  tray.setToolTip('Outpost');
  tray.setContextMenu(deps.Menu.buildFromTemplate(trayMenuTemplate(deps.onShow, deps.onQuit)));
  tray.on('click', deps.onShow);
  return tray;
}
