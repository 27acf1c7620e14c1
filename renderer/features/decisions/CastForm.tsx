/** The end of every ballot form: the reason, the cast button, what the person voted, the error. */
import { formatWhen } from './parts';
import { FieldError } from '../../components/Field';

export function CastForm({
  reason,
  setReason,
  placeholder,
  mine,
  onCast,
  error,
}: {
  readonly reason: string;
  readonly setReason: (reason: string) => void;
  readonly placeholder: string;
  /** The person's counted cast, described in words, or null before they vote. */
  readonly mine: { readonly said: string; readonly castAt: number } | null;
  readonly onCast: () => void;
  readonly error: string | null;
}) {
  return (
    <>
      <textarea
        className="textarea compact"
        aria-label="Reason for your vote"
        placeholder={placeholder}
        rows={2}
        value={reason}
        maxLength={2000}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="row">
        <button type="button" className="button primary" onClick={onCast}>
          {mine ? 'Change vote' : 'Cast vote'}
        </button>
        {mine && (
          <span className="muted">
            You voted <strong>{mine.said}</strong> {formatWhen(mine.castAt)}
          </span>
        )}
      </div>
      <FieldError message={error} />
    </>
  );
}
