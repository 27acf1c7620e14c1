/**
 * Focus status through awareness: this person's status ("in focus until 14:30"), local time zone
 * and working hours go into the open workspace's awareness local state, and the team view reads
 * everyone's back as plain, validated values (a peer's awareness state is untrusted input). The
 * awareness object never leaves this module.
 */
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { focusStatus, type FocusStatus } from '../../../shared/focus';
import { isKnownTimeZone } from '../../../shared/time/zonedTime';
import { FocusStatusSchema } from '../../../shared/ipc/focusContract';
import { activeSession, useAppStore } from '../../store';
import { useFocusStore } from './focusStore';
import { AWARENESS_LIMITS, readBounded } from '../../../shared/model/bounded';

const TimeZone = z.string().max(64).refine(isKnownTimeZone);
const Clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/);
const Ranges = z.array(z.object({ start: Clock, end: Clock })).max(8);

/** The working hours a person shares: their table of ranges per weekday, in `timeZone`. */
export const SharedWorkingHours = z.object({
  timeZone: TimeZone,
  days: z
    .object({
      mon: Ranges,
      tue: Ranges,
      wed: Ranges,
      thu: Ranges,
      fri: Ranges,
      sat: Ranges,
      sun: Ranges,
    })
    .nullable(),
});
export type SharedWorkingHours = z.infer<typeof SharedWorkingHours>;

const AwarenessEntry = z.object({
  user: z.object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(60),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  }),
  focus: FocusStatusSchema.optional(),
  timeZone: TimeZone.optional(),
  workingHours: SharedWorkingHours.optional(),
});

/** One person present in the workspace right now, as their device describes itself. */
export interface PresentPerson {
  readonly clientId: number;
  readonly isSelf: boolean;
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly focus: FocusStatus | null;
  readonly timeZone: string | null;
  readonly workingHours: SharedWorkingHours | null;
}

/** Keeps this person's focus status, time zone and working hours in the workspace's awareness. */
export function useFocusPresence(): void {
  const snapshot = useFocusStore((state) => state.snapshot);
  const offset = useFocusStore((state) => state.clockOffsetMs);
  const timeZone = useAppStore((state) => state.profile?.timeZone);
  const workspaceId = useAppStore((state) => state.activeWorkspaceId);
  const ready = useAppStore((state) => state.workspaceStatus.state === 'ready');
  useEffect(() => {
    if (!snapshot || !ready) return;
    const publish = () => {
      const session = activeSession();
      if (!session || session.id !== workspaceId) return;
      const now = Date.now() + offset;
      const status = focusStatus(snapshot.config, snapshot.state, now);
      const current = session.awareness.getLocalState() ?? {};
      session.awareness.setLocalState({
        ...current,
        focus: status.until === undefined ? { kind: status.kind } : status,
        timeZone: timeZone ?? snapshot.config.timeZone,
        workingHours: { timeZone: snapshot.config.timeZone, days: snapshot.config.workingHours },
      });
    };
    publish();
    // Working hours begin and end without the timer changing; look again every minute.
    const id = setInterval(publish, 60_000);
    return () => clearInterval(id);
  }, [snapshot, offset, timeZone, workspaceId, ready]);
}

function readPeople(): PresentPerson[] {
  const session = activeSession();
  if (!session) return [];
  const self = session.awareness.clientID;
  const people: PresentPerson[] = [];
  session.awareness.getStates().forEach((state, clientId) => {
    // A peer's state: bounded before validation (docs/PROTOCOL.md §3); beyond a limit, ignored.
    const read = readBounded(state, AWARENESS_LIMITS);
    if (!read.ok) return;
    const parsed = AwarenessEntry.safeParse(read.value);
    if (!parsed.success) return;
    const entry = parsed.data;
    people.push({
      clientId,
      isSelf: clientId === self,
      id: entry.user.id,
      name: entry.user.name,
      color: entry.user.color,
      focus: entry.focus ?? null,
      timeZone: entry.timeZone ?? null,
      workingHours: entry.workingHours ?? null,
    });
  });
  return people;
}

/** Everyone present in the open workspace's awareness (including this person), kept current. */
export function usePresentPeople(): PresentPerson[] {
  const workspaceId = useAppStore((state) => state.activeWorkspaceId);
  const ready = useAppStore((state) => state.workspaceStatus.state === 'ready');
  const [people, setPeople] = useState<PresentPerson[]>([]);
  useEffect(() => {
    const session = activeSession();
    if (!session || !ready) return;
    const update = () => setPeople(readPeople());
    update();
    session.awareness.on('change', update);
    return () => session.awareness.off('change', update);
  }, [workspaceId, ready]);
  return people;
}
