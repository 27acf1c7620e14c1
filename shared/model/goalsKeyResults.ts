/**
 * Writes to the inside of a goal: key results, their check-ins and milestones, and links from an
 * objective or key result to notes and decisions. Each function validates its input (forms and
 * imports send it), refuses a damaged, trashed or missing target with a readable message, and
 * makes its change in one transaction tagged MODEL_ORIGIN that also stamps the goal's
 * `updatedAt`/`updatedBy`.
 *
 * Merge rules (docs/PROTOCOL.md §1.5): check-ins are immutable entries under random ids, so
 * concurrent check-ins are all kept; key result fields merge field by field; deleting a key
 * result only sets its `deletedAt`, so a check-in made concurrently elsewhere is kept inside the
 * deleted key result and comes back with it on restore.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { goals } from './goals';
import { newId } from '../core/ids';
import { MODEL_ORIGIN } from './roots';
import {
  CHECK_INS_KEY,
  KEY_RESULT_PREFIX,
  LINKS_KEY,
  MILESTONES_KEY,
  linkKey,
} from './goalsLayout';
import { stampEdited, type ModelContext } from './collection';
import { signEntry, withSignature } from './signatures';
import { checkInFields } from './signedFields';
import { ok, type Failure, type Result } from '../result';
import { Title } from '../schema/common';
import {
  Confidence,
  KeyResultKind,
  LinkRef,
  type CheckIn,
  type KeyResult,
  type LinkKind,
} from '../schema/goal';
import { oneLine } from '../core/text';

/** A failure that also says which form field is wrong, keyed by input field name. */
export interface FieldFailure extends Failure {
  readonly fields: Readonly<Record<string, string>>;
}
export type FieldResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldFailure };

function fieldFail<T>(
  code: string,
  fields: Record<string, string>,
  message?: string,
): FieldResult<T> {
  return {
    ok: false,
    error: { code, message: message ?? Object.values(fields).join(' '), fields },
  };
}

function fromZod<T>(error: z.ZodError): FieldResult<T> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form';
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fieldFail('invalid-input', fields);
}

const numberOf = (label: string) =>
  z
    .number({ error: `${label} must be a number, like 12 or 3.5.` })
    .finite(`${label} must be a number, like 12 or 3.5.`);

const Unit = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().max(16, 'The unit is longer than 16 characters.'));

const Weight = z
  .number({ error: 'Weight must be a number, like 1 or 2.5.' })
  .finite('Weight must be a number, like 1 or 2.5.')
  .positive('Weight must be more than 0.')
  .max(100, 'Weight can be at most 100.');

const MilestoneTitle = z
  .string()
  .transform(oneLine)
  .pipe(
    z
      .string()
      .min(1, 'A milestone needs a title.')
      .max(200, 'A milestone title is longer than 200 characters.'),
  );

export const KeyResultCreateInput = z
  .object({
    title: Title,
    kind: KeyResultKind,
    start: numberOf('Start').optional(),
    target: numberOf('Target').optional(),
    unit: Unit.default(''),
    weight: Weight.default(1),
    milestones: z.array(MilestoneTitle).max(50, 'At most 50 milestones.').default([]),
  })
  .strict();
export type KeyResultCreateInput = z.input<typeof KeyResultCreateInput>;

export const KeyResultPatchInput = z
  .object({
    title: Title,
    start: numberOf('Start'),
    target: numberOf('Target'),
    unit: Unit,
    weight: Weight,
  })
  .partial()
  .strict();
export type KeyResultPatchInput = z.input<typeof KeyResultPatchInput>;

export const CheckInInput = z
  .object({
    value: numberOf('The value').optional(),
    confidence: Confidence,
    comment: z
      .string()
      .transform((value) => value.trim())
      .pipe(z.string().max(2_000, 'The comment is longer than 2,000 characters.'))
      .default(''),
    /** For milestone key results: the ids of the milestones done as of this check-in. */
    milestonesDone: z.array(z.string()).max(50).optional(),
  })
  .strict();
export type CheckInInput = z.input<typeof CheckInInput>;

interface Measure {
  readonly kind: KeyResultKind;
  readonly start?: number | undefined;
  readonly target?: number | undefined;
  readonly unit: string;
}

