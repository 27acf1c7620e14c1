import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  firstInviteUse,
  INVITE_USES_ROOT,
  newJoinToken,
  recordInviteUse,
} from '../../../shared/model/inviteUses';

const INVITE = '0123456789abcdef';

describe('uses of a single-use invite', () => {
  it('the earliest use counts, ties going to the smaller token; other invites do not mix in', () => {
    const doc = new Y.Doc();
    expect(firstInviteUse(doc, INVITE)).toBeNull();
    const [a, b, c] = ['b'.repeat(32), 'a'.repeat(32), 'c'.repeat(32)];
    recordInviteUse(doc, { inviteId: INVITE, token: a, at: 2000 });
    recordInviteUse(doc, { inviteId: INVITE, token: c, at: 3000 });
    recordInviteUse(doc, { inviteId: 'fedcba9876543210', token: c, at: 1 });
    expect(firstInviteUse(doc, INVITE)).toEqual({ inviteId: INVITE, token: a, at: 2000 });
    recordInviteUse(doc, { inviteId: INVITE, token: b, at: 2000 });
    expect(firstInviteUse(doc, INVITE)?.token).toBe(b);
  });

  it('two devices joining at once keep both uses, and every replica agrees on the first', () => {
    const [one, two] = [new Y.Doc(), new Y.Doc()];
    recordInviteUse(one, { inviteId: INVITE, token: newJoinToken(), at: 5000 });
    recordInviteUse(two, { inviteId: INVITE, token: newJoinToken(), at: 4000 });
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
    expect(one.getMap(INVITE_USES_ROOT).size).toBe(2);
    expect(firstInviteUse(one, INVITE)).toEqual(firstInviteUse(two, INVITE));
    expect(firstInviteUse(one, INVITE)?.at).toBe(4000);
  });

  it('ignores entries a faulty peer wrote, and refuses to write malformed ones', () => {
    const doc = new Y.Doc();
    const uses = doc.getMap<unknown>(INVITE_USES_ROOT);
    uses.set(`${INVITE}.${'d'.repeat(32)}`, 'yesterday');
    uses.set(`${INVITE}.short`, 1);
    uses.set(`${INVITE}.${'e'.repeat(32)}`, Number.NaN);
    expect(firstInviteUse(doc, INVITE)).toBeNull();
    expect(() => recordInviteUse(doc, { inviteId: 'nope', token: newJoinToken(), at: 1 })).toThrow(
      RangeError,
    );
    expect(newJoinToken()).toMatch(/^[0-9a-f]{32}$/);
  });
});
