/**
 * The optional sample a person can start with on first run: two notes, a goal and a decision
 * that link to each other, so each section shows what it is for. Every sample record carries
 * `sample: true` (docs/PROTOCOL.md §1.3) and a title starting with "Sample · ", and only records
 * so marked are removed by `removeSample`: the person's own records stay, whatever they link to.
 */
import * as Y from 'yjs';
import type { ModelContext } from './collection';
import { MODEL_ORIGIN, ROOT } from './roots';
import { seedNotes, type SeparateBody } from './notes';
import { goals } from './goals';
import { setGoalLink } from './goalsKeyResults';
import { decisions } from './decisions';
import { markdownToBody } from './markdownToBody';
import { fail, ok, type Result } from '../result';

/** The field that marks a record as part of the sample. */
export const SAMPLE_FIELD = 'sample';
export const SAMPLE_PREFIX = 'Sample · ';

const RECORD_ROOTS = [ROOT.notes, ROOT.goals, ROOT.decisions] as const;

const WELCOME = `Outpost keeps your team's notes, goals and decisions on this laptop and syncs them
straight to your teammates' laptops, online or not.

- **Notes** link to each other: type \`[[\` to link one, like [[${SAMPLE_PREFIX}Offsite plan]].
- **Goals** say what you aim for and link the notes and decisions behind them.
- **Decisions** are proposed, voted on and kept with their reasons.

This note, the offsite plan, the goal and the decision are a sample. Remove them all with
“Remove the sample” at the top of the window; your own notes, goals and decisions stay.
`;

const PLAN = `Where we meet for the March offsite, and what we need before then.

| City | Coworking | Time zone |
| --- | --- | --- |
| Lisbon | Second Home | UTC+0 |
| Tbilisi | Impact Hub | UTC+4 |

- [x] Ask everyone for their dates
- [ ] Book the coworking space

Back to [[${SAMPLE_PREFIX}Welcome to Outpost]].
`;

/** The ids of the sample's records. */
export interface SampleIds {
  readonly notes: readonly string[];
  readonly goal: string;
  readonly decision: string;
  /** Schema 2: the sample notes' bodies, for the caller to store as their documents. */
  readonly bodies: readonly SeparateBody[];
}

/** Adds the sample's records, linked to each other, in one transaction. */
export function addSample(doc: Y.Doc, ctx: ModelContext): Result<SampleIds> {
  let result: Result<SampleIds> = fail('internal', 'The sample could not be added.');
  doc.transact(() => {
    const created = seedNotes(doc, ctx, [
      {
        title: `${SAMPLE_PREFIX}Welcome to Outpost`,
        tags: ['sample'],
        body: markdownToBody(WELCOME),
      },
      { title: `${SAMPLE_PREFIX}Offsite plan`, tags: ['sample'], body: markdownToBody(PLAN) },
    ]);
    if (!created.ok) {
      result = created;
      return;
    }
    const goal = goals.create(doc, ctx, {
      title: `${SAMPLE_PREFIX}Hold a productive March offsite`,
      description: 'A sample goal: it links the offsite plan note and the venue decision.',
    });
    const decision = decisions.create(doc, ctx, {
      title: `${SAMPLE_PREFIX}Meet in Lisbon for the offsite`,
    });
    if (!goal.ok) {
      result = goal;
      return;
    }
    if (!decision.ok) {
      result = decision;
      return;
    }
    const plan = created.value.notes[1]!.id;
    const linked = decisions.update(doc, ctx, decision.value.id, {
      proposal: 'Lisbon: most of us can fly there directly, and the time zone suits everyone.',
      addOption: { title: 'Lisbon' },
      addLinks: [`goal:${goal.value.id}`, `note:${plan}`],
    });
    if (!linked.ok) {
      result = linked;
      return;
    }
    setGoalLink(doc, ctx, goal.value.id, null, { kind: 'note', id: plan }, true);
    setGoalLink(doc, ctx, goal.value.id, null, { kind: 'decision', id: decision.value.id }, true);
    const ids = created.value.notes.map((note) => note.id);
    const mark = (rootName: string, id: string) => {
      const record = doc.getMap<unknown>(rootName).get(id);
      if (record instanceof Y.Map) record.set(SAMPLE_FIELD, true);
    };
    for (const id of ids) mark(ROOT.notes, id);
    mark(ROOT.goals, goal.value.id);
    mark(ROOT.decisions, decision.value.id);
    result = ok({
      notes: ids,
      goal: goal.value.id,
      decision: decision.value.id,
      bodies: created.value.bodies,
    });
  }, MODEL_ORIGIN);
  return result;
}

/** How many records of the workspace belong to the sample. */
export function sampleCount(doc: Y.Doc): number {
  let count = 0;
  for (const rootName of RECORD_ROOTS)
    doc.getMap<unknown>(rootName).forEach((record) => {
      if (record instanceof Y.Map && record.get(SAMPLE_FIELD) === true) count += 1;
    });
  return count;
}

/** Deletes the sample's records (and only them) for good, in one transaction; returns how many. */
export function removeSample(doc: Y.Doc, _ctx: ModelContext): Result<number> {
  const doomed: Array<[Y.Map<unknown>, string]> = [];
  for (const rootName of RECORD_ROOTS) {
    const root = doc.getMap<unknown>(rootName);
    root.forEach((record, id) => {
      if (record instanceof Y.Map && record.get(SAMPLE_FIELD) === true) doomed.push([root, id]);
    });
  }
  if (doomed.length === 0) return ok(0);
  doc.transact(() => {
    for (const [root, id] of doomed) root.delete(id);
  }, MODEL_ORIGIN);
  return ok(doomed.length);
}
