/** Workspace-level metadata stored in the document itself, so every peer sees the same name. */
import type * as Y from 'yjs';
import { z } from 'zod';
import { MODEL_ORIGIN, ROOT } from './roots';
import { fail, ok, type Result } from '../result';
import { oneLine } from '../core/text';

export const WorkspaceName = z
  .string()
  .transform(oneLine)
  .pipe(
    z
      .string()
      .min(1, 'A workspace needs a name.')
      .max(80, 'Workspace names are at most 80 characters.'),
  );

/** The workspace's shared name, or null when none is stored (or it is damaged). */
export function workspaceName(doc: Y.Doc): string | null {
  const parsed = WorkspaceName.safeParse(doc.getMap<unknown>(ROOT.meta).get('name'));
  return parsed.success ? parsed.data : null;
}

/** Renames the workspace for every peer. */
export function renameWorkspace(doc: Y.Doc, name: string): Result<string> {
  const parsed = WorkspaceName.safeParse(name);
  if (!parsed.success)
    return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid name.');
  doc.transact(() => doc.getMap<unknown>(ROOT.meta).set('name', parsed.data), MODEL_ORIGIN);
  return ok(parsed.data);
}
