import { useState } from 'react';
import { useAppStore } from '../../store';
import { useSavedField } from '../../components/useSavedField';
import { Field, FieldError } from '../../components/Field';
import { ok, type Result } from '../../../shared/result';
import { isTurnUsable, turnMissing, type TurnSettings } from '../../../shared/protocol/teamNetwork';
import { checkTurnPatch, parseTurnUrls, type TurnPatch } from '../../sync/teamTurn';
import type { WorkspaceEntry } from '../../sync/localState';

/**
 * Network / TURN: the open team's TURN server on this device (addresses, username, password,
 * relay-only), each field saved as typed. Keyed by the workspace by its caller, so a field never
 * saves into another team.
 */
export function TurnCard({ entry }: { readonly entry: WorkspaceEntry }) {
  const updateTeamTurn = useAppStore((state) => state.updateTeamTurn);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);
  const turn = entry.turn;
  // The box answers the click at once; the saved value (written asynchronously, sealed at rest)
  // takes over when it arrives, and a refused write puts the box back.
  const [relayOnlyShown, setRelayOnlyShown] = useState<boolean | null>(null);
  const relayOnly = relayOnlyShown ?? turn?.relayOnly ?? false;

  const written = (patch: TurnPatch): Promise<void> =>
    updateTeamTurn(entry.id, patch).then((result) =>
      setError(result.ok ? null : result.error.message),
    );
  const write = (patch: TurnPatch) => {
    void written(patch);
  };
  /** A text field's save: checked at once (so a refusal shows beside it), then written. */
  const saveText =
    (key: 'username' | 'credential') =>
    (draft: string): Result<string> => {
      const checked = checkTurnPatch({ [key]: draft });
      if (!checked.ok) return checked;
      write(checked.value);
      return ok(draft);
    };
  const urls = useSavedField(turn?.urls.join(' ') ?? '', (draft) => {
    const parsed = parseTurnUrls(draft);
    if (!parsed.ok) return parsed;
    write({ urls: parsed.value });
    return ok(parsed.value.join(' '));
  });
  const username = useSavedField(turn?.username ?? '', saveText('username'));
  const credential = useSavedField(turn?.credential ?? '', saveText('credential'));

  return (
    <section className="card" aria-labelledby="turn-heading">
      <h2 id="turn-heading">Network / TURN</h2>
      <p className="muted-note">
        When teammates cannot reach each other directly (different networks, strict routers, mobile
        hotspots), their connection can pass through a TURN server your team runs, such as coturn.
        It carries only encrypted traffic. These settings are for this team only and travel with its
        invite code.
      </p>
      <Field
        id="turn-urls"
        label="TURN server addresses"
        hint="Up to 3, separated by spaces, e.g. turns:turn.example.org:5349 turn:turn.example.org:3478"
        error={urls.error}
      >
        <input
          className="input"
          placeholder="turns:turn.example.org:5349"
          spellCheck={false}
          autoComplete="off"
          {...urls.props}
        />
      </Field>
      <div className="inline-form turn-credentials">
        <Field id="turn-username" label="Username" error={username.error}>
          <input className="input" autoComplete="off" spellCheck={false} {...username.props} />
        </Field>
        <Field id="turn-credential" label="Password" error={credential.error}>
          <input
            className="input"
            type={reveal ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            {...credential.props}
          />
        </Field>
        <button
          type="button"
          className="button"
          aria-pressed={reveal}
          aria-controls="turn-credential"
          onClick={() => setReveal(!reveal)}
        >
          {reveal ? 'Hide password' : 'Show password'}
        </button>
      </div>
      <label className="toggle-row turn-relay-only">
        <input
          type="checkbox"
          checked={relayOnly}
          onChange={(event) => {
            const checked = event.target.checked;
            setRelayOnlyShown(checked);
            void written({ relayOnly: checked }).finally(() => setRelayOnlyShown(null));
          }}
        />
        Connect to this team only through the TURN server (teammates never learn this device’s
        network addresses; every byte goes through the server)
      </label>
      <FieldError message={error} />
      <div className="inline-form">
        <p className="muted-note turn-status" role="status" aria-label="TURN status">
          {turnStatus(turn)}
        </p>
        {turn && (
          <button
            type="button"
            className="button danger"
            onClick={() => write({ urls: [], username: '', credential: '', relayOnly: false })}
          >
            Remove TURN settings
          </button>
        )}
      </div>
    </section>
  );
}

function turnStatus(turn: TurnSettings | null): string {
  if (!turn)
    return 'No TURN server: teammates connect directly, or not at all where their networks do not allow it.';
  if (isTurnUsable(turn))
    return turn.relayOnly
      ? 'In use: this team’s connections go only through the TURN server.'
      : 'In use: this team’s connections go through the TURN server when a direct route fails.';
  return turnMissing(turn) ?? 'Not in use yet: add an address, a username and a password.';
}
