import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useAppStore } from '../../store';
import { selectWorkspaceName } from '../../store/selectors';
import { useSavedField } from '../../components/useSavedField';
import { FieldError } from '../../components/Field';
import { isTurnUsable } from '../../../shared/protocol/teamNetwork';
import { newInviteTerms, type InviteLifetime } from '../../../shared/protocol/inviteTerms';

const LIFETIME_LABELS: Record<InviteLifetime, string> = {
  '1h': 'In 1 hour',
  '1d': 'In 1 day',
  '7d': 'In 7 days',
  never: 'Never',
};

/** Create or join a team workspace (shown for personal and local workspaces). */
export function StartTeamCard() {
  const createTeamWorkspace = useAppStore((state) => state.createTeamWorkspace);
  const joinTeamWorkspace = useAppStore((state) => state.joinTeamWorkspace);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="card" aria-labelledby="team-heading">
      <h2 id="team-heading">Work with your team</h2>
      <p className="muted-note">
        A team workspace is copied to every teammate’s device and merges peer to peer. Anyone with
        its invite code can read and change it.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void createTeamWorkspace(name).then((result) => {
            setBusy(false);
            setCreateError(result.ok ? null : result.error.message);
            if (result.ok) setName('');
          });
        }}
      >
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor="team-name">New team workspace</label>
          <input
            id="team-name"
            className="input"
            placeholder="e.g. Lisbon crew"
            maxLength={80}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          Create team workspace
        </button>
      </form>
      <FieldError message={createError} />
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void joinTeamWorkspace(code).then((result) => {
            setBusy(false);
            setJoinError(result.ok ? null : result.error.message);
            if (result.ok) setCode('');
          });
        }}
      >
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor="invite-input">Join with an invite code</label>
          <textarea
            id="invite-input"
            className="input invite-code"
            placeholder="OUTPOST-…"
            value={code}
            spellCheck={false}
            aria-invalid={joinError ? true : undefined}
            aria-describedby={joinError ? 'invite-error' : undefined}
            onChange={(event) => {
              setCode(event.target.value);
              setJoinError(null);
            }}
          />
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          Join workspace
        </button>
      </form>
      {joinError && (
        <p className="field-error" role="alert" id="invite-error">
          {joinError}
        </p>
      )}
    </section>
  );
}

