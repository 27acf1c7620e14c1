/**
 * Workspace members: each person's display name, color and time zone, written by their own
 * device so teammates can show who changed what.
 */
import * as Y from 'yjs';
import { MODEL_ORIGIN, ROOT } from './roots';
import { readBounded } from './bounded';
import { describeIssues, describeThrown, previewValue } from './damage';
import { Member, type DamagedRecord } from '../schema/records';
import type { Profile } from '../schema/profile';

/**
 * Writes the local profile into the workspace's member list. Only fields that differ are written,
 * so opening a workspace does not grow its history.
 */
export function upsertMember(doc: Y.Doc, profile: Profile, now: number = Date.now()): void {
  const members = doc.getMap<unknown>(ROOT.members);
  const existing = members.get(profile.memberId);
  const wanted: Record<string, string> = {
    name: profile.displayName,
    color: profile.color,
    timeZone: profile.timeZone,
  };
  const current = existing instanceof Y.Map ? existing : null;
  const changed = Object.entries(wanted).filter(([key, value]) => current?.get(key) !== value);
  if (current && changed.length === 0) return;
  doc.transact(() => {
    let record = current;
    if (!record) {
      record = new Y.Map<unknown>();
      members.set(profile.memberId, record);
    }
    for (const [key, value] of current ? changed : Object.entries(wanted)) record.set(key, value);
    record.set('updatedAt', now);
  }, MODEL_ORIGIN);
}

/**
 * Reads one member entry: through the bounded reader (a teammate's device wrote it and may nest it
 * thousands of levels deep), then the schema. Nothing thrown here escapes: one member must never
 * stop a workspace from opening.
 */
function readMember(id: string, value: unknown): Member | DamagedRecord {
  const damaged = (problems: string[]): DamagedRecord => ({
    kind: 'member',
    id,
    problems,
    preview: previewValue(value),
  });
  if (!(value instanceof Y.Map)) return damaged(['member is not a map']);
  try {
    const read = readBounded(value);
    if (!read.ok) return damaged([read.problem]);
    const parsed = Member.safeParse({ ...(read.value as object), id });
    return parsed.success ? parsed.data : damaged(describeIssues(parsed.error));
  } catch (error) {
    return damaged([describeThrown(error)]);
  }
}

/** All members, validated; damaged entries are reported, not dropped. */
export function listMembers(doc: Y.Doc): { items: Member[]; damaged: DamagedRecord[] } {
  const items: Member[] = [];
  const damaged: DamagedRecord[] = [];
  doc.getMap<unknown>(ROOT.members).forEach((value, id) => {
    const read = readMember(id, value);
    if ('problems' in read) damaged.push(read);
    else items.push(read);
  });
  // Ties broken by id, so every replica lists two people of the same name in the same order.
  items.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { items, damaged };
}
