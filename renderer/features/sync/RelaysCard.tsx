import { useState } from 'react';
import { useAppStore } from '../../store';
import { timeAgo } from '../../components/time';
import { FieldError } from '../../components/Field';
import type { RelayStatus } from '../../sync/relay/types';
import { useTick } from './PeersCard';

const STATE_LABEL: Record<RelayStatus['state'], string> = {
  connecting: 'connecting…',
  online: 'reachable',
  offline: 'not reachable',
  refused: 'refused this workspace',
};

function describe(status: RelayStatus): string {
  const parts = [
    status.lastUpload ? `last upload ${timeAgo(status.lastUpload)}` : 'nothing uploaded yet',
    status.lastDownload
      ? `last download ${timeAgo(status.lastDownload)}`
      : 'nothing downloaded yet',
    status.waiting > 0
      ? `${status.waiting} ${status.waiting === 1 ? 'change' : 'changes'} waiting`
      : status.holdsAll
        ? 'nothing waiting'
        : // Made while this relay was away, before this session: sent once it answers.
          'earlier changes waiting',
  ];
  if (status.unreadable > 0) parts.push(`${status.unreadable} unreadable, skipped`);
  return parts.join(' · ');
}

/**
 * The open team workspace's relays: add or remove an address, and each relay's status (reachable,
 * last upload and download, what is waiting for it).
 */
export function RelaysCard() {
  useTick();
  const relays = useAppStore(
    (state) => state.workspaces.find((w) => w.id === state.activeWorkspaceId)?.relays,
  );
  const statuses = useAppStore((state) => state.relayStatus);
  const addRelay = useAppStore((state) => state.addRelay);
  const removeRelay = useAppStore((state) => state.removeRelay);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!relays) return null;
  const byUrl = new Map(statuses.map((status) => [status.url, status]));

  const add = async () => {
    const result = await addRelay(draft);
    setError(result.ok ? null : result.error.message);
    if (result.ok) setDraft('');
  };

  return (
    <section className="card" aria-labelledby="relays-heading">
      <h2 id="relays-heading">Relays</h2>
      <p className="muted-note">
        A relay keeps this workspace’s changes for teammates who come online later, so you need not
        be online at the same time. It stores them encrypted with this team’s key and cannot read
        them. Anyone can run one (<code>npm run relay</code>); with several, each change goes to all
        of them and any one is enough to catch up.
      </p>
      {relays.length === 0 ? (
        <p className="muted-note">
          No relay added: changes travel only while a teammate is online.
        </p>
      ) : (
        <ul className="server-list" aria-label="Relays">
          {relays.map((url) => {
            const status = byUrl.get(url);
            return (
              <li key={url}>
                <span className="peer-main">
                  <code>{url}</code>
                  <span className="record-meta">
                    <span className={`peer-state ${status?.reachable ? 'synced' : ''}`}>
                      {status ? STATE_LABEL[status.state] : 'not in use'}
                    </span>
                    {status ? ` · ${describe(status)}` : ''}
                  </span>
                  {status?.error && !status.reachable ? (
                    <span className="record-meta peer-progress blocked">{status.error}</span>
                  ) : null}
                </span>
                <button
                  type="button"
                  className="button danger"
                  aria-label={`Remove relay ${url}`}
                  onClick={() =>
                    void removeRelay(url).then((result) =>
                      setError(result.ok ? null : result.error.message),
                    )
                  }
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <input
          className="input"
          aria-label="Relay address"
          placeholder="wss://relay.example.org"
          value={draft}
          aria-invalid={error ? true : undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button">
          Add relay
        </button>
      </form>
      <FieldError message={error} />
    </section>
  );
}