/** The open team workspace: its invite (copy, QR), its name, working offline, leaving. */
export function TeamWorkspaceCard() {
  const inviteCode = useAppStore((state) => state.inviteCode);
  const name = useAppStore(selectWorkspaceName);
  const activeId = useAppStore((state) => state.activeWorkspaceId);
  const renameWorkspace = useAppStore((state) => state.renameWorkspace);
  const online = useAppStore((state) => state.teamSync?.online ?? true);
  const setSyncOnline = useAppStore((state) => state.setSyncOnline);
  const leaveWorkspace = useAppStore((state) => state.leaveWorkspace);
  const notify = useAppStore((state) => state.notify);
  // The code's terms are made when the person picks an expiry: it runs from that moment.
  const [lifetime, setLifetime] = useState<InviteLifetime>('never');
  const [singleUse, setSingleUse] = useState(false);
  const [terms, setTerms] = useState(() => newInviteTerms('never', false, 0));
  const invite = inviteCode(terms);
  const entry = useAppStore((state) => state.workspaces.find((w) => w.id === activeId));
  const carriesReach = !!entry && (entry.relays.length > 0 || isTurnUsable(entry.turn));
  const code = invite.ok ? invite.value : null;
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // The code is the workspace's key and screens get shared: hidden until asked for, per workspace.
  const [revealedFor, setRevealedFor] = useState<string | null>(null);
  const revealed = activeId !== null && revealedFor === activeId;
  const setRevealed = (show: boolean) => setRevealedFor(show ? activeId : null);
  const rename = useSavedField(name ?? '', renameWorkspace);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    if (!code) return;
    QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 320 })
      .then((url) => !cancelled && setQr(url))
      .catch(() => !cancelled && setQr(null));
    return () => {
      cancelled = true;
    };
  }, [code]);

  const copy = async () => {
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Copying by hand needs the code on screen: show it, then select it once it is rendered.
      setRevealed(true);
      requestAnimationFrame(() => {
        const field = document.getElementById('invite-code') as HTMLTextAreaElement | null;
        field?.select();
      });
      notify('info', 'Press Ctrl+C (⌘C) to copy the selected invite code.');
    }
  };

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite teammates</h2>
      <p className="muted-note">
        Send this code to a teammate privately (or let them scan it). It contains the workspace’s
        secret key: whoever has it can read and change everything in this workspace.
        {carriesReach &&
          ' It also carries the team’s relays and TURN server, so a new teammate reaches the team from anywhere.'}
      </p>
      {code && (
        <div className="invite-box">
          <div>
            {revealed ? (
              <textarea
                id="invite-code"
                className="input invite-code"
                aria-label="Invite code"
                readOnly
                value={code}
                onFocus={(event) => event.currentTarget.select()}
              />
            ) : (
              <p className="input invite-code masked" aria-label="Invite code, hidden">
                {'•'.repeat(32)}
              </p>
            )}
            <div className="field" style={{ maxWidth: 240, marginBottom: 0 }}>
              <label htmlFor="invite-expiry">Code expires</label>
              <select
                id="invite-expiry"
                className="select"
                value={lifetime}
                onChange={(event) => {
                  const next = event.target.value as InviteLifetime;
                  setLifetime(next);
                  setTerms(newInviteTerms(next, singleUse, Date.now()));
                }}
              >
                {(Object.keys(LIFETIME_LABELS) as InviteLifetime[]).map((key) => (
                  <option key={key} value={key}>
                    {LIFETIME_LABELS[key]}
                  </option>
                ))}
              </select>
            </div>
            <label className="toggle-row">
              <input
                type="checkbox"
                checked={singleUse}
                onChange={(event) => {
                  setSingleUse(event.target.checked);
                  setTerms(newInviteTerms(lifetime, event.target.checked, Date.now()));
                }}
              />
              For one person only: the code stops working once someone has joined with it
            </label>
            <p className="muted-note" role="status">
              {terms.expiresAt === null
                ? 'This code works until the workspace key changes.'
                : `This code stops working on ${new Date(terms.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}; after that, make a new one here.`}
            </p>
            <div className="inline-form">
              <button type="button" className="button primary" onClick={() => void copy()}>
                {copied ? 'Copied ✓' : 'Copy invite code'}
              </button>
              <button
                type="button"
                className="button"
                aria-pressed={revealed}
                onClick={() => setRevealed(!revealed)}
              >
                {revealed ? 'Hide' : 'Show'}
              </button>
            </div>
          </div>
          {qr && revealed && (
            <img className="invite-qr" src={qr} alt="QR code of the invite code" />
          )}
        </div>
      )}
      <div className="inline-form">
        <div className="field" style={{ flex: 1, marginBottom: 0 }}>
          <label htmlFor="team-rename">Workspace name (shared with the team)</label>
          <input id="team-rename" className="input" maxLength={80} {...rename.props} />
        </div>
        <button
          type="button"
          className="button"
          aria-pressed={!online}
          onClick={() => setSyncOnline(!online)}
        >
          {online ? 'Work offline' : 'Go online'}
        </button>
        <button type="button" className="button danger" onClick={() => setLeaving(true)}>
          Leave workspace…
        </button>
      </div>
      <FieldError message={rename.error} />
      {leaving && activeId && (
        <div className="card dialog-card" role="alertdialog" aria-labelledby="leave-heading">
          <h3 id="leave-heading">Leave “{name}”?</h3>
          <p className="muted-note">
            You stop syncing with the team. Keep a copy to read it offline, or remove it from this
            device. Teammates keep their copies either way.
          </p>
          <div className="inline-form">
            <button
              type="button"
              className="button"
              onClick={() => void leaveWorkspace(activeId, false)}
            >
              Leave, keep a copy here
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => void leaveWorkspace(activeId, true)}
            >
              Leave and remove its data
            </button>
            <button type="button" className="button" autoFocus onClick={() => setLeaving(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
