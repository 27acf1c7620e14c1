/**
 * A micro-break as a small prompt in the corner: "Look away for 20 seconds", counting down, gone
 * when the seconds are over or the person waves it off. Nothing to postpone: it asks for a glance
 * away, not a stop.
 */
import { useState } from 'react';
import { secondsText } from '../../../shared/time/durations';
import { useFocusStore } from './focusStore';
import { useServiceNow } from './useServiceNow';
import './focusOverlay.css';

export function MicroBreakPrompt() {
  const event = useFocusStore((state) => state.snapshot?.lastEvent ?? null);
  const phase = useFocusStore((state) => state.snapshot?.state.phase);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const now = useServiceNow();
  if (!event || event.type !== 'microBreak' || phase !== 'focus' || dismissed === event.at) {
    return null;
  }
  const endsAt = event.at + event.durationMs;
  if (now >= endsAt || now < event.at) return null;
  return (
    <div className="micro-break" role="status" data-testid="micro-break">
      <strong>Micro-break</strong>
      <span>Look away from the screen for {secondsText(Math.ceil((endsAt - now) / 1000))}.</span>
      <button type="button" className="button" onClick={() => setDismissed(event.at)}>
        Done
      </button>
    </div>
  );
}
