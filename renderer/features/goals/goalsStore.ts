/**
 * The goals feature's own store (writes are in goalActions.ts): the list's filters and view mode,
 * and the weekly check-in reminder
 * (kept on this device in localStorage, scheduled with one timeout, shown as a desktop
 * notification, and moved into working hours when focus settings have them).
 */
import { canNotify, showDesktopNotice } from '../../platform/notify';
import { create } from 'zustand';
import {
  CheckInReminder,
  DEFAULT_REMINDER,
  keyResultsDue,
  nextReminderAt,
  reminderMessage,
  type FieldResult,
} from '../../../shared/model';
import { useAppStore } from '../../store';
import { useFocusStore } from '../focus/focusStore';

const REMINDER_KEY = 'outpost.goals.reminder';

export type GoalsMode = 'list' | 'tree';
export interface GoalFilters {
  /** A member id, `me`, `none` or `all`. */
  readonly owner: string;
  /** A period label, `current` or `all`. */
  readonly period: string;
  readonly status: 'all' | 'active' | 'achieved' | 'abandoned';
}

interface StoredReminder extends CheckInReminder {
  /** When the scheduled reminder is due; a reminder missed while Outpost was closed fires on open. */
  readonly dueAt: number | null;
}

export interface GoalsStore {
  mode: GoalsMode;
  filters: GoalFilters;
  reminder: CheckInReminder;
  reminderDueAt: number | null;
  reminderProblem: string | null;
  setMode(mode: GoalsMode): void;
  setFilters(patch: Partial<GoalFilters>): void;
  loadReminder(): void;
  saveReminder(input: unknown): Promise<FieldResult<CheckInReminder>>;
}

function readStored(): { value: StoredReminder; problem: string | null } {
  const raw = localStorage.getItem(REMINDER_KEY);
  const fallback = { ...DEFAULT_REMINDER, dueAt: null };
  if (raw === null) return { value: fallback, problem: null };
  try {
    const data = JSON.parse(raw) as Record<string, unknown>;
    const { dueAt, ...rest } = data;
    const parsed = CheckInReminder.safeParse(rest);
    if (parsed.success)
      return {
        value: { ...parsed.data, dueAt: typeof dueAt === 'number' ? dueAt : null },
        problem: null,
      };
  } catch {
    // Falls through to the message below.
  }
  return {
    value: fallback,
    problem: 'The saved check-in reminder could not be read; it is off until you set it again.',
  };
}

function store(value: StoredReminder): void {
  localStorage.setItem(REMINDER_KEY, JSON.stringify(value));
}

/** Shows the reminder now, naming the key results this person owns that wait for a check-in. */
function showReminder(): void {
  if (!canNotify()) return;
  const { profile, snapshot } = useAppStore.getState();
  const due = profile
    ? keyResultsDue(snapshot?.goals.items ?? [], profile.memberId, Date.now())
    : [];
  const { title, body } = reminderMessage(due);
  void showDesktopNotice({
    title,
    body,
    tag: 'outpost-goals-check-in',
    onClick: () => useAppStore.getState().setSection('goals'),
  });
}

/** A reminder that was due less than this long ago when Outpost opens is still shown. */
const CATCH_UP_MS = 12 * 60 * 60 * 1000;

export const useGoalsStore = create<GoalsStore>()((set, get) => {
  // The reminder's timer and the focus subscription belong to this store, not to the module.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let focusSubscribed = false;
  const schedule = (reminder: CheckInReminder, from: number) => {
    if (timer) clearTimeout(timer);
    timer = null;
    const timeZone = useAppStore.getState().profile?.timeZone ?? 'UTC';
    // Working hours from the focus settings, once the focus service has sent them.
    const focus = useFocusStore.getState().snapshot?.config ?? null;
    const dueAt = nextReminderAt(reminder, timeZone, from, focus);
    store({ ...reminder, dueAt });
    set({ reminderDueAt: dueAt });
    if (dueAt === null) return;
    // Timers cannot wait longer than about 24.8 days; a week fits, but clamp anyway.
    const delay = Math.min(Math.max(0, dueAt - Date.now()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (Date.now() >= dueAt) showReminder();
      schedule(get().reminder, Math.max(Date.now(), dueAt));
    }, delay);
  };

  return {
    mode: 'list',
    filters: { owner: 'all', period: 'all', status: 'all' },
    reminder: DEFAULT_REMINDER,
    reminderDueAt: null,
    reminderProblem: null,
    setMode(mode) {
      set({ mode });
    },
    setFilters(patch) {
      set((state) => ({ filters: { ...state.filters, ...patch } }));
    },
    loadReminder() {
      const { value, problem } = readStored();
      const { dueAt, ...reminder } = value;
      set({ reminder, reminderProblem: problem });
      const now = Date.now();
      if (reminder.enabled && dueAt !== null && dueAt <= now && now - dueAt < CATCH_UP_MS)
        showReminder();
      schedule(reminder, now);
      if (!focusSubscribed) {
        focusSubscribed = true;
        // Working hours may arrive or change later, or move to a new time zone (they follow the
        // profile's a moment after it changes); the next reminder follows them.
        const hoursOf = (config: { workingHours: unknown; timeZone: string } | undefined) =>
          JSON.stringify([config?.workingHours ?? null, config?.timeZone ?? null]);
        let hours = hoursOf(useFocusStore.getState().snapshot?.config);
        useFocusStore.subscribe((state) => {
          const next = hoursOf(state.snapshot?.config);
          if (next === hours) return;
          hours = next;
          schedule(get().reminder, Date.now());
        });
      }
    },
    async saveReminder(input) {
      const parsed = CheckInReminder.safeParse(input);
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fields[issue.path.map(String).join('.') || 'form'] ??= issue.message;
        return {
          ok: false,
          error: { code: 'invalid-input', message: Object.values(fields).join(' '), fields },
        };
      }
      let problem: string | null = null;
      if (parsed.data.enabled && typeof Notification !== 'undefined') {
        const permission =
          Notification.permission === 'default'
            ? await Notification.requestPermission()
            : Notification.permission;
        if (permission !== 'granted')
          problem =
            'Notifications are blocked for Outpost, so the reminder cannot show. Allow them in your system settings.';
      }
      set({ reminder: parsed.data, reminderProblem: problem });
      schedule(parsed.data, Date.now());
      return { ok: true, value: parsed.data };
    },
  };
});
