/**
 * Editing a team's TURN settings (the `turn` of its record on this device) field by field, as the
 * person types: each field is checked on its own with the schema the record is stored with, and a
 * change is merged into whatever the record holds when it is written, so two fields saved at
 * nearly the same moment both land. Settings with nothing left in them become `null` (no TURN).
 */
import { fail, ok, type Result } from '../../shared/result';
import { MAX_TURN_URLS, TurnSettings, TurnUrl } from '../../shared/protocol/teamNetwork';

/** One field's change. */
export type TurnPatch = Partial<TurnSettings>;

const EMPTY: TurnSettings = { urls: [], username: '', credential: '', relayOnly: false };

/**
 * Reads the addresses field: addresses separated by spaces, commas or line breaks. A failure
 * names the address that is wrong and says what a right one looks like.
 */
export function parseTurnUrls(text: string): Result<string[]> {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length > MAX_TURN_URLS)
    return fail('invalid-input', `A team lists at most ${MAX_TURN_URLS} TURN addresses.`);
  const urls: string[] = [];
  for (const part of parts) {
    const parsed = TurnUrl.safeParse(part);
    if (!parsed.success)
      return fail(
        'invalid-input',
        `“${part.slice(0, 60)}” is not a TURN address. ${parsed.error.issues[0]?.message ?? ''}`.trim(),
      );
    if (!urls.includes(parsed.data)) urls.push(parsed.data);
  }
  return ok(urls);
}

/** Checks one field's change on its own; the message is the schema's, written for people. */
export function checkTurnPatch(patch: TurnPatch): Result<TurnPatch> {
  const parsed = TurnSettings.partial().strict().safeParse(patch);
  return parsed.success
    ? ok(parsed.data)
    : fail(
        'invalid-input',
        parsed.error.issues[0]?.message ?? 'These TURN settings are not valid.',
      );
}

/** The record's settings after a checked change; null when nothing is left set. */
export function applyTurnPatch(
  current: TurnSettings | null,
  patch: TurnPatch,
): TurnSettings | null {
  const next = { ...(current ?? EMPTY), ...patch };
  const empty =
    next.urls.length === 0 && next.username === '' && next.credential === '' && !next.relayOnly;
  return empty ? null : next;
}
