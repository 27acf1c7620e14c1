import { useEffect, useState } from 'react';
import { useAppStore } from '../../store';
import { WORKSPACE_DB_PREFIX } from '../../sync/localState';
import { describeIndicator, useSyncIndicator } from './SyncIndicator';
import { StartTeamCard, TeamWorkspaceCard } from './TeamCard';
import { PeersCard, formatBytes } from './PeersCard';
import { NetworkCard } from './NetworkCard';
import { TurnCard } from './TurnCard';
import { RelaysCard } from './RelaysCard';
import { MembersCard } from './MembersCard';
import './sync.css';

/** Sync: team workspaces (create, join, invite, leave), peers and presence, network settings. */
export function SyncView() {
  const workspaces = useAppStore((state) => state.workspaces);
  const activeId = useAppStore((state) => state.activeWorkspaceId);
  const indicator = useSyncIndicator();
  const active = workspaces.find((workspace) => workspace.id === activeId);
  const isTeam = active?.kind === 'team';
  const { label, detail, tone } = describeIndicator(indicator);

  return (
    <div className="page">
      <h1>Sync</h1>
      <div className="sync-status" role="status" aria-label="Sync status">
        <span className={`sync-indicator tone-${tone}`}>
          <span className="sync-dot" aria-hidden="true" />
          {label}
        </span>
        <span className="muted-note" style={{ margin: 0 }}>
          {detail}
        </span>
      </div>
      {isTeam ? (
        <>
          <PeersCard />
          <RelaysCard />
          <TeamWorkspaceCard />
          {active && <TurnCard key={active.id} entry={active} />}
        </>
      ) : (
        <StartTeamCard />
      )}
      {isTeam && <StartTeamCard />}
      <NetworkCard />
      <DeviceCard />
    </div>
  );
}

/** Where this workspace lives on this device and who is in it, with their device keys. */
function DeviceCard() {
  const workspaces = useAppStore((state) => state.workspaces);
  const activeId = useAppStore((state) => state.activeWorkspaceId);
  const snapshot = useAppStore((state) => state.snapshot);
  const [usage, setUsage] = useState<{ usage: number; quota: number } | null>(null);
  const active = workspaces.find((workspace) => workspace.id === activeId);

  useEffect(() => {
    let cancelled = false;
    void navigator.storage?.estimate?.().then((estimate) => {
      if (!cancelled) setUsage({ usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 });
    });
    return () => {
      cancelled = true;
    };
  }, [snapshot]);

  return (
    <>
      <section className="card" aria-labelledby="storage-heading">
        <h2 id="storage-heading">On this device</h2>
        <dl className="kv">
          <dt>Workspace</dt>
          <dd>{active?.name}</dd>
          <dt>Kind</dt>
          <dd>
            {active?.kind === 'personal'
              ? 'Personal (created on first run)'
              : active?.kind === 'team'
                ? 'Team workspace (synced peer to peer)'
                : 'Local workspace (not synced)'}
          </dd>
          <dt>Stored in</dt>
          <dd>
            IndexedDB database <code>{WORKSPACE_DB_PREFIX + (activeId ?? '')}</code>
          </dd>
          <dt>Data format</dt>
          <dd>version {snapshot?.schemaVersion ?? '…'}</dd>
          <dt>Records</dt>
          <dd>
            {snapshot
              ? `${snapshot.notes.items.length + snapshot.notes.unread} notes, ${snapshot.goals.items.length} goals, ${snapshot.decisions.items.length} decisions`
              : '…'}
          </dd>
          <dt>Storage used by Outpost</dt>
          <dd>
            {usage ? `${formatBytes(usage.usage)} of ${formatBytes(usage.quota)} available` : '…'}
          </dd>
        </dl>
      </section>
      <MembersCard />
    </>
  );
}
