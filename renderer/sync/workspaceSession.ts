/**
 * One open workspace: its Y.Doc, its IndexedDB persistence, and plain snapshots of its records
 * pushed to a listener whenever the document changes (from this device or, later, from peers).
 * Y types stay in here; the store and components only ever see the validated plain snapshots.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  BODIES_LAYOUT_MIGRATIONS,
  MIGRATIONS,
  ROOT,
  decisions,
  goals,
  listMembers,
  migrateWorkspace,
  schemaVersionOf,
  readTrust,
  upsertMember,
  workspaceName,
  type RecordList,
  type Trust,
} from '../../shared/model';
import type { DeviceSigner } from '../../shared/protocol/identity';
import type { Decision, DamagedRecord, Goal, Member } from '../../shared/schema/records';
import type { Profile } from '../../shared/schema/profile';
import {
  createNotesLive,
  type NotesLive,
  type NotesIndexReader,
  type NotesList,
} from '../../shared/model/notesLive';
import { openWorkspaceStorage } from './storage/workspaceStorage';
import { publishStorageEvent } from './storage/events';
import { HISTORY_DOCUMENT, openVersionStore, type VersionStore } from './history/versionStore';
import { workspaceAtRestKey, workspaceRowCodec } from './atRestKeys';
import { keepNotesIndex } from './notesIndexKeeper';
import { startVersionRecorder, type VersionRecorder } from './history/versionRecorder';
import { systemClock } from './peer/handshakes';
import { KEY_ROTATIONS_ROOT, readKeyState, type KeyState } from '../../shared/model/rotations';
import type { StartupWorkspace } from './startupWorkspace';
import type { BodyDocuments } from '../../shared/model/bodyDocuments';
import type { LazyDocs } from './peer/lazyDocs';
import { openLazyDocStore } from './storage/lazyDocStore';
import type { LazyDocStore } from './storage/lazyDocTypes';

export interface WorkspaceSnapshot {
  readonly name: string | null;
  readonly schemaVersion: number;
  /** Its `unread` notes are validated right after the first screen has painted. */
  readonly notes: NotesList;
  /** Snippets, backlinks and full-text search over notes (a new object whenever they change). */
  readonly noteIndex: NotesIndexReader;
  readonly goals: RecordList<Goal>;
  readonly decisions: RecordList<Decision>;
  readonly members: {
    readonly items: readonly Member[];
    readonly damaged: readonly DamagedRecord[];
  };
  /** Every member's devices: what signed votes, check-ins and profiles are verified against. */
  readonly trust: Trust;
  /** Removals, the current workspace key's epoch and revoked devices (docs/PROTOCOL.md §8.7). */
  readonly keys: KeyState;
}

export type ReadyStatus =
  | { readonly state: 'ready'; readonly readOnly: false }
  | { readonly state: 'ready'; readonly readOnly: true; readonly reason: string };

export type SessionStatus = { readonly state: 'loading' } | ReadyStatus;

export interface WorkspaceSession {
  readonly id: string;
  readonly doc: Y.Doc;
  /**
   * Where note bodies live in a schema-2 workspace (each a document of its own, loaded when
   * opened); null while its bodies are embedded in the records of `doc` (schema 1).
   */
  readonly bodies: BodyDocuments | null;
  /** The same documents as peers and relays exchange them (null with `bodies`). */
  readonly lazyDocs: LazyDocs | null;
  /**
   * Presence for this workspace (who is here, their cursor, their focus status). Its local state
   * carries `user: { id, name, color }`; sync providers share it with peers.
   */
  readonly awareness: Awareness;
  /** Resolves once stored data is loaded and migrated. */
  readonly ready: Promise<ReadyStatus>;
  /** Versions of notes and decisions kept on this device (version history). */
  readonly versions: VersionStore;
  /** Takes those versions; null until the workspace is ready. */
  readonly history: () => VersionRecorder | null;
  destroy(): Promise<void>;
}

const everything = { includeArchived: true, includeDeleted: true } as const;

/** Notes validated before the first list: a tall window's list and then some. */
const FIRST_SCREEN_NOTES = 100;

