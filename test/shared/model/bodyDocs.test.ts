/**
 * Cutting note bodies out of the workspace document into body documents of their own
 * (shared/model/bodyDocs.ts) keeps every Yjs id, so cuts made by different replicas at different
 * times, and cuts of later edits by devices that still write bodies inside the workspace
 * document, merge into the one text each note has: never lost, never doubled. Seeds are printed.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, noteBody } from '../../../shared/model';
import {
  bodyFragment,
  carryLegacyUpdate,
  clientsTouchedBy,
  cutBodies,
  cutRoot,
} from '../../../shared/model/bodyDocs';
import { readBodyTree, writeBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import { ROOT } from '../../../shared/model/roots';
import { seededRandom } from '../storage/seeded';
import { randomBodyEdit } from './bodyEdits';

const ctx = { actor: 'ana-000001' };

function paragraph(text: string): BodyNode {
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}

function createNote(doc: Y.Doc, title: string, body: readonly BodyNode[]): string {
  const created = notes.create(doc, ctx, { title });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, body));
  return created.value.id;
}

function bodyDocOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

/** Records as plain values, bodies aside (what a root without bodies must keep of each note). */
function recordsOf(doc: Y.Doc): unknown {
  const records = doc.getMap(ROOT.notes).toJSON() as Record<string, Record<string, unknown>>;
  for (const record of Object.values(records)) delete record.body;
  return records;
}

/**
 * Applies every cut of `root` to the body documents of `into`, creating those it lacks, and the
 * root's own cut to `rootInto` when given.
 */
function migrate(
  root: Y.Doc,
  into: Map<string, Y.Doc>,
  options: { clients?: ReadonlySet<number> } = {},
  rootInto?: Y.Doc,
): void {
  if (rootInto) Y.applyUpdate(rootInto, cutRoot(root, options), 'migration');
  for (const [id, update] of cutBodies(root, options)) {
    let doc = into.get(id);
    if (!doc) {
      doc = new Y.Doc();
      into.set(id, doc);
    }
    Y.applyUpdate(doc, update, 'migration');
  }
}

