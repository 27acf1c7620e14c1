/**
 * The first-run sample, outside React: add it to the workspace just created, tell whether the
 * open workspace holds one, and remove it (after a backup, as for any deletion for good).
 */
import { addSample, removeSample, sampleCount } from '../../../shared/model/sampleWorkspace';
import { fail, ok, type Result } from '../../../shared/result';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import { backupNowFor } from '../backups/backupActions';
import { storeNewBodies } from '../notes/noteBodies';

/**
 * Adds the sample to the open workspace; says so, or why not. In schema 2 the sample notes'
 * bodies are stored right after (a note opened meanwhile shows them as they land); if they cannot
 * be, the sample notes are taken back and the person is told.
 */
export function addSampleNow(): Result<null> {
  const session = activeSession();
  const result = writeAsLocalPerson((doc, ctx) => addSample(doc, ctx));
  const { notify } = useAppStore.getState();
  if (!result.ok) {
    notify('error', `The sample could not be added: ${result.error.message}`);
    return result;
  }
  if (session?.bodies)
    void storeNewBodies(session.bodies, result.value.bodies).then((stored) => {
      if (!stored.ok) notify('error', `The sample could not be added: ${stored.error.message}`);
    });
  return ok(null);
}

/** How many sample records the open workspace holds. */
export function openSampleCount(): number {
  const session = activeSession();
  return session ? sampleCount(session.doc) : 0;
}

/** Removes the sample's records, and only them, after a backup of the workspace. */
export async function removeSampleNow(): Promise<Result<number>> {
  const { notify } = useAppStore.getState();
  const backup = await backupNowFor('before-delete');
  if (!backup.ok) {
    const message = `The sample was not removed: a backup could not be written first (${backup.error.message}).`;
    notify('error', message);
    return fail(backup.error.code, message);
  }
  // Schema 2: the session deletes the body documents of notes deleted forever.
  const result = writeAsLocalPerson((doc, ctx) => removeSample(doc, ctx));
  if (!result.ok) notify('error', result.error.message);
  else
    notify(
      'info',
      `Removed the sample (${result.value} record${result.value === 1 ? '' : 's'}). Your own notes, goals and decisions are untouched.`,
    );
  return result;
}
