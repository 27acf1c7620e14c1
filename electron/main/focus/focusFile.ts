/**
 * The focus timer's file in the user data folder: settings, reminder preferences, the engine's
 * state and the append-only stats log, as one JSON document written atomically. Reading checks
 * every part on its own: what is intact is kept, a damaged part is reset, and the original file is
 * moved aside (never deleted) so nothing the person had is lost.
 */
import { z } from 'zod';
import {
  defaultFocusConfig,
  initialFocusState,
  parseFocusConfig,
  type FocusConfig,
  type FocusEvent,
  type FocusState,
  type SessionRecord,
} from '../../../shared/focus';
import {
  DEFAULT_FOCUS_PREFERENCES,
  FocusEventSchema,
  FocusPreferencesSchema,
  FocusStateSchema,
  SessionRecordSchema,
  type FocusPreferences,
} from '../../../shared/ipc/focusContract';
import { keepAsideAndSay, readJsonFile, writeFileAtomic, writeFileAtomicSync } from '../jsonFile';

export const FOCUS_FILE_VERSION = 1;

export interface FocusData {
  readonly config: FocusConfig;
  readonly preferences: FocusPreferences;
  readonly state: FocusState;
  readonly log: readonly SessionRecord[];
  readonly lastEvent: FocusEvent | null;
}

export interface LoadedFocusData {
  readonly data: FocusData;
  /** A sentence for the person when something stored could not be used, else null. */
  readonly problem: string | null;
}

/** Fresh data for someone who never used the timer. */
export function freshFocusData(timeZone: string, now: number): FocusData {
  return {
    config: defaultFocusConfig(timeZone),
    preferences: { ...DEFAULT_FOCUS_PREFERENCES },
    state: initialFocusState(now),
    log: [],
    lastEvent: null,
  };
}

export function serializeFocusData(data: FocusData): string {
  return `${JSON.stringify({ version: FOCUS_FILE_VERSION, ...data })}\n`;
}

/** Reads the file; a missing file gives fresh data, a damaged one is kept aside and repaired. */
export async function loadFocusFile(
  filePath: string,
  options: { readonly timeZone: string; readonly now: number },
): Promise<LoadedFocusData> {
  const fresh = freshFocusData(options.timeZone, options.now);
  const read = await readJsonFile(filePath, z.unknown());
  if (read.kind === 'missing') return { data: fresh, problem: null };

  const reset: string[] = [];
  let data = fresh;
  if (read.kind === 'invalid') {
    reset.push(`the file could not be used (${read.reason})`);
  } else if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value)) {
    reset.push('the file does not hold a focus timer');
  } else {
    const stored = read.value as Record<string, unknown>;
    if (stored.version !== FOCUS_FILE_VERSION) {
      reset.push(`the file has an unknown format version (${String(stored.version)})`);
    } else {
      const config = parseFocusConfig(stored.config);
      if (!config.ok) reset.push(`the timer settings were invalid (${config.error.message})`);
      const preferences = FocusPreferencesSchema.safeParse(
        stored.preferences ?? DEFAULT_FOCUS_PREFERENCES,
      );
      if (!preferences.success) reset.push('the reminder preferences were invalid');
      const state = FocusStateSchema.safeParse(stored.state);
      if (!state.success) reset.push('the running timer was damaged');
      const log: SessionRecord[] = [];
      let damagedRecords = 0;
      if (Array.isArray(stored.log)) {
        for (const entry of stored.log) {
          const parsed = SessionRecordSchema.safeParse(entry);
          if (parsed.success) log.push(parsed.data);
          else damagedRecords += 1;
        }
      } else if (stored.log !== undefined) {
        reset.push('the stats log was damaged');
      }
      if (damagedRecords > 0) {
        reset.push(
          `${damagedRecords} damaged stats ${damagedRecords === 1 ? 'entry was' : 'entries were'} left out`,
        );
      }
      const lastEvent = FocusEventSchema.nullable().safeParse(stored.lastEvent ?? null);
      data = {
        config: config.ok ? config.value : fresh.config,
        preferences: preferences.success ? preferences.data : fresh.preferences,
        state: state.success ? state.data : fresh.state,
        log,
        lastEvent: lastEvent.success ? lastEvent.data : null,
      };
    }
  }
  if (reset.length === 0) return { data, problem: null };

  const kept = await keepAsideAndSay(filePath, { subject: 'The original', leftAsIs: true });
  return {
    data,
    problem: `Your focus timer file (${filePath}) was damaged: ${reset.join('; ')}. ${kept}; everything else was kept.`,
  };
}

/** Writes the whole document atomically. */
export function saveFocusFile(filePath: string, data: FocusData): Promise<void> {
  return writeFileAtomic(filePath, serializeFocusData(data));
}

/** The synchronous save for when the app quits. */
export function saveFocusFileSync(filePath: string, data: FocusData): void {
  writeFileAtomicSync(filePath, serializeFocusData(data));
}
