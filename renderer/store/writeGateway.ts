/**
 * The one write path (docs/ARCHITECTURE.md, "One write path"): every change made to the open
 * workspace on behalf of the local person goes through `writeAs`. It refuses while the workspace
 * is opening or read-only (damaged, newer schema), names the local person as the actor and this
 * device as the signer of what carries authorship (docs/PROTOCOL.md §8), and returns the model's
 * Result unchanged, so every feature reports success and refusal alike.
 */
import type * as Y from 'yjs';
import type { ModelContext } from '../../shared/model';
import { fail, type Result } from '../../shared/result';
import type { AppState } from './types';

/** What the gateway reads from the store: who is writing, into which workspace, in what state. */
export type WriteAccess = Pick<AppState, 'session' | 'profile' | 'workspaceStatus'> &
  Partial<Pick<AppState, 'device'>>;

export interface WriteOptions {
  /** Lets a read that goes through the same checks (an export) run in a read-only workspace. */
  readonly allowReadOnly?: boolean;
}

/** A model function run as the local person against the open workspace's document. */
export type ModelWrite<T> = (doc: Y.Doc, ctx: ModelContext) => Result<T>;

/**
 * Runs `run` as the local person against the open workspace: fails with `closed` while no
 * workspace is ready and `read-only` (with the reason) while it cannot be changed.
 */
export function writeAs<T>(
  access: WriteAccess,
  run: ModelWrite<T>,
  options: WriteOptions = {},
): Result<T> {
  const { session, profile, workspaceStatus: status } = access;
  if (!session || !profile || status.state !== 'ready')
    return fail('closed', 'The workspace is still opening.');
  if (status.readOnly && !options.allowReadOnly) return fail('read-only', status.reason);
  return run(session.doc, {
    actor: profile.memberId,
    workspace: session.id,
    signer: access.device ?? undefined,
    // Schema 2 keeps note bodies as documents of their own: new records get no `body`.
    ...(session.bodies ? { bodies: 'separate' as const } : {}),
  });
}
