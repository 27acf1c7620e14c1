/**
 * Desktop notifications from the renderer through the Web Notification API, which Electron routes
 * to the operating system and browsers show natively. Every reminder in the renderer goes through
 * here, so permission handling and failures are treated the same way everywhere.
 */
import { LOCKED_NOTICE } from '../../shared/ipc/lockContract';

let privateNotices = false;

/**
 * While Outpost is locked (renderer/features/lock/) every notification says only that there is
 * one: its title and text could name a note, a decision or a person.
 */
export function setNotificationsPrivate(value: boolean): void {
  privateNotices = value;
}

export interface DesktopNotice {
  readonly title: string;
  readonly body: string;
  /** Notices with the same tag replace each other instead of piling up. */
  readonly tag?: string;
  readonly silent?: boolean;
  /** Runs when the person clicks the notification, after the window is brought forward. */
  readonly onClick?: () => void;
}

/** True when notifications can be shown without asking. */
export function canNotify(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/**
 * Shows a notification when permission is granted (asking first when `ask` is set and the person
 * has not decided yet). Returns whether it was shown; never throws.
 */
export async function showDesktopNotice(
  notice: DesktopNotice,
  options: { ask?: boolean } = {},
): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'default' && options.ask) await Notification.requestPermission();
  if (Notification.permission !== 'granted') return false;
  try {
    const notification = new Notification(privateNotices ? LOCKED_NOTICE.title : notice.title, {
      body: privateNotices ? LOCKED_NOTICE.body : notice.body,
      // A tag can name what the notice is about too (a decision's reminder uses its title).
      ...(privateNotices
        ? { tag: 'outpost-locked' }
        : notice.tag === undefined
          ? {}
          : { tag: notice.tag }),
      ...(notice.silent === undefined ? {} : { silent: notice.silent }),
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
      notice.onClick?.();
    };
    return true;
  } catch (error) {
    console.warn('Could not show a notification', error);
    return false;
  }
}
