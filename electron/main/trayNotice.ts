/**
 * The one-time explanation shown the first time the window is closed to the tray: closing no
 * longer quits, Outpost keeps syncing and timing focus in the background, and Quit is in the
 * tray's menu. Without it, a person who closed the window would not know their laptop still
 * talks to teammates. Whether it was shown is kept in userData/tray-notice.json, so it is shown
 * once per device, not once per run.
 */
import { z } from 'zod';
import { errorMessage, readJsonFile, writeFileAtomic } from './jsonFile';
import type { FocusElectron, NotificationLike } from './focus/focusDesktop';

export const TRAY_NOTICE = {
  title: 'Outpost is still running',
  body: 'It keeps syncing your team workspaces and timing your focus while its window is closed. To stop it, choose Quit Outpost in the tray icon’s menu.',
} as const;

const NoticeFile = z.object({ shownAt: z.number().int().nonnegative() });

export interface TrayNoticeDeps {
  readonly filePath: string;
  readonly Notification: FocusElectron['Notification'];
  /** Where there are no notifications: a message box. */
  readonly showMessageBox: (options: {
    type: 'warning';
    title: string;
    message: string;
    detail: string;
  }) => Promise<unknown>;
  /** Clicking the notification brings the window back. */
  readonly showWindow: () => void;
  readonly now: () => number;
}

export interface TrayNotice {
  /** The window was just hidden to the tray: explain, unless this device has been told before. */
  windowHidden(): void;
}

export async function createTrayNotice(deps: TrayNoticeDeps): Promise<TrayNotice> {
  const stored = await readJsonFile(deps.filePath, NoticeFile);
  // A damaged or missing file means "not told yet": telling twice is better than never.
  let shown = stored.kind === 'ok';
  // Electron drops a notification's events once nothing holds it; this one is kept until used.
  const live = new Set<NotificationLike>();

  return {
    windowHidden() {
      if (shown) return;
      shown = true;
      if (deps.Notification.isSupported()) {
        const notification = new deps.Notification({ ...TRAY_NOTICE, silent: true });
        live.add(notification);
        notification.on('click', () => {
          live.delete(notification);
          deps.showWindow();
        });
        notification.on('close', () => live.delete(notification));
        notification.show();
      } else {
        void deps.showMessageBox({
          type: 'warning',
          title: 'Outpost',
          message: TRAY_NOTICE.title,
          detail: TRAY_NOTICE.body,
        });
      }
      writeFileAtomic(deps.filePath, `${JSON.stringify({ shownAt: deps.now() })}\n`).catch(
        (error: unknown) =>
          console.warn(`Could not remember that the tray was explained: ${errorMessage(error)}`),
      );
    },
  };
}