/**
 * Runs `run` once a frame showing the first snapshot has been painted: two frames on, since the
 * first may come before React has rendered it; after 500 ms at most (a hidden window has none).
 */
function afterNextPaint(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(once, 0)));
  setTimeout(once, 500);
}

type SnapshotKey = 'notes' | 'goals' | 'decisions' | 'members' | 'meta';

export interface WorkspaceSessionOptions {
  /**
   * This device's rows hold the workspace in schema 2 (bodiesMigration.ts): the document is its
   * lean root, and note bodies are opened from the workspace's lazy document store.
   */
  readonly bodyDocuments?: boolean;
}

/** Opens a workspace stored on this device (creating its database if new). */
export function openWorkspaceSession(
  id: string,
  profile: Profile,
  onSnapshot: (snapshot: WorkspaceSnapshot) => void,
  /** This workspace's document and storage, opened (and maybe loaded) at start-up. */
  startup: StartupWorkspace | null = null,
  /** Signs this person's member entry as this device (none: the entry is written unsigned). */
  device: DeviceSigner | null = null,
  options: WorkspaceSessionOptions = {},
): WorkspaceSession {
  const doc = startup?.doc ?? new Y.Doc();
  // A peer may write the body of a note the root holds (live, archived or in the trash); a body
  // for a note deleted forever, or one this device has not heard of yet, is refused.
  const bodyStore: LazyDocStore | null = options.bodyDocuments
    ? openLazyDocStore(id, {
        key: workspaceAtRestKey(id),
        accepts: (noteId) => doc.getMap(ROOT.notes).has(noteId),
        // A body that cannot be stored or read is told to the person, as the root's problems are.
        onProblem: (problem) => {
          console.error(`The body of note ${problem.id} in workspace ${id}:`, problem);
          publishStorageEvent({ type: 'body', workspaceId: id, problem });
        },
        // Refused body edits stored again: the save state turns `saved`, as when the root's saves
        // recover, unless the root's own saves are failing still.
        onSavesRecovered: (at) => {
          if (persistence.durable.saveState().state === 'failed') return;
          publishStorageEvent({ type: 'save', workspaceId: id, state: { state: 'saved', at } });
        },
      })
    : null;
  // y-indexeddb behind Outpost's loader: damaged rows set aside, compaction, backups.
  const persistence = openWorkspaceStorage(id, doc, {
    fallbackName: () => 'Workspace',
    durable: startup?.durable,
    // Automatic backups of a schema-2 workspace hold its bodies too, and follow their edits.
    bodies: bodyStore,
  });
  const awareness = new Awareness(doc);
  awareness.setLocalStateField('user', {
    id: profile.memberId,
    name: profile.displayName,
    color: profile.color,
  });
  let snapshot: WorkspaceSnapshot | null = null;
  const dirty = new Set<SnapshotKey>();
  let scheduled = false;
  let destroyed = false;
  let notesLive: NotesLive | null = null;
  const versions = openVersionStore(id, undefined, workspaceRowCodec(id, HISTORY_DOCUMENT));
  let recorder: VersionRecorder | null = null;
  // The stored search index is read while the document loads, and kept stored as notes change.
  const notesIndex = keepNotesIndex(id, workspaceAtRestKey(id), doc, () => notesLive, {
    bodies: bodyStore,
  });

  const compute = (
    key: SnapshotKey,
    previous: WorkspaceSnapshot | null,
  ): Partial<WorkspaceSnapshot> => {
    switch (key) {
      case 'notes':
        // Incremental: only the notes the last changes touched are validated and read again.
        return notesLive ? { notes: notesLive.list(), noteIndex: notesLive.reader() } : {};
      case 'goals':
        return { goals: goals.list(doc, everything) };
      case 'decisions':
        return { decisions: decisions.list(doc, everything) };
      case 'members': {
        const trust = readTrust(doc, id);
        return { members: listMembers(doc), trust, keys: readKeyState(doc, trust) };
      }
      case 'meta':
        return previous?.name === workspaceName(doc) &&
          previous.schemaVersion === schemaVersionOf(doc)
          ? {}
          : { name: workspaceName(doc), schemaVersion: schemaVersionOf(doc) };
    }
  };

  const flush = () => {
    scheduled = false;
    if (destroyed || !snapshot) return;
    let next = snapshot;
    for (const key of dirty) next = { ...next, ...compute(key, next) };
    dirty.clear();
    snapshot = next;
    onSnapshot(next);
  };

  const observe = (key: SnapshotKey, root: string) => {
    const map = doc.getMap(root);
    const handler = () => {
      dirty.add(key);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    };
    map.observeDeep(handler);
  };

  const markNotesDirty = () => {
    notesIndex.changed();
    dirty.add('notes');
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  };

  const ready = persistence.whenLoaded.then((): ReadyStatus => {
    const migrated = migrateWorkspace(doc, bodyStore ? BODIES_LAYOUT_MIGRATIONS : MIGRATIONS);
    if (migrated.ok) {
      try {
        upsertMember(doc, profile, Date.now(), { signer: device ?? undefined, workspace: id });
      } catch (error) {
        // Whatever a peer stored in this person's entry, the workspace still opens (with the
        // entry as it was) rather than failing here.
        console.error('Could not update this person in the member list', error);
      }
    }
    // Only the notes a first screen of the list can show are validated before it paints (40-60 ms
    // sooner with 10,000 notes); the rest right after.
    const live = createNotesLive(doc, {
      onChange: markNotesDirty,
      firstScreen: FIRST_SCREEN_NOTES,
      afterFirstList: afterNextPaint,
      restored: notesIndex.restored,
      ...(bodyStore ? { bodies: bodyStore } : {}),
    });
    notesLive = live;
    doc.getMap(ROOT.notes).observeDeep((events) => {
      live.onEvents(events);
      notesIndex.changed();
    });
    // A note deleted forever (here or by a peer) takes its body document with it.
    if (bodyStore)
      doc.getMap(ROOT.notes).observe((event) => {
        for (const [noteId, change] of event.changes.keys)
          if (change.action === 'delete')
            bodyStore.delete(noteId).catch((error: unknown) => {
              console.error(`Could not delete the body of note ${noteId}`, error);
            });
      });
    snapshot = {
      name: workspaceName(doc),
      schemaVersion: schemaVersionOf(doc),
      notes: live.list(),
      noteIndex: live.reader(),
      goals: goals.list(doc, everything),
      decisions: decisions.list(doc, everything),
      members: listMembers(doc),
      trust: readTrust(doc, id),
      keys: readKeyState(doc, readTrust(doc, id)),
    };
    // User Timing marks (DevTools' Performance panel; the start-up benchmark reads them too).
    performance.mark('outpost:records-read');
    observe('notes', ROOT.notes);
    observe('goals', ROOT.goals);
    observe('decisions', ROOT.decisions);
    observe('members', ROOT.members);
    // Removals are read against the member list's devices, so they refresh together.
    observe('members', KEY_ROTATIONS_ROOT);
    observe('meta', ROOT.meta);
    if (!destroyed)
      recorder = startVersionRecorder({
        doc,
        store: versions,
        localMember: profile.memberId,
        ignoreOrigin: persistence.durable.origin,
        clock: systemClock,
        onError: (error) => console.error('Could not keep a version', error),
        bodies: bodyStore,
      });
    if (!destroyed) onSnapshot(snapshot);
    return migrated.ok
      ? { state: 'ready', readOnly: false }
      : { state: 'ready', readOnly: true, reason: migrated.error.message };
  });

  return {
    id,
    doc,
    bodies: bodyStore,
    lazyDocs: bodyStore,
    awareness,
    ready,
    versions,
    history: () => recorder,
    async destroy() {
      destroyed = true;
      // Edits not yet quiet are kept as versions before the document goes.
      await recorder?.flushAll().catch(() => undefined);
      recorder?.destroy();
      versions.close();
      // Stored before the document goes, so the next open need not read the bodies again.
      await notesIndex.flush().catch(() => undefined);
      notesIndex.close();
      notesLive?.destroy();
      awareness.destroy();
      await persistence.destroy();
      await bodyStore?.close();
      doc.destroy();
    },
  };
}