/** The rules that tie a key result's fields together, one message per field. */
function measureProblems(measure: Measure): Record<string, string> {
  const fields: Record<string, string> = {};
  const { kind, start, target, unit } = measure;
  if (kind === 'boolean' || kind === 'milestones') return fields;
  if (start === undefined) fields.start = 'Give a start value.';
  if (target === undefined) fields.target = 'Give a target value.';
  if (start !== undefined && target !== undefined && start === target)
    fields.target = 'The target must differ from the start value, or there is no progress to make.';
  if (kind === 'percentage') {
    if (start !== undefined && (start < 0 || start > 100))
      fields.start = 'A percentage goes from 0 to 100.';
    if (target !== undefined && (target < 0 || target > 100))
      fields.target = 'A percentage goes from 0 to 100.';
  }
  if (kind === 'currency' && !/^[A-Z]{3}$/.test(unit))
    fields.unit = 'Use a three-letter currency code such as EUR or USD.';
  return fields;
}

/** A writable goal record, or why it cannot be written. */
function writableGoal(doc: Y.Doc, goalId: string): Result<Y.Map<unknown>> {
  const read = goals.get(doc, goalId);
  const record = goals.map(doc, goalId);
  if (!read || !record)
    return failure('not-found', 'Goal not found. It may have been deleted on another device.');
  if (!read.ok) return failure('damaged', 'This goal is damaged and read-only.');
  if (read.value.deletedAt !== null)
    return failure('trashed', 'This goal is in the trash. Restore it to change it.');
  return ok(record);
}

function failure<T>(code: string, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

function asFieldResult<T>(result: Result<T>): FieldResult<T> {
  return result.ok ? result : fieldFail(result.error.code, { form: result.error.message });
}

/** A key result map and its validated value, or why it cannot be written. */
function writableKeyResult(
  doc: Y.Doc,
  goalId: string,
  keyResultId: string,
): Result<{ goal: Y.Map<unknown>; map: Y.Map<unknown>; value: KeyResult }> {
  const goal = writableGoal(doc, goalId);
  if (!goal.ok) return goal;
  const map = goal.value.get(KEY_RESULT_PREFIX + keyResultId);
  const read = goals.get(doc, goalId);
  const value =
    read?.ok === true ? read.value.keyResults.find((kr) => kr.id === keyResultId) : undefined;
  if (map === undefined)
    return failure(
      'not-found',
      'Key result not found. It may have been removed on another device.',
    );
  if (!(map instanceof Y.Map) || !value)
    return failure('damaged', 'This key result is damaged and read-only.');
  return ok({ goal: goal.value, map, value });
}

function touch(goal: Y.Map<unknown>, ctx: ModelContext, now: number): void {
  stampEdited(goal, ctx.actor, now);
}

function readKeyResult(doc: Y.Doc, goalId: string, keyResultId: string): Result<KeyResult> {
  const read = goals.get(doc, goalId);
  const value =
    read?.ok === true ? read.value.keyResults.find((kr) => kr.id === keyResultId) : undefined;
  return value ? ok(value) : failure('not-found', 'Key result not found.');
}

/** Adds a key result to a goal. Yes/no and milestone key results get their start and target. */
export function addKeyResult(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  rawInput: KeyResultCreateInput,
): FieldResult<KeyResult> {
  const parsed = KeyResultCreateInput.safeParse(rawInput);
  if (!parsed.success) return fromZod(parsed.error);
  const input = parsed.data;
  const unit =
    input.kind === 'percentage'
      ? '%'
      : input.kind === 'currency'
        ? input.unit.toUpperCase()
        : input.unit;
  const fields = measureProblems({ ...input, unit });
  if (input.kind === 'milestones' && input.milestones.length === 0)
    fields.milestones = 'Add at least one milestone.';
  if (Object.keys(fields).length > 0) return fieldFail('invalid-input', fields);
  const goal = writableGoal(doc, goalId);
  if (!goal.ok) return asFieldResult(goal);

  const id = newId();
  const now = (ctx.now ?? Date.now)();
  const read = goals.get(doc, goalId);
  const existing = read?.ok ? read.value.keyResults : [];
  const order = existing.reduce((max, kr) => Math.max(max, kr.order), 0) + 1;
  const [start, target] =
    input.kind === 'boolean'
      ? [0, 1]
      : input.kind === 'milestones'
        ? [0, input.milestones.length]
        : [input.start ?? 0, input.target ?? 1];
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    goal.value.set(KEY_RESULT_PREFIX + id, map);
    map.set('title', input.title);
    map.set('kind', input.kind);
    map.set('start', start);
    map.set('target', target);
    map.set('unit', input.kind === 'boolean' || input.kind === 'milestones' ? '' : unit);
    map.set('weight', input.weight);
    map.set('order', order);
    map.set('createdAt', now);
    map.set('createdBy', ctx.actor);
    map.set('deletedAt', null);
    map.set(CHECK_INS_KEY, new Y.Map<unknown>());
    map.set(LINKS_KEY, new Y.Map<unknown>());
    const milestones = new Y.Map<unknown>();
    map.set(MILESTONES_KEY, milestones);
    input.milestones.forEach((title, index) => {
      const milestone = new Y.Map<unknown>();
      milestones.set(newId(), milestone);
      milestone.set('title', title);
      milestone.set('done', false);
      milestone.set('order', index + 1);
    });
    touch(goal.value, ctx, now);
  }, MODEL_ORIGIN);
  return asFieldResult(readKeyResult(doc, goalId, id));
}

