/**
 * The timer on every screen: phase and time left in the sidebar (a click opens Focus) and in the
 * window title, so a person in Notes knows their break is in four minutes without switching.
 */
import { useEffect } from 'react';
import { useAppStore } from '../../store';
import { useFocusStore } from './focusStore';
import { breakDueOf, timerSummary } from './timerText';
import { useServiceNow } from './useServiceNow';

const APP_TITLE = 'Outpost';

export function SidebarTimer() {
  const snapshot = useFocusStore((state) => state.snapshot);
  const setSection = useAppStore((state) => state.setSection);
  const now = useServiceNow();
  const summary = snapshot ? timerSummary(snapshot.state, now) : null;
  const title = summary?.left ? `${summary.left} ${summary.phase} — ${APP_TITLE}` : APP_TITLE;

  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(
    () => () => {
      document.title = APP_TITLE;
    },
    [],
  );

  if (!snapshot || !summary) return null;
  const phase = snapshot.state.phase;
  // Under the workspace's name, "Ready" read as the workspace's state; the Focus page's own
  // "Ready" sits on its timer.
  const label =
    phase === 'idle' && summary.left === null && !breakDueOf(snapshot.state)
      ? 'Not focusing'
      : summary.phase;
  return (
    <button
      type="button"
      className={`sidebar-timer nav-item phase-${phase}`}
      data-testid="sidebar-timer"
      title="Open Focus"
      onClick={() => setSection('focus')}
    >
      <span className="sidebar-timer-phase">{label}</span>
      {summary.left && <span className="sidebar-timer-left">{summary.left}</span>}
    </button>
  );
}
