/** Small building blocks of the decision screens. */
import { useEffect, useState } from 'react';
import type { Member } from '../../../shared/schema/records';
import { useSavedField } from '../../components/useSavedField';
import type { Result } from '../../../shared/result';

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

interface SavedTextareaProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Writes the draft; returns the value as stored, or why it was refused. */
  readonly save: (draft: string) => Result<string>;
  readonly disabled?: boolean;
  readonly placeholder?: string;
  readonly rows?: number;
  readonly hint?: string;
}

/**
 * A text area saved as the person types (components/draftField.ts); Escape puts back what it held
 * when they entered it. A refused save keeps the text, with the reason beside it.
 */
export function SavedTextarea(props: SavedTextareaProps) {
  const { id, label, value, save, disabled, placeholder, rows = 3, hint } = props;
  const field = useSavedField(value, save, { multiline: true });
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="textarea compact"
        rows={rows}
        placeholder={placeholder}
        readOnly={disabled}
        {...field.props}
      />
      {hint && <span className="hint">{hint}</span>}
      {field.error && (
        <p className="field-error" role="alert">
          {field.error}
        </p>
      )}
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