describe('cutting note bodies into documents of their own', () => {
  it('gives each note its own text, and only its own', () => {
    const root = new Y.Doc();
    const ids = [
      createNote(root, 'Lisbon', [paragraph('Offsite in Lisbon'), paragraph('Book the flat')]),
      createNote(root, 'Hiring', [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Roles' }] },
        paragraph('Two engineers'),
      ]),
      createNote(root, 'Empty', []),
    ];
    // Interleave edits, so each client's clocks alternate between notes.
    root.transact(() => noteBody(root, ids[0]!)!.insert(0, [new Y.XmlElement('paragraph')]));
    root.transact(() => {
      const text = (noteBody(root, ids[1]!)!.get(1) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, 'Hire ');
      text.format(0, 4, { bold: {} });
    });
    root.transact(() => noteBody(root, ids[0]!)!.delete(2, 1));

    const cuts = cutBodies(root);
    expect([...cuts.keys()].sort()).toEqual([ids[0], ids[1]].sort());
    for (const id of [ids[0]!, ids[1]!]) {
      const body = bodyFragment(bodyDocOf(cuts.get(id)!));
      expect(readBodyTree(body)).toEqual(readBodyTree(noteBody(root, id)!));
    }
    expect(bodyFragment(bodyDocOf(cuts.get(ids[0]!)!)).toString()).not.toMatch(/engineers/);
    expect(bodyFragment(bodyDocOf(cuts.get(ids[1]!)!)).toString()).toMatch(/<bold>Hire<\/bold>/);
    // Far smaller than the workspace document it came from.
    expect(cuts.get(ids[0]!)!.length).toBeLessThan(Y.encodeStateAsUpdate(root).length);
  });

  it('carries nothing for an update that changes nothing', () => {
    const root = new Y.Doc();
    createNote(root, 'One', [paragraph('one')]);
    const carried = carryLegacyUpdate(root, Y.encodeStateAsUpdate(root));
    expect(carried).toEqual({ root: null, bodies: new Map() });
  });

  it('cuts only the notes and clients asked for', () => {
    const root = new Y.Doc();
    const first = createNote(root, 'One', [paragraph('one')]);
    const second = createNote(root, 'Two', [paragraph('two')]);
    expect([...cutBodies(root, { notes: new Set([second]) }).keys()]).toEqual([second]);
    expect(cutBodies(root, { clients: new Set([root.clientID + 1]) }).size).toBe(0);
    expect(cutBodies(root, { clients: new Set([root.clientID]) }).size).toBe(2);
    expect(first).not.toBe(second);
  });

  it('leaves out notes deleted forever and bodies that are not rich text', () => {
    const root = new Y.Doc();
    const kept = createNote(root, 'Kept', [paragraph('kept')]);
    const gone = createNote(root, 'Gone', [paragraph('gone')]);
    const odd = createNote(root, 'Odd', []);
    root.transact(() => root.getMap(ROOT.notes).delete(gone));
    root.transact(() => {
      const record = root.getMap(ROOT.notes).get(odd) as Y.Map<unknown>;
      const text = new Y.Text();
      record.set('body', text);
      text.insert(0, 'not a fragment');
    });
    expect([...cutBodies(root).keys()]).toEqual([kept]);
  });

  it('merges cuts taken by different replicas at different times without doubling', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = createNote(a, 'Plan', [paragraph('Start')]);
    sync(a, b);
    const early = cutBodies(b).get(id)!;
    a.transact(() =>
      ((noteBody(a, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, '!'),
    );
    b.transact(() => noteBody(b, id)!.insert(1, [new Y.XmlElement('paragraph')]));
    const fromA = cutBodies(a).get(id)!;
    sync(a, b);
    const late = cutBodies(b).get(id)!;
    const merged = bodyDocOf(early);
    Y.applyUpdate(merged, fromA);
    Y.applyUpdate(merged, late);
    Y.applyUpdate(merged, early);
    expect(readBodyTree(bodyFragment(merged))).toEqual(readBodyTree(noteBody(a, id)!));
    expect(bodyFragment(merged).toString()).toBe(
      '<paragraph>Start!</paragraph><paragraph></paragraph>',
    );
  });

  it('brings a body document up to date with an edit from a device that has not upgraded, by the clients it touched', () => {
    const upgraded = new Y.Doc();
    const old = new Y.Doc();
    const id = createNote(upgraded, 'Shared', [paragraph('Hello')]);
    const other = createNote(upgraded, 'Other', [paragraph('Elsewhere')]);
    sync(upgraded, old);
    const bodies = new Map<string, Y.Doc>();
    migrate(upgraded, bodies);
    // The upgraded device now types in the body document; the old one in the workspace document.
    const text = bodyFragment(bodies.get(id)!).get(0) as Y.XmlElement;
    (text.get(0) as Y.XmlText).insert(5, ' world');
    old.transact(() => {
      ((noteBody(old, other)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Far ');
      ((noteBody(old, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Oh, ');
      ((noteBody(old, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(4, 1);
    });
    let touched: Set<number> | null = null;
    upgraded.once('afterTransaction', (transaction: Y.Transaction) => {
      touched = clientsTouchedBy(transaction);
    });
    const carried = carryLegacyUpdate(
      upgraded,
      Y.encodeStateAsUpdate(old, Y.encodeStateVector(upgraded)),
    );
    // The old device's new text, and the upgraded device's 'H' it deleted.
    expect([...touched!].sort()).toEqual([old.clientID, upgraded.clientID].sort());
    expect([...carried.bodies.keys()].sort()).toEqual([id, other].sort());
    for (const [note, update] of carried.bodies) Y.applyUpdate(bodies.get(note)!, update);
    expect(carried.root).not.toBeNull();
    expect(bodyFragment(bodies.get(id)!).toString()).toBe('<paragraph>Oh, ello world</paragraph>');
    expect(bodyFragment(bodies.get(other)!).toString()).toBe(
      '<paragraph>Far Elsewhere</paragraph>',
    );
  });

  it('leaves the workspace document its records, without their bodies', () => {
    const root = new Y.Doc();
    const id = createNote(root, 'Lisbon', [paragraph('Offsite in Lisbon')]);
    createNote(root, 'Hiring', [paragraph('Two engineers '.repeat(200))]);
    root.getMap(ROOT.meta).set('name', 'Team');
    notes.update(root, ctx, id, { addTags: ['travel'], pinned: true });
    const lean = new Y.Doc();
    Y.applyUpdate(lean, cutRoot(root));
    expect(recordsOf(lean)).toEqual(recordsOf(root));
    expect(lean.getMap(ROOT.meta).toJSON()).toEqual({ name: 'Team' });
    expect(notes.map(lean, id)!.has('body')).toBe(false);
    expect(notes.get(lean, id)).toEqual(notes.get(root, id));
    expect(JSON.stringify(lean.toJSON())).not.toMatch(/engineers/);
    expect(Y.encodeStateAsUpdate(lean).length).toBeLessThan(Y.encodeStateAsUpdate(root).length / 4);
  });

  it('merges roots cut at different times with later edits from a device that has not upgraded', () => {
    const upgraded = new Y.Doc();
    const old = new Y.Doc();
    const id = createNote(upgraded, 'Draft', [paragraph('Body')]);
    sync(upgraded, old);
    const lean = new Y.Doc();
    const bodies = new Map<string, Y.Doc>();
    migrate(upgraded, bodies, {}, lean);
    // The upgraded device renames in the lean root; the old one tags and types in its own.
    notes.update(lean, ctx, id, { title: 'Plan' });
    notes.update(old, { actor: 'ben-000001' }, id, { addTags: ['q3'] });
    old.transact(() =>
      ((noteBody(old, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(4, ' text'),
    );
    const carried = carryLegacyUpdate(
      upgraded,
      Y.encodeStateAsUpdate(old, Y.encodeStateVector(upgraded)),
    );
    Y.applyUpdate(lean, carried.root!);
    for (const [note, update] of carried.bodies) Y.applyUpdate(bodies.get(note)!, update);
    expect(notes.get(lean, id)).toMatchObject({ ok: true, value: { title: 'Plan', tags: ['q3'] } });
    expect(bodyFragment(bodies.get(id)!).toString()).toBe('<paragraph>Body text</paragraph>');
    // A second device cutting the same state merges into the same root.
    const other = new Y.Doc();
    Y.applyUpdate(other, cutRoot(old));
    sync(other, lean);
    expect(recordsOf(other)).toEqual(recordsOf(lean));
  });

  const seeds = [3, 11, 99, 4242, Date.now() % 100_000];
  for (const [seed, typedInBodies] of seeds.flatMap((seed) => [
    [seed, false],
    [seed, true],
  ]) as Array<[number, boolean]>) {
    it(`converges across replicas, partitions and migrations at random times (seed ${seed}${typedInBodies ? ', typing in body documents too' : ''})`, () => {
      const next = seededRandom(seed);
      try {
        const replicas = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
        const bodies = replicas.map(() => new Map<string, Y.Doc>());
        const leanRoots = replicas.map(() => new Y.Doc());
        const ids = ['Lisbon', 'Hiring', 'Roadmap', 'Retro'].map((title) =>
          createNote(replicas[0]!, title, [paragraph(`${title} notes. `)]),
        );
        for (const replica of replicas.slice(1)) sync(replicas[0]!, replica);
        const upgraded = new Set<number>();
        for (let step = 0; step < 400; step++) {
          const at = Math.floor(next() * replicas.length);
          const replica = replicas[at]!;
          const id = ids[Math.floor(next() * ids.length)]!;
          const roll = next();
          if (roll < 0.55) {
            randomBodyEdit(replica, noteBody(replica, id)!, next);
            if (next() < 0.1) notes.update(replica, ctx, id, { title: `Old ${step}` });
          } else if (roll < 0.7 && typedInBodies && upgraded.has(at) && bodies[at]!.has(id)) {
            // An upgraded device types in the body document itself.
            const doc = bodies[at]!.get(id)!;
            randomBodyEdit(doc, bodyFragment(doc), next);
            // ...and renames notes in its root without bodies.
            if (next() < 0.2) notes.update(leanRoots[at]!, ctx, id, { title: `T${step}` });
          } else if (roll < 0.8) {
            const other = Math.floor(next() * replicas.length);
            if (other !== at) sync(replica, replicas[other]!);
          } else if (roll < 0.9) {
            upgraded.add(at);
            migrate(replica, bodies[at]!, {}, leanRoots[at]);
          } else {
            // Body documents travel between upgraded devices.
            const other = Math.floor(next() * replicas.length);
            for (const [note, doc] of bodies[at]!) {
              let theirs = bodies[other]!.get(note);
              if (!theirs) {
                theirs = new Y.Doc();
                bodies[other]!.set(note, theirs);
              }
              sync(doc, theirs);
            }
            sync(leanRoots[at]!, leanRoots[other]!);
          }
        }
        // Everyone meets, upgrades and exchanges everything.
        for (let round = 0; round < 2; round++)
          for (const a of replicas) for (const b of replicas) if (a !== b) sync(a, b);
        replicas.forEach((replica, at) => migrate(replica, bodies[at]!, {}, leanRoots[at]));
        for (const a of leanRoots) for (const b of leanRoots) if (a !== b) sync(a, b);
        expect(recordsOf(leanRoots[1]!)).toEqual(recordsOf(leanRoots[0]!));
        expect(recordsOf(leanRoots[2]!)).toEqual(recordsOf(leanRoots[0]!));
        if (!typedInBodies) expect(recordsOf(leanRoots[0]!)).toEqual(recordsOf(replicas[0]!));
        for (const id of ids) {
          const docs = bodies.map((held) => held.get(id)!);
          for (const a of docs) for (const b of docs) if (a !== b) sync(a, b);
          const texts = docs.map((doc) => readBodyTree(bodyFragment(doc)));
          expect(texts[1]).toEqual(texts[0]);
          expect(texts[2]).toEqual(texts[0]);
          // Every cut taken along the way merged into the text the note has: nothing doubled.
          if (!typedInBodies) expect(texts[0]).toEqual(readBodyTree(noteBody(replicas[0]!, id)!));
        }
        // With no edits made in body documents, the migrated text is exactly the embedded one.
        const quiet = replicas.map(() => new Map<string, Y.Doc>());
        replicas.forEach((replica, at) => migrate(replica, quiet[at]!));
        for (const id of ids)
          expect(readBodyTree(bodyFragment(quiet[1]!.get(id)!))).toEqual(
            readBodyTree(noteBody(replicas[0]!, id)!),
          );
      } catch (error) {
        console.error(`body documents convergence failed with seed ${seed}`);
        throw error;
      }
    });
  }
});
