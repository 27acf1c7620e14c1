/**
 * Takes versions of notes and decisions while a workspace is open: when changes to a record have
 * been quiet for a while (`quietMs`), as an "edit" when this person made them and as a "sync"
 * when they came from peers, so history holds teammates' work too; when a record is opened, if it
 * differs from its newest version (the state before this person starts editing); and before a
 * version is restored. A version equal to the newest one of its record is not kept. Who made
 * the changes a version holds comes from the transactions (this person) and from the record's
 * `updatedBy` (a peer's edits carry it; see NoteEditor's `markEdited`).
 *
 * In a workspace whose note bodies are documents of their own (schema 2, `bodies`), a note's text
 * changes are heard from the body documents (`bodies.onUpdate`: this device's edits, and what
 * peers sent, told apart by origin) and its title's from the root, under the same rules. A body
 * is read when its version is taken, then let go, never kept loaded for the recorder; reads that
 * timers start (a peer's sync can touch thousands of notes at once) run one at a time.
 */
import type * as Y from 'yjs';
import { ROOT, notes, decisions } from '../../../shared/model';
import type { BodyDocuments } from '../../../shared/model/bodyDocuments';
import {
  currentVersion,
  readCurrentVersion,
  encodeVersion,
  decodeVersion,
  sameVersion,
  type VersionContent,
  type VersionedKind,
} from '../../../shared/model/versions';
import type { Clock } from '../peer/handshakes';
import { LazyReceipt } from '../peer/lazyPeer';
import {
  recordKey,
  type VersionEntry,
  type VersionStore,
  type VersionTrigger,
} from './versionStore';

export interface VersionRecorderOptions {
  readonly doc: Y.Doc;
  readonly store: VersionStore;
  /** The local person's member id. */
  readonly localMember: string;
  /** Origin of stored data being loaded: not a change. */
  readonly ignoreOrigin: unknown;
  readonly clock: Clock;
  readonly quietMs?: number;
  readonly onError?: (error: unknown) => void;
  /**
   * Where note bodies live when they are documents of their own (schema 2); null or absent: in
   * the records of `doc` (schema 1), observed there.
   */
  readonly bodies?: BodyDocuments | null;
  /**
   * Whether a body update with this origin came from a peer (a "sync" version) rather than from
   * this device (an "edit"). Default: the peer exchange's receipts (`LazyReceipt`).
   */
  readonly fromPeer?: (origin: unknown) => boolean;
}

export interface VersionRecorder {
  /** Keeps the record's current state as a version unless its newest version holds it already. */
  capture(kind: VersionedKind, id: string, trigger: VersionTrigger): Promise<VersionEntry | null>;
  /** Takes the version a record's pending changes would get when they go quiet, now. */
  flush(kind: VersionedKind, id: string): Promise<void>;
  /** Takes every pending version now (the workspace is closing). */
  flushAll(): Promise<void>;
  /** Calls `listener` after each version kept (the history panel refreshes); returns unsubscribe. */
  subscribe(listener: (entry: VersionEntry) => void): () => void;
  destroy(): void;
}

interface Pending {
  readonly kind: VersionedKind;
  readonly id: string;
  trigger: VersionTrigger;
  readonly authors: Set<string>;
  timer: unknown;
}

const ROOTS: ReadonlyArray<[VersionedKind, string]> = [
  ['note', ROOT.notes],
  ['decision', ROOT.decisions],
];

function isEmpty(content: VersionContent): boolean {
  return (
    content.title === '' &&
    content.body.every((node) => node.type === 'paragraph' && !node.content?.length) &&
    Object.values(content.fields).every((value) => !value)
  );
}

