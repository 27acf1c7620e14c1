/**
 * Workspace members: each person's display name, color and time zone, written by their own
 * device so teammates can show who changed what.
 */
import * as Y from 'yjs';
import { MODEL_ORIGIN, ROOT } from './roots';
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

/** All members, validated; damaged entries are reported, not dropped. */
export function listMembers(doc: Y.Doc): { items: Member[]; damaged: DamagedRecord[] } {
  const items: Member[] = [];
  const damaged: DamagedRecord[] = [];
  doc.getMap<unknown>(ROOT.members).forEach((value, id) => {
    const plain = value instanceof Y.Map ? { id, ...value.toJSON() } : { id, value };
    const parsed = Member.safeParse(plain);
    if (parsed.success) items.push(parsed.data);
    else
      damaged.push({
        kind: 'member',
        id,
        problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        preview: JSON.stringify(plain).slice(0, 300),
      });
  });
  // Ties broken by id, so every replica lists two people of the same name in the same order.
  items.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { items, damaged };
}
