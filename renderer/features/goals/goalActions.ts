/**
 * Goal writes from the UI (key results, check-ins, links): each runs one shared/model function
 * through the write gateway (store/writeGateway.ts). Goal forms show a failure next to a field, so
 * a failure without one (the workspace closed or read-only) is shown on the form as a whole.
 */
import {
  addKeyResult as addKeyResultIn,
  checkIn as checkInIn,
  setGoalLink,
  setKeyResultDeleted as setKeyResultDeletedIn,
  updateKeyResult as updateKeyResultIn,
  type CheckInInput,
  type FieldFailure,
  type FieldResult,
  type KeyResultCreateInput,
  type KeyResultPatchInput,
} from '../../../shared/model';
import type { Failure, Result } from '../../../shared/result';
import type { LinkKind } from '../../../shared/schema/records';
import { writeAsLocalPerson, type ModelWrite } from '../../store';

/** The gateway's result with a form-level message where the failure names no field. */
function write<T>(run: ModelWrite<T>): FieldResult<T> {
  const result: Result<T> = writeAsLocalPerson(run);
  if (result.ok) return result;
  const error = result.error as FieldFailure | Failure;
  return {
    ok: false,
    error: 'fields' in error ? error : { ...error, fields: { form: error.message } },
  };
}

export const addKeyResult = (goalId: string, input: KeyResultCreateInput) =>
  write((doc, ctx) => addKeyResultIn(doc, ctx, goalId, input));

export const updateKeyResult = (goalId: string, keyResultId: string, patch: KeyResultPatchInput) =>
  write((doc, ctx) => updateKeyResultIn(doc, ctx, goalId, keyResultId, patch));

export const setKeyResultDeleted = (goalId: string, keyResultId: string, deleted: boolean) =>
  write((doc, ctx) => setKeyResultDeletedIn(doc, ctx, goalId, keyResultId, deleted));

export const checkIn = (goalId: string, keyResultId: string, input: CheckInInput) =>
  write((doc, ctx) => checkInIn(doc, ctx, goalId, keyResultId, input));

export const setLink = (
  goalId: string,
  keyResultId: string | null,
  ref: { kind: LinkKind; id: string },
  linked: boolean,
) => write((doc, ctx) => setGoalLink(doc, ctx, goalId, keyResultId, ref, linked));
