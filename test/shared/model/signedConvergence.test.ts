/**
 * Convergence of verified tallies (fast-check): three members' devices cast signed votes while
 * some devices also write forged votes (for another member, signed with their own key, or
 * unsigned), each replica receives every update in its own random order with duplicates, and
 * after every delivery no forged vote is counted anywhere; at the end every replica holds the
 * same verified tally, equal to the tally of the honest votes alone. With removals, readmissions and key
 * rotations mixed in (members removing each other, concurrently), every replica also reaches the
 * same removals, current key and revoked devices. fast-check prints the seed and the shrunk case
 * on failure, for replay.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  castVote,
  decisions,
  readTrust,
  tallyVotes,
  upsertMember,
  verifiedTally,
} from '../../../shared/model';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { letBackIn, readKeyState, removeAndRotate } from '../../../shared/model/rotations';
import type { Profile } from '../../../shared/schema/profile';
import type { Decision, VoteCast, VoteChoice } from '../../../shared/schema/records';

const WORKSPACE = 'ConvergenceSpace001';
const people: Profile[] = ['Ana', 'Bea', 'Cai'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const signers = people.map((_, index) =>
  deviceSigner(identityFromSeeds(new Uint8Array(32).fill(index + 1), new Uint8Array(32).fill(9))),
);
const CHOICES: VoteChoice[] = ['agree', 'abstain', 'disagree'];

/** The shared starting point: members listed with their devices, one proposed decision. */
function base(): { update: Uint8Array; decisionId: string } {
  const doc = new Y.Doc();
  people.forEach((person, index) =>
    upsertMember(doc, person, 1, { signer: signers[index]!, workspace: WORKSPACE }),
  );
  const ctx = {
    actor: people[0]!.memberId,
    now: () => 2,
    signer: signers[0]!,
    workspace: WORKSPACE,
  };
  const created = decisions.create(doc, ctx, { title: 'Move the stand-up' });
  if (!created.ok) throw new Error(created.error.message);
  decisions.update(doc, ctx, created.value.id, { status: 'proposed' });
  return { update: Y.encodeStateAsUpdate(doc), decisionId: created.value.id };
}

const Op = fc.record({
  replica: fc.integer({ min: 0, max: 2 }),
  forgery: fc.constantFrom('none', 'other-device', 'unsigned'),
  choice: fc.constantFrom(...CHOICES),
  at: fc.integer({ min: 10, max: 40 }),
});

