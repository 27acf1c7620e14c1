import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';
import { syncIndicator, type SyncIndicator as Indicator } from '../../store/syncSlice';
import { describeIndicator } from './indicatorWords';
import './sync.css';

export { describeIndicator };

/** The open workspace's sync state; re-renders only when a field of it changes. */
export function useSyncIndicator(): Indicator {
  return useAppStore(useShallow(syncIndicator));
}

/** The always-visible sync state in the sidebar; opens the Sync page. */
export function SyncIndicator() {
  const indicator = useSyncIndicator();
  const setSection = useAppStore((state) => state.setSection);
  const { label, detail, tone } = describeIndicator(indicator);
  return (
    <button
      type="button"
      className={`sync-indicator tone-${tone}`}
      title={detail}
      aria-label={`Sync: ${label}. Open sync`}
      onClick={() => setSection('sync')}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span>{label}</span>
    </button>
  );
}
