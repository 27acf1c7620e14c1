/** Small building blocks of the decision screens. */
import { useEffect, useState } from 'react';
import type { Decision, Member } from '../../../shared/schema/records';
import type { DecisionPatch } from '../../../shared/model';
import { ok, type Result } from '../../../shared/result';
import { formatForPerson } from '../../components/personTime';
import { updateDecision } from './decisionActions';

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

export function optionOf(decision: Decision, id: string): Decision['options'][number] | undefined {
  return decision.options.find((option) => option.id === id);
}

/**
 * Saves of one text field of decision `id`: `change` makes the patch from the draft, `read` finds
 * the field in the decision as stored (gone when another device removed the option meanwhile).
 */
export function textSaver(id: string) {
  return (
      change: (draft: string) => DecisionPatch,
      read: (stored: Decision) => string | undefined,
    ) =>
    (draft: string): Result<string> => {
      const result = updateDecision(id, change(draft));
      if (!result.ok) return result;
      return ok(read(result.value) ?? draft);
    };
}

export function formatWhen(time: number): string {
  return formatForPerson(time, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
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

/**
 * What the closing-date button does with what is typed and what is stored: set a new date, change
 * the stored one, remove it, or nothing yet (no date typed and none stored).
 */
export function closingAction(
  typed: string,
  stored: string,
): { label: string; clears: boolean; disabled: boolean } {
  if (typed === '' && stored === '')
    return { label: 'Set closing date', clears: false, disabled: true };
  if (typed === '' || typed === stored)
    return { label: 'Remove closing date', clears: true, disabled: false };
  return {
    label: stored ? 'Change closing date' : 'Set closing date',
    clears: false,
    disabled: false,
  };
}