describe('verified tallies converge', () => {
  const start = base();

  it('every replica counts the same honest votes, whatever the order, and no forged one', () => {
    fc.assert(
      fc.property(
        fc.array(Op, { minLength: 1, maxLength: 10 }).chain((ops) =>
          fc.tuple(
            fc.constant(ops),
            // Per replica: which writer's next update arrives next (an exhausted writer's last one
            // arrives again, a duplicate). Each writer's own updates stay in order, as the peer
            // layer guarantees (updates wait for their dependencies, PROTOCOL.md §5.4).
            fc.array(
              fc.array(fc.integer({ min: 0, max: 2 }), {
                minLength: ops.length,
                maxLength: ops.length * 2,
              }),
              { minLength: 3, maxLength: 3 },
            ),
          ),
        ),
        ([ops, orders]) => {
          const replicas = people.map(() => {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, start.update);
            return doc;
          });
          const updates: Uint8Array[] = [];
          const byWriter: Uint8Array[][] = [[], [], []];
          const honest: VoteCast[] = [];
          const forged = new Set<string>();
          for (const op of ops) {
            const doc = replicas[op.replica]!;
            // A forger votes as the next member: with its own device key, or with none.
            const member = op.forgery === 'none' ? op.replica : (op.replica + 1) % 3;
            const ctx = {
              actor: people[member]!.memberId,
              now: () => op.at,
              signer: op.forgery === 'unsigned' ? undefined : signers[op.replica]!,
              workspace: WORKSPACE,
            };
            const before = Y.encodeStateVector(doc);
            const cast = castVote(doc, ctx, start.decisionId, { choice: op.choice });
            if (!cast.ok) throw new Error(cast.error.message);
            const update = Y.encodeStateAsUpdate(doc, before);
            updates.push(update);
            byWriter[op.replica]!.push(update);
            if (op.forgery === 'none') honest.push(cast.value);
            else forged.add(cast.value.id);
          }
          const read = (doc: Y.Doc): Decision => {
            const result = decisions.get(doc, start.decisionId);
            if (!result?.ok) throw new Error('decision unreadable');
            return result.value;
          };
          const counted = (doc: Y.Doc) => verifiedTally(readTrust(doc, WORKSPACE), read(doc));
          replicas.forEach((doc, index) => {
            const sent = [0, 0, 0];
            for (const writer of orders[index]!) {
              const list = byWriter[writer]!;
              if (list.length === 0) continue;
              const next = Math.min(sent[writer]!, list.length - 1);
              sent[writer] = next + 1;
              Y.applyUpdate(doc, list[next]!);
              const now = counted(doc);
              for (const entry of now.tally.members)
                if (entry.counted) expect(forged.has(entry.counted.id)).toBe(false);
            }
            // Then everything, so every replica ends with every update.
            for (const update of updates) Y.applyUpdate(doc, update);
          });
          const results = replicas.map((doc) => JSON.stringify(counted(doc)));
          expect(new Set(results).size).toBe(1);
          const final = counted(replicas[0]!);
          expect(final.tally).toEqual(tallyVotes(honest, null));
          expect(new Set(final.setAside.map((entry) => entry.cast.id))).toEqual(forged);
          expect(read(replicas[0]!).votes).toHaveLength(ops.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('with removals, readmissions and rotations mixed in, every replica reaches the same keys and tally', () => {
    const Step = fc.oneof(
      Op.map((op) => ({ ...op, kind: 'vote' as const })),
      fc.record({
        kind: fc.constant('remove' as const),
        replica: fc.integer({ min: 0, max: 2 }),
        // Whom to remove: the next member, the one after, or nobody (a rotation only).
        target: fc.constantFrom(1, 2, null),
        at: fc.integer({ min: 10, max: 40 }),
      }),
      fc.record({
        kind: fc.constant('readmit' as const),
        replica: fc.integer({ min: 0, max: 2 }),
        target: fc.constantFrom(1, 2),
        at: fc.integer({ min: 10, max: 40 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(Step, { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 16 }), {
          minLength: 3,
          maxLength: 3,
        }),
        (steps, orders) => {
          const replicas = people.map(() => {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, start.update);
            return doc;
          });
          const byWriter: Uint8Array[][] = [[], [], []];
          for (const step of steps) {
            const doc = replicas[step.replica]!;
            const ctx = {
              actor: people[step.replica]!.memberId,
              now: () => step.at,
              signer: signers[step.replica]!,
              workspace: WORKSPACE,
            };
            const before = Y.encodeStateVector(doc);
            if (step.kind === 'vote') castVote(doc, ctx, start.decisionId, { choice: step.choice });
            else if (step.kind === 'readmit')
              // Written only when this replica sees that member removed and may let them in.
              letBackIn(doc, ctx, readTrust(doc, WORKSPACE), {
                member: people[(step.replica + step.target) % 3]!.memberId,
              });
            else
              // Refused when this replica already knows it was removed: then nothing is written.
              removeAndRotate(doc, ctx, readTrust(doc, WORKSPACE), {
                members:
                  step.target === null ? [] : [people[(step.replica + step.target) % 3]!.memberId],
              });
            byWriter[step.replica]!.push(Y.encodeStateAsUpdate(doc, before));
          }
          const summary = (doc: Y.Doc) => {
            const trust = readTrust(doc, WORKSPACE);
            const state = readKeyState(doc, trust);
            const decision = decisions.get(doc, start.decisionId);
            if (!decision?.ok) throw new Error('decision unreadable');
            return JSON.stringify({
              current: state.current?.id ?? null,
              counted: state.counted.map((rotation) => rotation.id),
              refused: state.refused.map((entry) => entry.id).sort(),
              revoked: [...state.revokedDevices.keys()].sort(),
              removed: [...state.removedMembers.keys()].sort(),
              readmitted: [...state.readmitted.keys()].sort(),
              needsRotation: state.needsRotation,
              tally: verifiedTally(trust, decision.value),
            });
          };
          replicas.forEach((doc, index) => {
            const sent = [0, 0, 0];
            for (const writer of orders[index]!) {
              const list = byWriter[writer]!;
              if (sent[writer]! >= list.length) continue;
              Y.applyUpdate(doc, list[sent[writer]!]!);
              sent[writer]! += 1;
              summary(doc); // readable at every step
            }
            for (const list of byWriter) for (const update of list) Y.applyUpdate(doc, update);
          });
          expect(new Set(replicas.map(summary)).size).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
