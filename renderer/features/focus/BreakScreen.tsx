/**
 * Breaks that happen (Stretchly's anchor): during a break the app window is covered by a calm
 * screen with the time left and an idea for the break, so the break is not one more notification
 * to swipe away. Postpone and Skip are offered within the configured limits; with strict breaks
 * they are not offered at all (the engine refuses them too). The screen goes away by itself when
 * the break ends. Turned off in the timer settings ("Cover the window during breaks").
 *
 * Micro-breaks are smaller: a prompt in the corner for their few seconds (MicroBreakPrompt).
 */
import { useEffect, useRef } from 'react';
import { breakIdea, PHASE_LABELS, remainingMs } from '../../../shared/focus';
import { minutesText } from '../../../shared/time/durations';
import type { FocusAction } from '../../../shared/ipc/focusContract';
import { useAppStore } from '../../store';
import { useFocusStore } from './focusStore';
import { breakDueOf, clockText } from './timerText';
import { useServiceNow } from './useServiceNow';
import './focusOverlay.css';

export function BreakScreen() {
  const snapshot = useFocusStore((state) => state.snapshot);
  const act = useFocusStore((state) => state.act);
  const notify = useAppStore((state) => state.notify);
  const now = useServiceNow();
  const dialog = useRef<HTMLDivElement>(null);
  const state = snapshot?.state;
  const onBreak = state?.phase === 'shortBreak' || state?.phase === 'longBreak';
  const due = state ? breakDueOf(state) : null;
  const shown = Boolean(snapshot?.preferences.breakScreen && (onBreak || due));

  // Keyboard focus moves into the screen, so typing does not go on in the editor underneath.
  useEffect(() => {
    if (shown) dialog.current?.focus();
  }, [shown]);

  if (!snapshot || !state || !shown) return null;
  const { config } = snapshot;
  const kind = onBreak ? state.phase : (due ?? 'shortBreak');
  const startedAt =
    state.phase === 'shortBreak' || state.phase === 'longBreak' ? state.startedAt : 0;
  const left = remainingMs(state, now);
  const postponesLeft = Math.max(0, config.maxPostpones - state.postponesUsed);
  const run = async (action: FocusAction) => {
    const result = await act(action);
    if (!result.ok) notify('error', result.error.message);
  };

  return (
    <div className="break-screen" data-testid="break-screen">
      <div
        className="break-screen-card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="break-screen-title"
        tabIndex={-1}
        ref={dialog}
      >
        <h2 id="break-screen-title">
          {due ? `Your ${PHASE_LABELS[kind].toLowerCase()} is due` : `${PHASE_LABELS[kind]}`}
        </h2>
        {onBreak && left !== null && (
          <div className="break-screen-clock" role="timer" aria-label="Break time remaining">
            {clockText(left)}
          </div>
        )}
        <p className="break-screen-idea">{breakIdea(kind, startedAt || state.updatedAt)}</p>
        <div className="break-screen-actions">
          {due && (
            <button
              type="button"
              className="button primary"
              onClick={() => void run({ type: 'start' })}
            >
              Start break
            </button>
          )}
          {!config.strictBreaks && postponesLeft > 0 && (
            <button type="button" className="button" onClick={() => void run({ type: 'postpone' })}>
              Postpone {minutesText(config.postponeMinutes)}
            </button>
          )}
          {!config.strictBreaks && (
            <button type="button" className="button" onClick={() => void run({ type: 'skip' })}>
              Skip break
            </button>
          )}
        </div>
        <p className="record-meta break-screen-rule">
          {config.strictBreaks
            ? 'Strict breaks are on: this break cannot be postponed or skipped.'
            : postponesLeft === 0
              ? 'No postpones left for this break.'
              : `${postponesLeft === 1 ? '1 postpone' : `${postponesLeft} postpones`} left for this break.`}
        </p>
      </div>
    </div>
  );
}
