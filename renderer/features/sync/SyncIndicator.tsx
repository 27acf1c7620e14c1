import { useAppStore } from '../../store';
import { syncIndicator, type SyncIndicator as Indicator } from '../../store/syncSlice';
import './sync.css';

/** Words and tone of the sync state, shared by the sidebar indicator and the Sync page. */
export function describeIndicator(indicator: Indicator): {
  label: string;
  detail: string;
  tone: 'off' | 'lan' | 'ok' | 'idle';
} {
  switch (indicator.kind) {
    case 'local':
      return {
        label: 'Not shared',
        detail: 'This workspace stays on this device. Team workspaces sync with teammates.',
        tone: 'idle',
      };
    case 'starting':
      return { label: 'Starting sync…', detail: 'Opening the connection to peers.', tone: 'idle' };
    case 'paused':
      return {
        label: 'Offline (paused)',
        detail: 'You chose to work offline. Changes are kept and sent when you go online.',
        tone: 'off',
      };
    case 'offline':
      return {
        label: 'Offline',
        detail: 'No signaling server is reachable. Changes are kept and sent when a peer is found.',
        tone: 'off',
      };
    case 'lan-only':
      return {
        label: 'LAN only',
        detail: 'Looking for teammates on this local network. No internet servers are in use.',
        tone: 'lan',
      };
    case 'online':
      return {
        label: 'Online, no peers',
        detail: 'Connected to signaling; no teammate is online right now.',
        tone: 'lan',
      };
    case 'peers':
      return {
        label: `Connected to ${indicator.count} ${indicator.count === 1 ? 'peer' : 'peers'}`,
        detail: 'Changes are exchanged with your teammates as you make them.',
        tone: 'ok',
      };
  }
}

/** The always-visible sync state in the sidebar; opens the Sync page. */
export function SyncIndicator() {
  const indicator = useAppStore(syncIndicatorShallow);
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

let lastIndicator: Indicator = { kind: 'local' };
/** Keeps the same object while the state is unchanged, so the sidebar does not re-render. */
function syncIndicatorShallow(state: Parameters<typeof syncIndicator>[0]): Indicator {
  const next = syncIndicator(state);
  if (
    next.kind === lastIndicator.kind &&
    (next.kind !== 'peers' ||
      (lastIndicator.kind === 'peers' && lastIndicator.count === next.count))
  )
    return lastIndicator;
  lastIndicator = next;
  return next;
}
