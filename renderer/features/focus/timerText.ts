/**
 * The timer in words and digits, as the sidebar, the window title, the break screen and the Focus
 * page show it: "12:04", "Focus 12:04", "Short break is due".
 */
import { PHASE_LABELS, remainingMs, type FocusState } from '../../../shared/focus';

/** "mm:ss", or "h:mm:ss" past an hour; seconds rounded up so 0:00 means done. */
export function clockText(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** A break that waits for the person (auto-start off), or null. */
export function breakDueOf(state: FocusState): 'shortBreak' | 'longBreak' | null {
  return state.phase === 'idle' && state.waitingFor !== null && state.waitingFor !== 'focus'
    ? state.waitingFor
    : null;
}

/** The phase's name, "Short break is due" for a break waiting to be started. */
export function phaseText(state: FocusState): string {
  const due = breakDueOf(state);
  return due ? `${PHASE_LABELS[due]} is due` : PHASE_LABELS[state.phase];
}

/** What the sidebar and the window title show: the phase, and the time left when there is one. */
export function timerSummary(
  state: FocusState,
  now: number,
): { phase: string; left: string | null } {
  const left = remainingMs(state, now);
  return { phase: phaseText(state), left: left === null ? null : clockText(left) };
}
