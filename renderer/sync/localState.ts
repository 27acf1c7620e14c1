/**
 * Per-device state: the local profile (who this person is, with their stable member id), the list
 * of workspaces on this device (with team workspaces' secret keys) and the active workspace. Team
 * data never lives here (it is in each workspace's Y.Doc, see storage/).
 *
 * Where it is kept: the `outpost-device` IndexedDB database (deviceStore.ts), one durable
 * transaction per change, awaited before the UI confirms it, so it survives the window being killed
 * right after. Earlier versions kept it in localStorage (written lazily by the browser); those keys
 * are still read when the database has no value, copied into the database, and removed only once
 * the copy has been read back intact.
 *
 * Everything read is validated with zod. A damaged value is kept aside (never deleted) and the
 * caller gets a sentence to show. When the profile is gone but workspaces remain, the members
 * listed in those workspaces are offered (`findIdentities`) so the person keeps their member id.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Profile, PROFILE_COLORS } from '../../shared/schema/profile';
import { TurnSettings } from '../../shared/protocol/teamNetwork';
import { deviceTimeZone, isKnownTimeZone } from '../../shared/time/zonedTime';
import { newId } from '../../shared/core/ids';
import { listMembers, workspaceName } from '../../shared/model';
import { applyStoredRows } from '../../shared/storage/recovery';
import {
  DEVICE_DB,
  DEVICE_KEY,
  readDeviceValue,
  setDeviceValueAside,
  writeDeviceValue,
  type DeviceKey,
} from './deviceStore';
import { UPDATES_STORE, WORKSPACE_DB_PREFIX, readRows } from './storage/idb';
import { workspaceRowCodec } from './atRestKeys';

/** The localStorage keys of earlier versions, read as a fallback and migrated. */
export const LEGACY_KEY = {
  profile: 'outpost.profile',
  workspaces: 'outpost.workspaces',
  activeWorkspace: 'outpost.activeWorkspace',
} as const;
export { WORKSPACE_DB_PREFIX } from './storage/idb';

