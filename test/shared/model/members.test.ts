import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ROOT,
  listMembers,
  renameWorkspace,
  upsertMember,
  workspaceName,
} from '../../../shared/model';

const profile = {
  memberId: 'member-aaaa',
  displayName: 'Ana',
  color: '#2563eb',
  timeZone: 'Europe/Lisbon',
};

describe('members and workspace meta', () => {
  it('writes the profile once and only rewrites changed fields', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    upsertMember(doc, profile, 1);
    upsertMember(doc, profile, 2);
    expect(updates).toBe(1);
    upsertMember(doc, { ...profile, displayName: 'Ana M.' }, 3);
    expect(updates).toBe(2);
    expect(listMembers(doc).items).toEqual([
      {
        id: 'member-aaaa',
        name: 'Ana M.',
        color: '#2563eb',
        timeZone: 'Europe/Lisbon',
        updatedAt: 3,
      },
    ]);
  });

  it('reports a damaged member', () => {
    const doc = new Y.Doc();
    doc.getMap(ROOT.members).set('bad', 12);
    expect(listMembers(doc).damaged).toHaveLength(1);
  });

  it('renames the workspace with validation', () => {
    const doc = new Y.Doc();
    expect(workspaceName(doc)).toBeNull();
    expect(renameWorkspace(doc, '  Lisbon   crew ')).toEqual({ ok: true, value: 'Lisbon crew' });
    expect(workspaceName(doc)).toBe('Lisbon crew');
    expect(renameWorkspace(doc, '')).toMatchObject({
      ok: false,
      error: { message: 'A workspace needs a name.' },
    });
  });
});
