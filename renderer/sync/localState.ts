/**
 * Per-device state kept in localStorage: the local profile and the list of workspaces on this
 * device. Team data never lives here (it is in each workspace's Y.Doc in IndexedDB). A corrupt entry
 * is kept aside under a `.corrupt-<time>` key, never deleted, and the caller is told.
 */
import { z } from 'zod';
import { Profile, PROFILE_COLORS } from '../../shared/schema/profile';
import { newId } from '../../shared/model/ids';

const PROFILE_KEY = 'outpost.profile';
const WORKSPACES_KEY = 'outpost.workspaces';
const ACTIVE_KEY = 'outpost.activeWorkspace';
export const WORKSPACE_DB_PREFIX = 'outpost-ws-';

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
  })
  .refine((entry) => entry.kind !== 'team' || entry.secretKey !== undefined, {
    message: 'A team workspace needs its secret key.',
  });
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>;

export interface LoadResult<T> {
  readonly value: T;
  /** A readable note when stored data was damaged and set aside. */
  readonly problem?: string;
}

function setAside(key: string, raw: string): string {
  const aside = `${key}.corrupt-${Date.now()}`;
  localStorage.setItem(aside, raw);
  localStorage.removeItem(key);
  return aside;
}

/** The stored profile, or null on first run (or when it was damaged and set aside). */
export function loadProfile(): LoadResult<Profile | null> {
  const raw = localStorage.getItem(PROFILE_KEY);
  if (raw === null) return { value: null };
  try {
    const parsed = Profile.safeParse(JSON.parse(raw));
    if (parsed.success) return { value: parsed.data };
  } catch {
    // fall through: unreadable JSON is handled like invalid data
  }
  const aside = setAside(PROFILE_KEY, raw);
  return {
    value: null,
    problem: `Your saved profile was damaged. It was kept as ${aside}; please enter your name again.`,
  };
}

export function saveProfile(profile: Profile): void {
  localStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
}

/** A new profile draft with a fresh member id, a color and this device's time zone. */
export function draftProfile(): Omit<Profile, 'displayName'> {
  const color =
    PROFILE_COLORS[Math.floor(Math.random() * PROFILE_COLORS.length)] ?? PROFILE_COLORS[0];
  return {
    memberId: newId(),
    color,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  };
}

/**
 * The workspaces on this device. When the list is damaged it is set aside and rebuilt from the
 * IndexedDB databases that hold workspaces, so no workspace becomes unreachable.
 */
export async function loadWorkspaces(): Promise<LoadResult<WorkspaceEntry[]>> {
  const raw = localStorage.getItem(WORKSPACES_KEY);
  // Browsers write localStorage lazily (seconds later), while each edit reaches IndexedDB at
  // once: after a crash the list can miss workspaces whose data is safely stored. Find them again.
  if (raw === null) {
    const found = await workspacesOnlyInIndexedDb([]);
    if (found.length > 0) saveWorkspaces(found);
    return found.length === 0
      ? { value: [] }
      : {
          value: found,
          problem: `The list of workspaces on this device was missing (Outpost may have been closed abruptly). ${found.length} workspace(s) were found again in local storage.`,
        };
  }
  try {
    const parsed = z.array(WorkspaceEntry).safeParse(JSON.parse(raw));
    if (parsed.success) {
      const found = await workspacesOnlyInIndexedDb(parsed.data);
      if (found.length === 0) return { value: parsed.data };
      const value = [...parsed.data, ...found];
      saveWorkspaces(value);
      return { value };
    }
  } catch {
    // fall through
  }
  const aside = setAside(WORKSPACES_KEY, raw);
  const databases = (await indexedDB.databases?.()) ?? [];
  const recovered: WorkspaceEntry[] = databases
    .map((db) => db.name ?? '')
    .filter((name) => name.startsWith(WORKSPACE_DB_PREFIX))
    .map((name, index) => ({
      id: name.slice(WORKSPACE_DB_PREFIX.length),
      name: index === 0 ? 'Personal' : `Recovered workspace ${index}`,
      kind: index === 0 ? ('personal' as const) : ('local' as const),
      createdAt: Date.now(),
    }))
    .filter((entry) => WorkspaceEntry.safeParse(entry).success);
  saveWorkspaces(recovered);
  return {
    value: recovered,
    problem: `The list of workspaces on this device was damaged (kept as ${aside}). ${recovered.length} workspace(s) were found again from local storage.`,
  };
}

/** Workspace databases in IndexedDB that `known` does not list, as entries to add back. */
async function workspacesOnlyInIndexedDb(
  known: readonly WorkspaceEntry[],
): Promise<WorkspaceEntry[]> {
  const ids = new Set(known.map((entry) => entry.id));
  const databases = (await indexedDB.databases?.().catch(() => [])) ?? [];
  return databases
    .map((db) => db.name ?? '')
    .filter((name) => name.startsWith(WORKSPACE_DB_PREFIX))
    .map((name) => name.slice(WORKSPACE_DB_PREFIX.length))
    .filter((id) => !ids.has(id))
    .map((id, index) => ({
      id,
      // The workspace's own name (in its document) replaces this once it is opened.
      name: known.length === 0 && index === 0 ? 'Personal' : `Recovered workspace ${index + 1}`,
      kind: known.length === 0 && index === 0 ? ('personal' as const) : ('local' as const),
      createdAt: Date.now(),
    }))
    .filter((entry) => WorkspaceEntry.safeParse(entry).success);
}

export function saveWorkspaces(entries: readonly WorkspaceEntry[]): void {
  localStorage.setItem(WORKSPACES_KEY, JSON.stringify(entries));
}

export function loadActiveWorkspaceId(): string | null {
  return localStorage.getItem(ACTIVE_KEY);
}

export function saveActiveWorkspaceId(id: string): void {
  localStorage.setItem(ACTIVE_KEY, id);
}
