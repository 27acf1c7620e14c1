/**
 * The one write gateway on its own: who writes (the local person as the actor), when it refuses
 * (no workspace, still opening, read-only) and the one result shape it answers with.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { ok } from '../../../shared/result';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { writeAs, type WriteAccess } from '../../../renderer/store/writeGateway';
import type { WorkspaceSession } from '../../../renderer/sync/workspaceSession';
import { openVersionStore } from '../../../renderer/sync/history/versionStore';

const person = {
  memberId: 'member-local-0001',
  displayName: 'Ada Local',
  color: '#2563eb',
  timeZone: 'UTC',
};

function access(status: WriteAccess['workspaceStatus']): WriteAccess & { doc: Y.Doc } {
  const doc = new Y.Doc();
  const session: WorkspaceSession = {
    id: 'gateway-test-01',
    doc,
    bodies: null,
    lazyDocs: null,
    awareness: new Awareness(doc),
    ready: Promise.resolve({ state: 'ready', readOnly: false }),
    // Not opened until used; the gateway never uses it.
    versions: openVersionStore('gateway-test-01'),
    history: () => null,
    destroy: async () => undefined,
  };
  return { session, profile: person, workspaceStatus: status, doc };
}

describe('the write gateway', () => {
  it('runs the write on the open document as the local person and returns its result', () => {
    const open = access({ state: 'ready', readOnly: false });
    const seen: unknown[] = [];
    const result = writeAs(open, (doc, ctx) => {
      seen.push(doc, ctx);
      return ok('written');
    });
    expect(result).toEqual({ ok: true, value: 'written' });
    expect(seen).toEqual([
      open.doc,
      { actor: person.memberId, workspace: 'gateway-test-01', signer: undefined },
    ]);
  });

  it('names this device as the signer, in the open workspace', () => {
    const signer = deviceSigner(identityFromSeeds(new Uint8Array(32), new Uint8Array(32)));
    const open = { ...access({ state: 'ready', readOnly: false }), device: signer };
    const seen: unknown[] = [];
    writeAs(open, (_doc, ctx) => (seen.push(ctx), ok(null)));
    expect(seen).toEqual([{ actor: person.memberId, workspace: 'gateway-test-01', signer }]);
  });

  it('refuses while the workspace is opening or no one is signed in, without running it', () => {
    let ran = false;
    const run = () => ((ran = true), ok(null));
    const closed = {
      ok: false,
      error: { code: 'closed', message: 'The workspace is still opening.' },
    };
    expect(writeAs(access({ state: 'loading' }), run)).toEqual(closed);
    expect(writeAs({ ...access({ state: 'closed' }), session: null }, run)).toEqual(closed);
    expect(writeAs({ ...access({ state: 'ready', readOnly: false }), profile: null }, run)).toEqual(
      closed,
    );
    expect(ran).toBe(false);
  });

  it('refuses in a read-only workspace with its reason, unless the caller only reads', () => {
    const readOnly = access({ state: 'ready', readOnly: true, reason: 'Damaged.' });
    expect(writeAs(readOnly, () => ok(1))).toEqual({
      ok: false,
      error: { code: 'read-only', message: 'Damaged.' },
    });
    expect(writeAs(readOnly, () => ok(1), { allowReadOnly: true })).toEqual({ ok: true, value: 1 });
  });
});
