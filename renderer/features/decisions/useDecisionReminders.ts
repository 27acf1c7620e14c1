/**
 * Desktop reminders for decisions while Outpost is open: a day before voting closes for people who
 * have not voted, and on a decided decision's review date. Uses the Web Notification API (which
 * Electron routes to the OS and browsers show natively), plus an in-app notice, once per
 * reminder on this device.
 */
import { showDesktopNotice } from '../../platform/notify';
import { useEffect } from 'react';
import { dueReminders } from '../../../shared/model';
import { selectTrust } from '../../store/selectors';
import { useAppStore } from '../../store';

const SHOWN_KEY = 'outpost.decisionReminders';
const MAX_KEPT = 500;
const MAX_TIMEOUT = 2_147_483_647;

function loadShown(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(SHOWN_KEY) ?? '[]');
    return Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];
  } catch {
    return [];
  }
}

function showDesktop(title: string, body: string, onClick: () => void): void {
  void showDesktopNotice({ title, body, tag: title, onClick }, { ask: true });
}

export function useDecisionReminders(): void {
  const items = useAppStore((state) => state.snapshot?.decisions.items);
  const memberId = useAppStore((state) => state.profile?.memberId);
  const trust = useAppStore(selectTrust);
  useEffect(() => {
    if (!items || !memberId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const shown = loadShown();
      const { due, nextAt } = dueReminders(items, memberId, Date.now(), new Set(shown), trust);
      if (due.length > 0) {
        localStorage.setItem(
          SHOWN_KEY,
          JSON.stringify([...shown, ...due.map((item) => item.key)].slice(-MAX_KEPT)),
        );
        const state = useAppStore.getState();
        for (const reminder of due) {
          const open = () => {
            const current = useAppStore.getState();
            current.setSection('decisions');
            current.select('decision', reminder.decisionId);
          };
          showDesktop(reminder.title, reminder.body, open);
          state.notify('info', `${reminder.title}. ${reminder.body}`);
        }
      }
      if (nextAt !== null)
        timer = setTimeout(check, Math.min(MAX_TIMEOUT, Math.max(1_000, nextAt - Date.now())));
    };
    check();
    return () => clearTimeout(timer);
  }, [items, memberId, trust]);
}
