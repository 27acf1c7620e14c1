import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';
import type { PeerView, PresenceEntry } from '../../store/syncSlice';
import { timeAgo } from '../../components/time';
import { formatBytes } from '../../../shared/storage/recovery';
import { peerProgress, unsharedNote } from './peerProgress';
import { relayCounts } from '../../sync/syncIndicator';

// One spelling of sizes across the app (backups show them too).
export { formatBytes };

const STATE_LABEL: Record<PeerView['state'], string> = {
  connecting: 'connecting…',
  connected: 'connected, syncing…',
  synced: 'in sync',
};

/** Re-renders every 15 s so "2 min ago" stays true. */
export function useTick(): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 15_000);
    return () => clearInterval(timer);
  }, []);
}

function sectionName(section: string): string {
  return `${section.charAt(0).toUpperCase()}${section.slice(1)}`;
}

function whereIs(entry: PresenceEntry, titles: ReadonlyMap<string, string>): string {
  if (!entry.location) return 'here';
  const { section, recordId } = entry.location;
  if (recordId) {
    const title = titles.get(recordId);
    return title !== undefined ? `in “${title || 'Untitled'}”` : `in ${sectionName(section)}`;
  }
  return `in ${sectionName(section)}`;
}

/** Peers of the open team workspace, what is not yet shared, and who is where. */
export function PeersCard() {
  useTick();
  const team = useAppStore((state) => state.teamSync);
  const presence = useAppStore((state) => state.presence);
  const snapshot = useAppStore((state) => state.snapshot);
  const relays = useAppStore(useShallow((state) => relayCounts(state.relayStatus)));
  const titles = new Map<string, string>();
  for (const list of [snapshot?.notes, snapshot?.goals, snapshot?.decisions])
    for (const item of list?.items ?? []) titles.set(item.id, item.title);
  if (!team) {
    return (
      <section className="card" aria-labelledby="peers-heading">
        <h2 id="peers-heading">Peers</h2>
        <p className="muted-note">Starting sync…</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="peers-heading">
      <h2 id="peers-heading">Peers</h2>
      {team.peers.length === 0 ? (
        <p className="muted-note">
          {team.online
            ? 'No teammate is connected right now. Outpost keeps looking and syncs as soon as one is reachable.'
            : 'You are working offline. Press “Go online” to sync.'}
        </p>
      ) : (
        <ul className="peer-list" aria-label="Connected peers">
          {team.peers.map((peer) => {
            const person = peer.people[0];
            const progress = peerProgress(peer);
            return (
              <li key={peer.id}>
                <span
                  className="avatar"
                  style={{ background: person?.color ?? '#64748b' }}
                  aria-hidden="true"
                >
                  {(person?.name ?? '?').charAt(0).toUpperCase()}
                </span>
                <span className="peer-main">
                  <span>
                    {person?.name ?? 'Unknown peer'}
                    {person?.device ? ` · ${person.device}` : ''}
                  </span>
                  <span className="record-meta">
                    <span className={`peer-state ${peer.state}`}>{STATE_LABEL[peer.state]}</span>
                    {' · '}
                    {peer.lastSyncedAt
                      ? `last synced ${timeAgo(peer.lastSyncedAt)}`
                      : 'not synced yet'}
                    {' · '}
                    {formatBytes(peer.bytesOut)} sent, {formatBytes(peer.bytesIn)} received
                    {peer.queuedBytes > 0
                      ? ` · ${formatBytes(peer.queuedBytes)} still sending`
                      : ''}
                  </span>
                  {progress ? (
                    <span
                      className={`record-meta peer-progress${peer.unreceivable > 0 ? ' blocked' : ''}`}
                    >
                      {progress}
                    </span>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {team.refused.length > 0 ? (
        <>
          <h3>Refused</h3>
          <ul className="peer-list" aria-label="Refused peers">
            {team.refused.map((peer) => (
              <li key={peer.id}>
                <span className="peer-main">
                  <span>
                    Peer {peer.id.slice(0, 8)} · {timeAgo(peer.at)}
                  </span>
                  {/* Wraps: the reason is a sentence, not a state word. */}
                  <span className="record-meta peer-progress peer-state refused">
                    {peer.reason}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted-note" aria-live="polite">
        {unsharedNote(team.unshared, relays)}
      </p>
      <h3>Who is here</h3>
      <ul className="member-list" aria-label="People present">
        {presence.map((entry) => (
          <li key={entry.clientId}>
            <span className="avatar" style={{ background: entry.color }} aria-hidden="true">
              {entry.name.charAt(0).toUpperCase()}
            </span>
            <span>
              {entry.name}
              {entry.self ? ' (you)' : ''}
            </span>
            <span className="record-meta">
              {whereIs(entry, titles)}
              {entry.device ? ` · ${entry.device}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
