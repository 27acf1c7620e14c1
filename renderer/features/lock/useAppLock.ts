/**
 * Locks Outpost when the person has been away: after the chosen minutes with no input on the page
 * (keys, pointer, wheel, touch), and, on the desktop, when the system sleeps or locks its screen
 * (the main process forwards powerMonitor's events). In a browser only the page's own idle time
 * is known. Timers run on the page's clock, so a test moves it with a fake one.
 */
import { useEffect } from 'react';
import { getOutpostApi } from '../../platform/outpostApi';
import { useLockStore } from './lockStore';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function useAppLock(): void {
  const afterMinutes = useLockStore((state) => state.settings.afterMinutes);
  const locked = useLockStore((state) => state.locked);

  useEffect(() => {
    if (afterMinutes === 0 || locked) return;
    const limit = afterMinutes * 60_000;
    let lastActivity = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
    };
    for (const type of ACTIVITY)
      window.addEventListener(type, onActivity, { capture: true, passive: true });
    // One timer, re-armed for what is left, instead of one per keystroke.
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const idle = Date.now() - lastActivity;
      if (idle >= limit) useLockStore.getState().lock();
      else timer = setTimeout(check, limit - idle);
    };
    timer = setTimeout(check, limit);
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [afterMinutes, locked]);

  useEffect(
    () =>
      getOutpostApi().on('lock:systemLocked', () => {
        const state = useLockStore.getState();
        if (state.settings.onSleep) state.lock();
      }),
    [],
  );
}