export function startVersionRecorder(options: VersionRecorderOptions): VersionRecorder {
  const { doc, store, clock } = options;
  const quietMs = options.quietMs ?? 30_000;
  const pending = new Map<string, Pending>();
  // The newest kept content per record, so an unchanged record is not read back from the store.
  const newest = new Map<string, VersionContent>();
  // Captures of one record run one after another, so two never both see the same "newest".
  const queues = new Map<string, Promise<unknown>>();
  const listeners = new Set<(entry: VersionEntry) => void>();
  let destroyed = false;
  const bodies = options.bodies ?? null;
  const fromPeer = options.fromPeer ?? ((origin: unknown) => origin instanceof LazyReceipt);
  // The lazy store's own origin marks stored rows being applied, not a change (it reports none
  // today; a store that did would not make every note look edited).
  const replayOrigin = bodies && 'origin' in bodies ? bodies.origin : undefined;
  // Body reads started by timers, one after another (see the header).
  let backgroundReads: Promise<unknown> = Promise.resolve();

  /** The record as it is now; `background`: queued behind other background reads. */
  const contentNow = (
    kind: VersionedKind,
    id: string,
    background: boolean,
  ): Promise<VersionContent | null> => {
    // Schema 1 and decisions read the document in memory, at once.
    if (!bodies || kind !== 'note') return Promise.resolve(currentVersion(doc, kind, id));
    // Reads still queued when the recorder stops find the store closing: nothing to take.
    const read = () => (destroyed ? null : readCurrentVersion(doc, bodies, kind, id));
    if (!background) return Promise.resolve(read());
    const queued = backgroundReads.then(read);
    backgroundReads = queued.catch(() => undefined);
    return queued;
  };

  const updatedBy = (kind: VersionedKind, id: string): string | null => {
    const value = (kind === 'note' ? notes : decisions).map(doc, id)?.get('updatedBy');
    return typeof value === 'string' ? value : null;
  };

  const newestStored = async (kind: VersionedKind, id: string): Promise<VersionContent | null> => {
    const key = recordKey(kind, id);
    const known = newest.get(key);
    if (known) return known;
    const [entry] = await store.list(kind, id);
    const bytes = entry ? await store.read(entry.id) : null;
    return bytes ? decodeVersion(bytes) : null;
  };

  /**
   * Keeps `content` (the record as it was when the version was asked for, read then and not when
   * the queue gets to it: the person may have typed on meanwhile) unless it is the newest already.
   */
  const take = async (
    kind: VersionedKind,
    id: string,
    read: Promise<VersionContent | null>,
    trigger: VersionTrigger,
    authors: readonly string[],
  ): Promise<VersionEntry | null> => {
    const content = await read;
    if (!content) return null;
    const key = recordKey(kind, id);
    const previous = await newestStored(kind, id);
    if (previous && sameVersion(previous, content)) return null;
    // A record that is still empty (a note just made) has nothing to go back to yet.
    if (!previous && isEmpty(content)) return null;
    const entry = await store.add(
      { kind, recordId: id, takenAt: clock.now(), trigger, authors: [...authors] },
      encodeVersion(content),
    );
    newest.set(key, content);
    for (const listener of listeners) listener(entry);
    return entry;
  };

  const serial = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const result = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(run);
    queues.set(
      key,
      result.catch(() => undefined),
    );
    return result;
  };

  const settle = (key: string, background = false): Promise<void> => {
    const item = pending.get(key);
    if (!item) return queues.get(key)?.then(() => undefined) ?? Promise.resolve();
    pending.delete(key);
    clock.clearTimeout(item.timer);
    const by = updatedBy(item.kind, item.id);
    if (item.trigger === 'sync' && by) item.authors.add(by);
    const content = contentNow(item.kind, item.id, background);
    // Read failures are reported once, by `take` below.
    content.catch(() => undefined);
    return serial(key, () =>
      take(item.kind, item.id, content, item.trigger, [...item.authors]),
    ).then(
      () => undefined,
      (error: unknown) => options.onError?.(error),
    );
  };

  const changed = (kind: VersionedKind, id: string, local: boolean) => {
    const key = recordKey(kind, id);
    let item = pending.get(key);
    if (!item) {
      item = { kind, id, trigger: local ? 'edit' : 'sync', authors: new Set(), timer: null };
      pending.set(key, item);
    }
    // A version that holds this person's edits is theirs, whatever peers sent meanwhile.
    if (local) {
      item.trigger = 'edit';
      item.authors.add(options.localMember);
    } else {
      const by = updatedBy(kind, id);
      if (by) item.authors.add(by);
    }
    clock.clearTimeout(item.timer);
    item.timer = clock.setTimeout(() => void settle(key, true), quietMs);
  };

  const observers = ROOTS.map(([kind, name]) => {
    const root = doc.getMap<unknown>(name);
    const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tx: Y.Transaction) => {
      if (destroyed || tx.origin === options.ignoreOrigin) return;
      const ids = new Set<string>();
      for (const event of events) {
        if (event.target === root) for (const key of event.changes.keys.keys()) ids.add(key);
        else if (typeof event.path[0] === 'string') ids.add(event.path[0]);
      }
      for (const id of ids) changed(kind, id, tx.local);
    };
    root.observeDeep(observer);
    return () => root.unobserveDeep(observer);
  });
  if (bodies)
    observers.push(
      bodies.onUpdate((id, _update, origin) => {
        if (destroyed || origin === options.ignoreOrigin) return;
        if (replayOrigin !== undefined && origin === replayOrigin) return;
        changed('note', id, !fromPeer(origin));
      }),
    );

  return {
    capture(kind, id, trigger) {
      const key = recordKey(kind, id);
      const content = contentNow(kind, id, false);
      content.catch(() => undefined);
      // Changes waiting to go quiet become their own version first, so they keep their authors
      // (that version holds this same state, so the capture itself then keeps nothing).
      void settle(key);
      // Whose changes this state holds was said by the versions before it.
      return serial(key, () => take(kind, id, content, trigger, []));
    },
    flush(kind, id) {
      return settle(recordKey(kind, id));
    },
    async flushAll() {
      // Queued like the timers' reads: closing a workspace with many pending notes loads their
      // bodies one at a time.
      await Promise.all([...pending.keys()].map((key) => settle(key, true)));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      if (destroyed) return;
      listeners.clear();
      destroyed = true;
      for (const off of observers) off();
      for (const item of pending.values()) clock.clearTimeout(item.timer);
    },
  };
}
