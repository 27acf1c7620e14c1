/**
 * The focus timer as the renderer sees it: a thin view over the focus service in the main process
 * (or the web companion), reached through window.outpost. The service owns the timer, its settings
 * and its stats; this store holds the last snapshot it pushed (focus:changed) and the recent stats
 * records. In web mode the companion cannot show native notifications, so this page shows a Web
 * Notification for each event pushed to it.
 */
import { showDesktopNotice } from '../../platform/notify';
import { create } from 'zustand';
import {
  focusStatus,
  pause,
  pauseFor,
  postpone,
  reminderFor,
  reset,
  resume,
  skip,
  start,
  type FocusEvent,
  type FocusTransition,
  type SessionRecord,
} from '../../../shared/focus';
import type {
  FocusAction,
  FocusConfigUpdate,
  FocusConfigUpdateResult,
  FocusSnapshot,
} from '../../../shared/ipc/focusContract';
import { ok, type Result } from '../../../shared/result';
import { getOutpostApi } from '../../platform/outpostApi';

/** How far back the page keeps stats records: this week and the four before it, with margin. */
const STATS_DAYS = 40;
const DAY_MS = 86_400_000;

export interface FocusStoreState {
  snapshot: FocusSnapshot | null;
  /** The service's clock minus this page's clock, from the last snapshot. */
  clockOffsetMs: number;
  records: readonly SessionRecord[];
  statsTruncated: boolean;
  /** Why the timer could not be reached, in a sentence. */
  error: string | null;
  connect(shell: 'electron' | 'web'): Promise<void>;
  act(action: FocusAction): Promise<Result<FocusSnapshot>>;
  updateConfig(update: FocusConfigUpdate): Promise<Result<FocusConfigUpdateResult>>;
  refreshStats(): Promise<void>;
}

/** A short two-note chime for web mode, where the page plays the reminder's sound itself. */
function playChime(): void {
  try {
    const context = new AudioContext();
    const gain = context.createGain();
    gain.connect(context.destination);
    gain.gain.setValueAtTime(0.0001, context.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.15, context.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 0.9);
    for (const [index, frequency] of [660, 880].entries()) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(context.currentTime + index * 0.18);
      oscillator.stop(context.currentTime + 0.9);
    }
    setTimeout(() => void context.close(), 1500);
  } catch {
    // No audio output (or autoplay blocked): the notification itself still shows.
  }
}

/** Shows a Web Notification for an event (web mode only; the desktop app notifies natively). */
function notifyInPage(event: FocusEvent, snapshot: FocusSnapshot): void {
  const reminder = reminderFor(event, snapshot.config.timeZone);
  if (!reminder) return;
  void showDesktopNotice({
    title: reminder.title,
    body: reminder.body,
    tag: `outpost-focus-${event.type}`,
    silent: !snapshot.preferences.sound,
  }).then((shown) => {
    if (shown && snapshot.preferences.sound) playChime();
  });
}

/**
 * What an action will do, computed with the same pure engine the service runs, so the page answers
 * a click at once; the service's own answer replaces it a moment later.
 */
function preview(snapshot: FocusSnapshot, action: FocusAction, now: number): FocusSnapshot | null {
  const { config, state } = snapshot;
  let result: Result<FocusTransition>;
  switch (action.type) {
    case 'start':
      result = start(config, state, now);
      break;
    case 'pause':
      result = pause(config, state, now);
      break;
    case 'pauseFor':
      result = pauseFor(config, state, action.duration, now);
      break;
    case 'resume':
      result = resume(config, state, now);
      break;
    case 'postpone':
      result = postpone(config, state, now);
      break;
    case 'skip':
      result = skip(config, state, now);
      break;
    case 'reset':
      result = ok(reset(config, state, now));
      break;
    case 'dismissProblem':
      return null;
  }
  if (!result.ok) return null;
  const next = result.value;
  return {
    ...snapshot,
    state: next.state,
    nextEventAt: next.nextEventAt,
    status: focusStatus(config, next.state, now),
    now,
  };
}

export const useFocusStore = create<FocusStoreState>()((set, get) => {
  /** The last snapshot the service sent (the store may show a preview on top of it). */
  let confirmed: FocusSnapshot | null = null;
  /** Whether this store follows the service's pushes already (once per store). */
  let connected = false;
  const take = (snapshot: FocusSnapshot) => {
    // An action's answer can arrive after a push the service sent later (different channels in
    // web mode): the older snapshot is dropped, or it would bring back a state already gone.
    if (
      confirmed &&
      confirmed.service === snapshot.service &&
      confirmed.revision > snapshot.revision
    ) {
      return;
    }
    confirmed = snapshot;
    set({ snapshot, clockOffsetMs: snapshot.now - Date.now(), error: null });
  };

  return {
    snapshot: null,
    clockOffsetMs: 0,
    records: [],
    statsTruncated: false,
    error: null,
    async connect(shell) {
      if (connected) return;
      connected = true;
      const api = getOutpostApi();
      api.on('focus:changed', ({ snapshot, events }) => {
        take(snapshot);
        if (shell === 'web') for (const event of events) notifyInPage(event, snapshot);
        void get().refreshStats();
      });
      const result = await api.invoke('focus:getState', undefined);
      if (result.ok) take(result.value);
      else set({ error: `The focus timer could not be reached: ${result.error.message}` });
      await get().refreshStats();
    },
    async act(action) {
      const current = get().snapshot;
      const shown = current ? preview(current, action, Date.now() + get().clockOffsetMs) : null;
      if (shown) set({ snapshot: shown });
      const result = await getOutpostApi().invoke('focus:act', action);
      if (result.ok) take(result.value);
      else if (shown && get().snapshot === shown) set({ snapshot: confirmed });
      return result;
    },
    async updateConfig(update) {
      const result = await getOutpostApi().invoke('focus:updateConfig', update);
      if (result.ok && result.value.saved) take(result.value.snapshot);
      return result;
    },
    async refreshStats() {
      const since = Date.now() + get().clockOffsetMs - STATS_DAYS * DAY_MS;
      const result = await getOutpostApi().invoke('focus:stats', { since });
      if (result.ok) set({ records: result.value.records, statsTruncated: result.value.truncated });
    },
  };
});
