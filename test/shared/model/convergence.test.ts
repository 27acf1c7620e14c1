/**
 * Convergence property test in the spirit of Yjs's own suite: several replicas run random model
 * operations while their updates are randomly dropped, duplicated, reordered and partitioned; after
 * a final anti-entropy exchange (state vectors, as y-webrtc's sync step does) every replica must
 * hold identical data. The seed is printed on failure so a run can be replayed.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import {
  decisions,
  goals,
  listMembers,
  noteBody,
  notes,
  upsertMember,
} from '../../../shared/model';

interface LifecycleItem {
  readonly id: string;
  readonly deletedAt: number | null;
}

interface Replica {
  readonly doc: Y.Doc;
  readonly actor: string;
  readonly inbox: Uint8Array[];
}

function snapshot(doc: Y.Doc) {
  const all = { includeArchived: true, includeDeleted: true };
  const noteList = notes.list(doc, all);
  return {
    notes: noteList.items.map((note) => ({ ...note, body: noteBody(doc, note.id)?.toString() })),
    goals: goals.list(doc, all),
    decisions: decisions.list(doc, all),
    damaged: noteList.damaged,
    members: listMembers(doc),
  };
}

function randomOperation(gen: prng.PRNG, replica: Replica, clock: number): void {
  const { doc, actor } = replica;
  const ctx = { actor, now: () => clock };
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[prng.uint32(gen, 0, items.length - 1)];
  const all = { includeArchived: true, includeDeleted: true };
  const word = () => prng.word(gen, 1, 8) || 'x';
  const collections = [notes, goals, decisions] as const;
  switch (prng.uint32(gen, 0, 11)) {
    case 0:
      notes.create(doc, ctx, { title: word(), tags: [word().replace(/[\s,#]/g, '') || 't'] });
      break;
    case 1:
      goals.create(doc, ctx, { title: word() });
      break;
    case 2:
      decisions.create(doc, ctx, { title: word() });
      break;
    case 3: {
      const note = pick(notes.list(doc, all).items);
      if (note) notes.update(doc, ctx, note.id, { title: word(), pinned: prng.bool(gen) });
      break;
    }
    case 4: {
      const note = pick(notes.list(doc, all).items);
      if (note)
        notes.update(doc, ctx, note.id, { addTags: ['shared'], removeTags: note.tags.slice(0, 1) });
      break;
    }
    case 5: {
      const note = pick(notes.list(doc, all).items);
      const body = note && noteBody(doc, note.id);
      if (body) {
        doc.transact(() => {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(word())]);
          body.insert(prng.uint32(gen, 0, body.length), [paragraph]);
        });
      }
      break;
    }
    case 6: {
      const goalList = goals.list(doc, all).items;
      const goal = pick(goalList);
      const parent = pick(goalList);
      if (goal && parent)
        goals.update(doc, ctx, goal.id, { parentId: parent.id, description: word() });
      break;
    }
    case 7: {
      const decision = pick(decisions.list(doc, all).items);
      if (decision)
        decisions.update(doc, ctx, decision.id, {
          status: pick(['proposed', 'accepted', 'rejected'] as const),
          outcome: word(),
        });
      break;
    }
    case 8: {
      const collection = pick(collections);
      const item = collection && pick<LifecycleItem>(collection.list(doc, all).items);
      if (collection && item) collection.archive(doc, ctx, item.id, prng.bool(gen));
      break;
    }
    case 9: {
      const collection = pick(collections);
      const item = collection && pick<LifecycleItem>(collection.list(doc, all).items);
      if (collection && item) {
        if (item.deletedAt === null) collection.remove(doc, ctx, item.id);
        else collection.restore(doc, ctx, item.id);
      }
      break;
    }
    case 10: {
      const collection = pick(collections);
      const item = collection && pick<LifecycleItem>(collection.list(doc, all).items);
      if (collection && item && prng.uint32(gen, 0, 3) === 0) collection.purge(doc, ctx, item.id);
      break;
    }
    default:
      upsertMember(
        doc,
        { memberId: actor, displayName: word(), color: '#2563eb', timeZone: 'UTC' },
        clock,
      );
  }
}

function runScenario(seed: number, replicaCount: number, steps: number): void {
  const gen = prng.create(seed);
  const replicas: Replica[] = Array.from({ length: replicaCount }, (_, index) => ({
    doc: new Y.Doc(),
    actor: `member-${index}-${seed}`,
    inbox: [],
  }));
  replicas.forEach((replica, index) => {
    replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      replicas.forEach((other, otherIndex) => {
        if (otherIndex === index) return;
        const roll = prng.uint32(gen, 0, 9);
        if (roll === 0) return; // dropped
        other.inbox.push(update);
        if (roll === 1) other.inbox.push(update); // duplicated
      });
    });
  });

  for (let step = 0; step < steps; step++) {
    const replica = replicas[prng.uint32(gen, 0, replicaCount - 1)]!;
    randomOperation(gen, replica, 1_000 + step);
    // Deliver a random part of some inbox in a random order (reordering and partitions).
    const receiver = replicas[prng.uint32(gen, 0, replicaCount - 1)]!;
    if (prng.bool(gen)) {
      for (let i = receiver.inbox.length - 1; i > 0; i--) {
        const j = prng.uint32(gen, 0, i);
        [receiver.inbox[i], receiver.inbox[j]] = [receiver.inbox[j]!, receiver.inbox[i]!];
      }
      const count = prng.uint32(gen, 0, receiver.inbox.length);
      for (const update of receiver.inbox.splice(0, count))
        Y.applyUpdate(receiver.doc, update, 'remote');
    }
  }

  // Heal the partition: every pair exchanges what the other is missing.
  for (const a of replicas) {
    for (const b of replicas) {
      if (a !== b)
        Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');
    }
  }

  const expected = snapshot(replicas[0]!.doc);
  for (const replica of replicas.slice(1)) {
    expect(snapshot(replica.doc)).toEqual(expected);
  }
}

describe('convergence of the workspace model', () => {
  const base = Number(process.env.OUTPOST_SEED ?? Date.now() % 1_000_000);
  for (let run = 0; run < 25; run++) {
    const seed = base + run;
    it(`replicas converge (seed ${seed}; replay with OUTPOST_SEED=${seed})`, () => {
      try {
        runScenario(seed, 3 + (run % 3), 150);
      } catch (error) {
        console.error(
          `Convergence failed for seed ${seed}. Replay: OUTPOST_SEED=${seed} npx vitest run convergence`,
        );
        throw error;
      }
    });
  }
});