export const WorkspaceEntry = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    name: z.string().min(1).max(80),
    /** `team` workspaces sync with peers holding the same secret key (docs/PROTOCOL.md). */
    kind: z.enum(['personal', 'local', 'team']),
    createdAt: z.number().int().nonnegative(),
    /**
     * A team workspace's secret key, unpadded base64url. It is kept beside the workspace data it
     * unlocks (this profile's storage): whoever can read one can read the other, so encrypting
     * it separately would add no protection.
     */
    secretKey: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/)
      .optional(),
    /**
     * The team's relays (ws:// or wss:// URLs, renderer/sync/relay/relayUrl.ts): store-and-forward
     * mailboxes this device writes to and reads from. Read loosely, so an address written by a
     * newer version never sets the whole entry aside; the relay client skips one it cannot use.
     */
    relays: z.array(z.string().max(2048)).max(32).default([]),
    /**
     * The team's keys before its latest removals, newest first (docs/PROTOCOL.md §8.7): this
     * device stays in their rooms, without syncing the document there, to hand the removal to
     * teammates who were offline, until every remaining device has moved.
     */
    formerKeys: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{43}$/))
      .max(4)
      .optional(),
    /** A team's TURN server, for peers that cannot reach each other directly; none by default. */
    turn: TurnSettings.nullable().default(null),
    /**
     * The restricted invite (single use or expiring) this device joined with, its terms and when
     * it joined (shared/model/inviteUses.ts): the use it signs, writes into the workspace and
     * shows teammates at the handshake. Builds before teammates checked uses stored a random
     * token instead and no terms: such an entry was single use, joined when it was created.
     */
    joinedWith: z
      .object({
        inviteId: z.string().regex(/^[0-9a-f]{16}$/),
        at: z.number().int().nonnegative().optional(),
        expiresAt: z.number().int().nonnegative().nullable().default(null),
        singleUse: z.boolean().default(true),
        token: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .refine((entry) => entry.kind !== 'team' || entry.secretKey !== undefined, {
    message: 'A team workspace needs its secret key.',
  });
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>;

const WorkspaceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export interface LoadResult<T> {
  readonly value: T;
  /** A readable note when stored data was damaged and set aside, or could not be read. */
  readonly problem?: string;
}

/** One piece of device state: where it lives now, where it lived before, how it is checked. */
interface Slot<T> {
  readonly key: DeviceKey;
  readonly legacyKey: string;
  readonly schema: z.ZodType<T>;
  /** How the value is spelled in localStorage (JSON, or the raw string). */
  readonly legacyJson: boolean;
  /** For messages: "Your saved profile". */
  readonly what: string;
}

const PROFILE_SLOT: Slot<Profile> = {
  key: DEVICE_KEY.profile,
  legacyKey: LEGACY_KEY.profile,
  schema: Profile,
  legacyJson: true,
  what: 'Your saved profile',
};
const WORKSPACES_SLOT: Slot<WorkspaceEntry[]> = {
  key: DEVICE_KEY.workspaces,
  legacyKey: LEGACY_KEY.workspaces,
  schema: z.array(WorkspaceEntry),
  legacyJson: true,
  what: 'The list of workspaces on this device',
};
const ACTIVE_SLOT: Slot<string> = {
  key: DEVICE_KEY.activeWorkspace,
  legacyKey: LEGACY_KEY.activeWorkspace,
  schema: WorkspaceId,
  legacyJson: false,
  what: 'The last open workspace',
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function legacyGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * Reads a slot: the database value if it is valid; otherwise (missing or damaged, the damaged one
 * set aside) the localStorage value of earlier versions, copied into the database.
 * `value` is null when neither holds a valid value.
 */
async function loadSlot<T>(slot: Slot<T>): Promise<LoadResult<T | null>> {
  const problems: string[] = [];
  let stored: unknown;
  let dbUsable = true;
  try {
    stored = await readDeviceValue(slot.key);
  } catch (error) {
    dbUsable = false;
    problems.push(
      `${slot.what} could not be read from this device’s database (${describe(error)}). Changes may not be kept after Outpost closes.`,
    );
  }
  if (stored !== undefined) {
    const parsed = slot.schema.safeParse(stored);
    if (parsed.success) {
      // The database copy is confirmed: an earlier version's copy is no longer needed.
      if (legacyGet(slot.legacyKey) !== null) removeLegacy(slot.legacyKey);
      return { value: parsed.data };
    }
    try {
      const aside = await setDeviceValueAside(slot.key, stored);
      problems.push(`${slot.what} was damaged. It was kept aside as “${aside}” in ${DEVICE_DB}.`);
    } catch (error) {
      problems.push(`${slot.what} was damaged and could not be set aside (${describe(error)}).`);
    }
  }

  const legacy = readLegacy(slot);
  if (legacy.problem) problems.push(legacy.problem);
  if (legacy.value !== null && dbUsable) {
    try {
      await writeDeviceValue(slot.key, legacy.value);
      const back = slot.schema.safeParse(await readDeviceValue(slot.key));
      if (back.success && JSON.stringify(back.data) === JSON.stringify(legacy.value))
        removeLegacy(slot.legacyKey);
    } catch (error) {
      problems.push(
        `${slot.what} could not be moved to this device’s database (${describe(error)}); it stays where it was.`,
      );
    }
  }
  return problems.length > 0
    ? { value: legacy.value, problem: problems.join(' ') }
    : { value: legacy.value };
}

/** An earlier version's localStorage value; a damaged one is kept under `<key>.corrupt-<time>`. */
function readLegacy<T>(slot: Slot<T>): LoadResult<T | null> {
  const raw = legacyGet(slot.legacyKey);
  if (raw === null) return { value: null };
  try {
    const parsed = slot.schema.safeParse(slot.legacyJson ? JSON.parse(raw) : raw);
    if (parsed.success) return { value: parsed.data };
  } catch {
    // unreadable JSON is handled like invalid data
  }
  const aside = `${slot.legacyKey}.corrupt-${Date.now()}`;
  try {
    localStorage.setItem(aside, raw);
    localStorage.removeItem(slot.legacyKey);
  } catch {
    return { value: null, problem: `${slot.what} (from an earlier version) was damaged.` };
  }
  return {
    value: null,
    problem: `${slot.what} (from an earlier version) was damaged. It was kept as ${aside}.`,
  };
}

function removeLegacy(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing to do: the value is safely in the database, the old copy is only a fallback
  }
}

async function save(key: DeviceKey, what: string, value: unknown): Promise<void> {
  try {
    await writeDeviceValue(key, value);
  } catch (error) {
    throw new Error(`${what} could not be saved on this device: ${describe(error)}`, {
      cause: error,
    });
  }
}

/** The stored profile, or null on first run (or when it was lost or damaged). */
export async function loadProfile(): Promise<LoadResult<Profile | null>> {
  const result = await loadSlot(PROFILE_SLOT);
  if (result.value !== null || !result.problem) return result;
  return {
    value: null,
    problem: `${result.problem} Pick yourself from your workspaces’ members, or enter your name again.`,
  };
}

/** Saves the profile durably; rejects with a readable message when it could not be written. */
export function saveProfile(profile: Profile): Promise<void> {
  return save(DEVICE_KEY.profile, 'Your profile', profile);
}

/** A new profile draft with a fresh member id, a color and this device's time zone. */
export function draftProfile(): Omit<Profile, 'displayName'> {
  const color =
    PROFILE_COLORS[Math.floor(Math.random() * PROFILE_COLORS.length)] ?? PROFILE_COLORS[0];
  return {
    memberId: newId(),
    color,
    timeZone: deviceTimeZone(),
  };
}

/**
 * The workspaces on this device. Workspace databases that the list does not name (the list was
 * missing or damaged) are added back, so no workspace becomes unreachable.
 */
export async function loadWorkspaces(): Promise<LoadResult<WorkspaceEntry[]>> {
  const loaded = await loadSlot(WORKSPACES_SLOT);
  const known = loaded.value ?? [];
  const found = await workspacesOnlyInIndexedDb(known);
  if (found.length === 0) return { value: known, problem: loaded.problem };
  const value = [...known, ...found];
  const problems = loaded.problem ? [loaded.problem] : [];
  if (loaded.value === null && !loaded.problem)
    problems.push('The list of workspaces on this device was missing.');
  problems.push(`${found.length} workspace(s) were found again in local storage.`);
  try {
    await saveWorkspaces(value);
  } catch (error) {
    problems.push(describe(error));
  }
  return { value, problem: problems.join(' ') };
}

/** Workspace databases in IndexedDB that `known` does not list, as entries to add back. */
async function workspacesOnlyInIndexedDb(
  known: readonly WorkspaceEntry[],
): Promise<WorkspaceEntry[]> {
  const ids = new Set(known.map((entry) => entry.id));
  const hasPersonal = known.some((entry) => entry.kind === 'personal');
  return (await workspaceDatabaseIds())
    .filter((id) => !ids.has(id))
    .map((id, index) => ({
      id,
      // The workspace's own name (in its document) replaces this once it is opened.
      name: !hasPersonal && index === 0 ? 'Personal' : `Recovered workspace ${index + 1}`,
      kind: !hasPersonal && index === 0 ? ('personal' as const) : ('local' as const),
      createdAt: Date.now(),
      relays: [],
      turn: null,
    }))
    .filter((entry) => WorkspaceEntry.safeParse(entry).success);
}

async function workspaceDatabaseIds(): Promise<string[]> {
  const databases = (await indexedDB.databases?.().catch(() => [])) ?? [];
  return databases
    .map((db) => db.name ?? '')
    .filter((name) => name.startsWith(WORKSPACE_DB_PREFIX))
    .map((name) => name.slice(WORKSPACE_DB_PREFIX.length));
}

/** Saves the list durably; rejects with a readable message when it could not be written. */
export function saveWorkspaces(entries: readonly WorkspaceEntry[]): Promise<void> {
  return save(DEVICE_KEY.workspaces, 'The list of workspaces', [...entries]);
}

/** The workspace that was open last (its damage, rarely worth a word, is still reported). */
export function loadActiveWorkspaceId(): Promise<LoadResult<string | null>> {
  return loadSlot(ACTIVE_SLOT);
}

export function saveActiveWorkspaceId(id: string): Promise<void> {
  return save(DEVICE_KEY.activeWorkspace, 'The open workspace', id);
}

/** A person listed in a workspace on this device, offered when the profile is gone. */
export interface IdentityCandidate {
  readonly memberId: string;
  readonly name: string;
  readonly color: string;
  readonly timeZone: string;
  readonly updatedAt: number;
  /** Names of the workspaces on this device that list this person. */
  readonly workspaces: readonly string[];
  /** Listed in a personal workspace, which only ever holds its owner. */
  readonly inPersonal: boolean;
}

/**
 * The members listed in the given workspaces, read straight from their stored rows (read-only,
 * damaged rows skipped). Likeliest first: the personal workspace's owner, then people listed in
 * more workspaces, then the most recently updated.
 */
export async function findIdentities(
  entries: readonly WorkspaceEntry[],
): Promise<IdentityCandidate[]> {
  const existing = new Set(await workspaceDatabaseIds());
  const byId = new Map<string, IdentityCandidate>();
  for (const entry of entries) {
    if (!existing.has(entry.id)) continue;
    const read = await readWorkspaceMembers(entry);
    if (!read) continue;
    for (const member of read.members) {
      const previous = byId.get(member.id);
      const newer = !previous || member.updatedAt > previous.updatedAt;
      byId.set(member.id, {
        memberId: member.id,
        name: newer ? member.name : previous.name,
        color: newer ? member.color : previous.color,
        timeZone: newer ? member.timeZone : previous.timeZone,
        updatedAt: Math.max(member.updatedAt, previous?.updatedAt ?? 0),
        workspaces: [...(previous?.workspaces ?? []), read.name],
        inPersonal: (previous?.inPersonal ?? false) || entry.kind === 'personal',
      });
    }
  }
  return [...byId.values()]
    .filter((candidate) => Profile.shape.memberId.safeParse(candidate.memberId).success)
    .sort(
      (a, b) =>
        Number(b.inPersonal) - Number(a.inPersonal) ||
        b.workspaces.length - a.workspaces.length ||
        b.updatedAt - a.updatedAt,
    );
}

async function readWorkspaceMembers(
  entry: WorkspaceEntry,
): Promise<{ name: string; members: ReturnType<typeof listMembers>['items'] } | null> {
  let db: IDBDatabase | null = null;
  const doc = new Y.Doc();
  try {
    // Opened without a version: an existing database is never upgraded or changed.
    db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(WORKSPACE_DB_PREFIX + entry.id);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    if (!db.objectStoreNames.contains(UPDATES_STORE)) return null;
    const rows = await readRows(db);
    const codec = workspaceRowCodec(entry.id);
    const opened = await Promise.all(rows.values.map((value) => codec.open(value)));
    applyStoredRows(
      doc,
      rows.keys.flatMap((key, index) => {
        const row = opened[index];
        return row?.ok ? [{ key, value: row.value }] : [];
      }),
      'identity-recovery',
    );
    return { name: workspaceName(doc) ?? entry.name, members: listMembers(doc).items };
  } catch {
    return null;
  } finally {
    db?.close();
    doc.destroy();
  }
}

/** A profile for `candidate` on this device (its time zone if this runtime knows it). */
export function profileFromIdentity(candidate: IdentityCandidate): Profile | null {
  const parsed = Profile.safeParse({
    memberId: candidate.memberId,
    displayName: candidate.name,
    color: candidate.color,
    timeZone: isKnownTimeZone(candidate.timeZone) ? candidate.timeZone : deviceTimeZone(),
  });
  return parsed.success ? parsed.data : null;
}
