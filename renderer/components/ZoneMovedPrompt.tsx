/**
 * "I moved": when this computer's time zone is no longer the person's profile zone (they flew to
 * Lisbon and the OS followed), offer to follow it. One tap moves working hours, reminders, the
 * timer and every time shown; either answer is remembered on this device, so the prompt comes
 * back only when the computer's zone changes again.
 */
import { useEffect, useState } from 'react';
import { deviceTimeZone } from '../../shared/time/zonedTime';
import { describeTimeZone, offerMove } from '../../shared/time/zoneSearch';
import { useAppStore } from '../store';

const SEEN_KEY = 'outpost:system-zone';

function readSeen(): string | null {
  try {
    return localStorage.getItem(SEEN_KEY);
  } catch {
    return null;
  }
}

function writeSeen(zone: string): void {
  try {
    localStorage.setItem(SEEN_KEY, zone);
  } catch {
    // Private mode: the answer holds until the page reloads.
  }
}

/** The computer's zone, looked at again whenever the window comes back into view. */
function useDeviceTimeZone(): string {
  const [zone, setZone] = useState(deviceTimeZone);
  useEffect(() => {
    const look = () => setZone(deviceTimeZone());
    window.addEventListener('focus', look);
    document.addEventListener('visibilitychange', look);
    const id = setInterval(look, 60_000);
    return () => {
      window.removeEventListener('focus', look);
      document.removeEventListener('visibilitychange', look);
      clearInterval(id);
    };
  }, []);
  return zone;
}

export function ZoneMovedPrompt() {
  const profileZone = useAppStore((state) => state.profile?.timeZone);
  const updateProfile = useAppStore((state) => state.updateProfile);
  const notify = useAppStore((state) => state.notify);
  const detected = useDeviceTimeZone();
  const [seen, setSeen] = useState(readSeen);
  const offered = profileZone !== undefined && offerMove(detected, seen, profileZone);
  // Nothing to ask: this zone counts as seen, so only a later change is offered.
  if (profileZone !== undefined && !offered && seen !== detected) setSeen(detected);
  useEffect(() => {
    if (seen !== null) writeSeen(seen);
  }, [seen]);
  if (!profileZone || !offered) return null;
  const answer = () => setSeen(detected);
  return (
    <div className="zone-moved" role="status" data-testid="zone-moved">
      <span>
        This computer is now set to <strong>{describeTimeZone(detected)}</strong>; Outpost still
        uses {describeTimeZone(profileZone)}.
      </span>
      <button
        type="button"
        className="button primary"
        onClick={() => {
          const result = updateProfile({ timeZone: detected });
          if (!result.ok) notify('error', result.error.message);
          else answer();
        }}
      >
        I moved: use {describeTimeZone(detected)}
      </button>
      <button type="button" className="button" onClick={answer}>
        Keep {describeTimeZone(profileZone)}
      </button>
    </div>
  );
}
