/** Small building blocks of the decision screens. */
import { useEffect, useState } from 'react';
import type { Member } from '../../../shared/schema/records';
import { useDraft } from '../../components/useDraft';

/** The current time, refreshed every `everyMs` so countdowns and "closed" states stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function memberName(
  members: readonly Member[],
  id: string,
  selfId: string | undefined,
): string {
  if (id === selfId) return 'You';
  return members.find((member) => member.id === id)?.name ?? 'A former member';
}

interface CommitTextareaProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onCommit: (value: string) => boolean;
  readonly disabled?: boolean;
  readonly placeholder?: string;
  readonly rows?: number;
  readonly hint?: string;
}

/** A text area whose edits are saved when it loses focus (or on Ctrl+Enter); Escape reverts. */
export function CommitTextarea(props: CommitTextareaProps) {
  const { id, label, value, onCommit, disabled, placeholder, rows = 3, hint } = props;
  const [draft, setDraft] = useDraft(value);
  const commit = () => {
    if (draft !== value && !onCommit(draft)) setDraft(value);
  };
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="textarea compact"
        rows={rows}
        value={draft}
        placeholder={placeholder}
        readOnly={disabled}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) commit();
          if (event.key === 'Escape') setDraft(value);
        }}
      />
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatWhen(time: number): string {
  return dateTime.format(time);
}

/** "in 3 days", "in 5 h", "in 20 min" */
export function until(time: number, now: number): string {
  const minutes = Math.round((time - now) / 60_000);
  if (minutes < 60) return `in ${Math.max(1, minutes)} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

/** `YYYY-MM-DDTHH:mm` in local time, for datetime-local inputs. */
export function toLocalInput(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