/**
 * Changes a key result's title, start, target, unit or weight. The kind is fixed at creation,
 * because earlier check-ins were measured in it.
 */
export function updateKeyResult(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  keyResultId: string,
  rawPatch: KeyResultPatchInput,
): FieldResult<KeyResult> {
  const parsed = KeyResultPatchInput.safeParse(rawPatch);
  if (!parsed.success) return fromZod(parsed.error);
  const patch = parsed.data;
  const target = writableKeyResult(doc, goalId, keyResultId);
  if (!target.ok) return asFieldResult(target);
  const current = target.value.value;
  const fixedScale = current.kind === 'boolean' || current.kind === 'milestones';
  if (fixedScale && (patch.start !== undefined || patch.target !== undefined || patch.unit))
    return fieldFail('invalid-input', {
      form: 'Yes/no and milestone key results have a fixed start and target.',
    });
  const unit =
    patch.unit === undefined
      ? current.unit
      : current.kind === 'currency'
        ? patch.unit.toUpperCase()
        : current.kind === 'percentage'
          ? '%'
          : patch.unit;
  const fields = measureProblems({
    kind: current.kind,
    start: patch.start ?? current.start,
    target: patch.target ?? current.target,
    unit,
  });
  if (Object.keys(fields).length > 0) return fieldFail('invalid-input', fields);
  const now = (ctx.now ?? Date.now)();
  doc.transact(() => {
    const { map } = target.value;
    if (patch.title !== undefined && patch.title !== current.title) map.set('title', patch.title);
    if (patch.start !== undefined && patch.start !== current.start) map.set('start', patch.start);
    if (patch.target !== undefined && patch.target !== current.target)
      map.set('target', patch.target);
    if (unit !== current.unit) map.set('unit', unit);
    if (patch.weight !== undefined && patch.weight !== current.weight)
      map.set('weight', patch.weight);
    touch(target.value.goal, ctx, now);
  }, MODEL_ORIGIN);
  return asFieldResult(readKeyResult(doc, goalId, keyResultId));
}

/** Deletes (deleted = true) or restores a key result. Its check-ins are always kept. */
export function setKeyResultDeleted(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  keyResultId: string,
  deleted: boolean,
): Result<KeyResult> {
  const target = writableKeyResult(doc, goalId, keyResultId);
  if (!target.ok) return target;
  const now = (ctx.now ?? Date.now)();
  doc.transact(() => {
    target.value.map.set('deletedAt', deleted ? now : null);
    touch(target.value.goal, ctx, now);
  }, MODEL_ORIGIN);
  return readKeyResult(doc, goalId, keyResultId);
}

/** Adds a milestone to a milestone key result; its target grows with it. */
export function addMilestone(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  keyResultId: string,
  rawTitle: string,
): FieldResult<KeyResult> {
  const title = MilestoneTitle.safeParse(rawTitle);
  if (!title.success)
    return fieldFail('invalid-input', { milestone: title.error.issues[0]!.message });
  const target = writableKeyResult(doc, goalId, keyResultId);
  if (!target.ok) return asFieldResult(target);
  if (target.value.value.kind !== 'milestones')
    return fieldFail('invalid-input', { milestone: 'Only milestone key results have milestones.' });
  const milestones = target.value.map.get(MILESTONES_KEY) as Y.Map<unknown>;
  const order = target.value.value.milestones.reduce((max, m) => Math.max(max, m.order), 0) + 1;
  const now = (ctx.now ?? Date.now)();
  doc.transact(() => {
    const milestone = new Y.Map<unknown>();
    milestones.set(newId(), milestone);
    milestone.set('title', title.data);
    milestone.set('done', false);
    milestone.set('order', order);
    touch(target.value.goal, ctx, now);
  }, MODEL_ORIGIN);
  return asFieldResult(readKeyResult(doc, goalId, keyResultId));
}

