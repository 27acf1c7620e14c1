/**
 * When to remind the local person about decisions: a day before voting closes (if they have not
 * voted), and on the review date of a decided decision. Pure: the caller passes the clock and the
 * keys of reminders already shown, and schedules the next one itself.
 */
import type { Decision } from '../schema/records';
import { involves, needsVote } from './decisionsVotes';
import type { Trust } from './signatures';

export const CLOSING_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;
/** Review reminders fire at this local hour on the review date. */
export const REVIEW_REMINDER_HOUR = 9;

export interface DecisionReminder {
  /** Stable key: shown once per decision and date, on this device. */
  readonly key: string;
  readonly decisionId: string;
  readonly kind: 'closing' | 'review';
  /** When it becomes due. */
  readonly at: number;
  readonly title: string;
  readonly body: string;
}

function hoursLeft(closesAt: number, now: number): string {
  const hours = Math.max(1, Math.round((closesAt - now) / 3_600_000));
  return hours >= 24 ? 'closes in 24 h' : `closes in ${hours} h`;
}

/** The local time of `YYYY-MM-DD` at REVIEW_REMINDER_HOUR. */
export function reviewTime(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day, REVIEW_REMINDER_HOUR).getTime();
}

type ReminderDecision = Pick<
  Decision,
  | 'id'
  | 'title'
  | 'status'
  | 'closesAt'
  | 'reviewOn'
  | 'deletedAt'
  | 'archived'
  | 'people'
  | 'votes'
  | 'ballots'
  | 'pollType'
>;

/** Every reminder that applies to the person now or later, due or not. */
export function decisionReminders(
  items: readonly ReminderDecision[],
  memberId: string,
  now: number,
  /** When given, only verified casts count as having voted (see needsVote). */
  trust?: Trust,
): DecisionReminder[] {
  const reminders: DecisionReminder[] = [];
  for (const decision of items) {
    if (decision.deletedAt !== null || decision.archived) continue;
    const title = decision.title || 'Untitled decision';
    if (decision.closesAt !== null && needsVote(decision, memberId, now, trust)) {
      reminders.push({
        key: `closing:${decision.id}:${decision.closesAt}`,
        decisionId: decision.id,
        kind: 'closing',
        at: decision.closesAt - CLOSING_REMINDER_LEAD_MS,
        title: `“${title}” ${hoursLeft(decision.closesAt, Math.max(now, decision.closesAt - CLOSING_REMINDER_LEAD_MS))}`,
        body: 'You have not voted yet. Open Outpost to agree, abstain, disagree or block.',
      });
    }
    if (
      decision.reviewOn !== null &&
      (decision.status === 'accepted' || decision.status === 'rejected') &&
      involves(decision, memberId)
    ) {
      reminders.push({
        key: `review:${decision.id}:${decision.reviewOn}`,
        decisionId: decision.id,
        kind: 'review',
        at: reviewTime(decision.reviewOn),
        title: `Time to review “${title}”`,
        body: `It was ${decision.status}; its review date is ${decision.reviewOn}. Is the outcome still right?`,
      });
    }
  }
  return reminders.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/** Reminders due at `now` that were not shown yet, and when the next one falls due. */
export function dueReminders(
  items: readonly ReminderDecision[],
  memberId: string,
  now: number,
  shown: ReadonlySet<string>,
  trust?: Trust,
): { due: DecisionReminder[]; nextAt: number | null } {
  const all = decisionReminders(items, memberId, now, trust).filter((item) => !shown.has(item.key));
  const due = all.filter((item) => item.at <= now);
  const next = all.find((item) => item.at > now);
  return { due, nextAt: next ? next.at : null };
}
