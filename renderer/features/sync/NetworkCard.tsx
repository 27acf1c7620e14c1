import { useState } from 'react';
import { useAppStore } from '../../store';
import { useSavedField } from '../../components/useSavedField';
import { fail, ok } from '../../../shared/result';
import { IceServerSetting, SignalingUrl } from '../../../shared/ipc/syncContract';
import { FieldError } from '../../components/Field';

/** Where sync looks for peers: this device's LAN server, LAN servers found, and added servers. */
export function NetworkCard() {
  const network = useAppStore((state) => state.syncNetwork);
  const settings = useAppStore((state) => state.syncSettings);
  const team = useAppStore((state) => state.teamSync);
  const update = useAppStore((state) => state.updateSyncSettings);
  const [error, setError] = useState<string | null>(null);
  // Saved as typed once it is a port (each save restarts the LAN server, so a number that is not
  // one is never sent); until then the field keeps it with the reason beside it.
  const port = useSavedField(String(settings?.lanServer.port ?? ''), (draft) => {
    const value = Number(draft);
    if (!settings || !/^\d+$/.test(draft) || value > 65_535)
      return fail(
        'invalid-port',
        'A port is a whole number from 0 to 65535 (0 lets the system choose).',
      );
    void update({ lanServer: { ...settings.lanServer, port: value } }).then((result) =>
      setError(result.ok ? null : result.error.message),
    );
    return ok(String(value));
  });
  const [signalingDraft, setSignalingDraft] = useState('');
  const [ice, setIce] = useState({ urls: '', username: '', credential: '' });
  if (!settings || !network) return null;
  const socketState = new Map(team?.signaling.map((socket) => [socket.url, socket.state]) ?? []);

  const save = async (patch: Parameters<typeof update>[0]): Promise<boolean> => {
    const result = await update(patch);
    setError(result.ok ? null : result.error.message);
    return result.ok;
  };
  const addSignaling = () => {
    const parsed = SignalingUrl.safeParse(signalingDraft);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Invalid address.');
      return;
    }
    if (settings.signalingServers.includes(parsed.data)) {
      setError('This server is already in the list.');
      return;
    }
    void save({ signalingServers: [...settings.signalingServers, parsed.data] }).then(
      (saved) => saved && setSignalingDraft(''),
    );
  };
  const addIce = () => {
    const parsed = IceServerSetting.safeParse({
      urls: ice.urls,
      ...(ice.username ? { username: ice.username } : {}),
      ...(ice.credential ? { credential: ice.credential } : {}),
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Invalid server.');
      return;
    }
    void save({ iceServers: [...settings.iceServers, parsed.data] }).then(
      (saved) => saved && setIce({ urls: '', username: '', credential: '' }),
    );
  };
  const local = network.localServer;

  return (
    <section className="card" aria-labelledby="network-heading">
      <h2 id="network-heading">Network</h2>
      <p className="muted-note">
        Without internet signaling servers, Outpost reaches only teammates on the same local network
        (found automatically). To sync across the internet, add a signaling server you trust — and
        usually a STUN or TURN server. Outpost contacts no public server by itself.
      </p>
      <FieldError message={error} />

      <h3>This device’s LAN server</h3>
      <div className="inline-form">
        <label className="toggle-row">
          <input
            type="checkbox"
            checked={settings.lanServer.enabled}
            onChange={(event) =>
              void save({ lanServer: { ...settings.lanServer, enabled: event.target.checked } })
            }
          />
          Host a signaling server for teammates on this network
        </label>
        <div className="field" style={{ marginBottom: 0, maxWidth: 140 }}>
          <label htmlFor="lan-port">Port</label>
          <input
            id="lan-port"
            className="input"
            inputMode="numeric"
            aria-invalid={port.error ? true : undefined}
            {...port.props}
          />
        </div>
      </div>
      <FieldError message={port.error} />
      <p className="muted-note" role="status">
        {local.state === 'running'
          ? `Running on port ${local.port}; announced on the local network.${local.error ? ` ${local.error}` : ''}`
          : local.state === 'failed'
            ? local.error
            : local.state === 'starting'
              ? 'Starting…'
              : 'Off: this device uses the servers of others but hosts none.'}
      </p>

      <h3>Found on this network</h3>
      <label className="toggle-row">
        <input
          type="checkbox"
          checked={settings.lanDiscovery}
          onChange={(event) => void save({ lanDiscovery: event.target.checked })}
        />
        Find teammates’ devices on this network (mDNS)
      </label>
      {network.lanServers.length === 0 ? (
        <p className="muted-note" role="status">
          {network.discovery === 'running'
            ? 'No other Outpost device found yet.'
            : !settings.lanDiscovery
              ? 'Off: this device announces nothing and looks for no one; teammates reach it only through servers added by hand.'
              : 'Discovery on the local network is not running.'}
        </p>
      ) : (
        <ul className="server-list" aria-label="LAN servers">
          {network.lanServers.map((server) => (
            <li key={server.url}>
              <code>{server.url}</code>
              <span className="record-meta">{socketState.get(server.url) ?? 'not in use'}</span>
            </li>
          ))}
        </ul>
      )}

      <h3>Internet signaling servers</h3>
      {settings.signalingServers.length === 0 ? (
        <p className="muted-note">None added.</p>
      ) : (
        <ul className="server-list" aria-label="Internet signaling servers">
          {settings.signalingServers.map((url) => (
            <li key={url}>
              <code>{url}</code>
              <span className="record-meta">{socketState.get(url) ?? 'not in use'}</span>
              <button
                type="button"
                className="button danger"
                aria-label={`Remove ${url}`}
                onClick={() =>
                  void save({
                    signalingServers: settings.signalingServers.filter((item) => item !== url),
                  })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          addSignaling();
        }}
      >
        <input
          className="input"
          aria-label="Signaling server address"
          placeholder="wss://signal.example.org"
          value={signalingDraft}
          onChange={(event) => setSignalingDraft(event.target.value)}
        />
        <button type="submit" className="button">
          Add server
        </button>
      </form>

      <h3>STUN and TURN servers</h3>
      {settings.iceServers.length === 0 ? (
        <p className="muted-note">None added: connections use local network addresses only.</p>
      ) : (
        <ul className="server-list" aria-label="STUN and TURN servers">
          {settings.iceServers.map((server, index) => (
            <li key={`${server.urls}-${index}`}>
              <code>{server.urls}</code>
              <span className="record-meta">
                {server.username ? `user ${server.username}, password saved` : 'no credentials'}
              </span>
              <button
                type="button"
                className="button danger"
                aria-label={`Remove ${server.urls}`}
                onClick={() =>
                  void save({ iceServers: settings.iceServers.filter((_, i) => i !== index) })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          addIce();
        }}
      >
        <input
          className="input"
          aria-label="STUN or TURN address"
          placeholder="turn:turn.example.org:3478"
          value={ice.urls}
          onChange={(event) => setIce({ ...ice, urls: event.target.value })}
        />
        <input
          className="input"
          aria-label="TURN username"
          placeholder="username (TURN)"
          value={ice.username}
          onChange={(event) => setIce({ ...ice, username: event.target.value })}
        />
        <input
          className="input"
          type="password"
          aria-label="TURN password"
          placeholder="password (TURN)"
          value={ice.credential}
          onChange={(event) => setIce({ ...ice, credential: event.target.value })}
        />
        <button type="submit" className="button">
          Add server
        </button>
      </form>
    </section>
  );
}