/**
 * Records a check-in: a new value with a confidence from 1 to 10 and an optional comment, by the
 * acting member, now. For a milestone key result, `milestonesDone` sets which milestones are done
 * and the value recorded is how many are. Refused on a deleted key result.
 */
export function checkIn(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  keyResultId: string,
  rawInput: CheckInInput,
): FieldResult<CheckIn> {
  const parsed = CheckInInput.safeParse(rawInput);
  if (!parsed.success) return fromZod(parsed.error);
  const input = parsed.data;
  const target = writableKeyResult(doc, goalId, keyResultId);
  if (!target.ok) return asFieldResult(target);
  const kr = target.value.value;
  if (kr.deletedAt !== null)
    return fieldFail('deleted', {
      form: 'This key result was deleted. Restore it to check in.',
    });
  let value: number;
  if (kr.kind === 'milestones') {
    const done = new Set(
      input.milestonesDone ?? kr.milestones.filter((m) => m.done).map((m) => m.id),
    );
    const unknown = [...done].filter((id) => !kr.milestones.some((m) => m.id === id));
    if (unknown.length > 0)
      return fieldFail('invalid-input', { milestones: 'A milestone no longer exists.' });
    value = done.size;
  } else {
    if (input.value === undefined)
      return fieldFail('invalid-input', { value: 'Give the new value.' });
    value = input.value;
    if (kr.kind === 'boolean' && value !== 0 && value !== 1)
      return fieldFail('invalid-input', {
        value: 'A yes/no key result is either done (1) or not (0).',
      });
    if (kr.kind === 'percentage' && (value < 0 || value > 100))
      return fieldFail('invalid-input', { value: 'A percentage goes from 0 to 100.' });
  }
  const id = newId();
  const now = (ctx.now ?? Date.now)();
  const unsigned = {
    value,
    confidence: input.confidence,
    comment: input.comment,
    authorId: ctx.actor,
    at: now,
  };
  const entry = withSignature(
    unsigned,
    signEntry(ctx, 'checkin', ctx.actor, checkInFields(goalId, keyResultId, { id, ...unsigned })),
  );
  doc.transact(() => {
    (target.value.map.get(CHECK_INS_KEY) as Y.Map<unknown>).set(id, entry);
    if (kr.kind === 'milestones' && input.milestonesDone) {
      const done = new Set(input.milestonesDone);
      const milestones = target.value.map.get(MILESTONES_KEY) as Y.Map<unknown>;
      for (const milestone of kr.milestones) {
        const map = milestones.get(milestone.id);
        if (map instanceof Y.Map && milestone.done !== done.has(milestone.id))
          map.set('done', done.has(milestone.id));
      }
    }
    touch(target.value.goal, ctx, now);
  }, MODEL_ORIGIN);
  return { ok: true, value: { id, ...entry } };
}

/**
 * Links (or unlinks) an objective — or one of its key results when `keyResultId` is given — to a
 * note or decision. Links are a set: linking twice, or on two devices at once, keeps one link.
 */
export function setGoalLink(
  doc: Y.Doc,
  ctx: ModelContext,
  goalId: string,
  keyResultId: string | null,
  rawRef: { kind: LinkKind; id: string },
  linked: boolean,
): Result<null> {
  const ref = LinkRef.safeParse(rawRef);
  if (!ref.success) return failure('invalid-input', 'That is not a note or decision to link.');
  let container: Y.Map<unknown>;
  let goal: Y.Map<unknown>;
  if (keyResultId === null) {
    const target = writableGoal(doc, goalId);
    if (!target.ok) return target;
    container = goal = target.value;
  } else {
    const target = writableKeyResult(doc, goalId, keyResultId);
    if (!target.ok) return target;
    goal = target.value.goal;
    container = target.value.map.get(LINKS_KEY) as Y.Map<unknown>;
  }
  const key = linkKey(ref.data.kind, ref.data.id);
  if ((container.get(key) === true) === linked) return ok(null);
  const now = (ctx.now ?? Date.now)();
  doc.transact(() => {
    if (linked) container.set(key, true);
    else container.delete(key);
    touch(goal, ctx, now);
  }, MODEL_ORIGIN);
  return ok(null);
}
