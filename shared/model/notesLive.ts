/**
 * The notes of an open workspace, kept up to date incrementally for a list of 10,000 notes:
 * validated records are cached by id and only the ids a change touched are read again; snippets,
 * backlinks and the search index are derived from bodies, one changed note at a time. Body text is
 * re-read after typing settles (not on every keystroke), and the first full pass over all bodies
 * runs in small slices after the list has painted.
 *
 * When bodies are documents of their own (schema 2, `NotesLiveOptions.bodies`), they are read a
 * few at a time from the body store in the background, each digested while loaded and released
 * at once; the reader answers from what was derived, never from a body.
 */
import * as Y from 'yjs';
import { notes, noteBody, NOTE_BODY_KEY } from './notes';
import { ROOT } from './roots';
import { bodySnippet, digestBody, inspectBody } from './notesBody';
import type { NoteSearchHit, NoteSearchIndex, SavedNoteSearchIndex } from './notesSearch';
import { notesChangedSince } from './notesChangedSince';
import type { RecordList } from './collection';
import type { DamagedRecord, Note, RecordRead } from '../schema/records';
import { oneLine } from '../core/text';
import { describeThrown } from './damage';
import type { BodyDocuments } from './bodyDocuments';
import {
  BODY_NOT_RICH_TEXT,
  UNKNOWN_STAMP,
  digestBodyDoc,
  listStamps,
  storedStamp,
  unreadableBody,
  type DigestedBody,
} from './notesBodyReads';

/** Read-only, plain-data queries over the derived notes data; a new object after every change. */
export interface NotesIndexReader {
  readonly version: number;
  /** Notes whose bodies have been read into the index so far, and how many there are. */
  readonly indexed: number;
  readonly total: number;
  snippet(id: string): string;
  /** Ids of notes (live or not) whose bodies link to `id`. */
  backlinks(id: string): readonly string[];
  /** Ids of notes `id` links to. */
  links(id: string): readonly string[];
  /** Problems that keep a body read-only (unknown content from another version). */
  bodyProblems(id: string): readonly string[];
  search(query: string, limit?: number): NoteSearchHit[];
}

/** The notes list; `unread` notes are not validated yet (see `NotesLiveOptions.firstScreen`). */
export interface NotesList extends RecordList<Note> {
  readonly unread: number;
}

/** What is derived from every body, as plain data to store (see `NotesLive.saved`). */
export interface SavedNotesIndex {
  readonly index: SavedNoteSearchIndex;
  readonly links: ReadonlyArray<readonly [id: string, links: string[]]>;
  readonly problems: ReadonlyArray<readonly [id: string, problems: string[]]>;
  /**
   * Schema 2: the stamp of each body as it was read (notesBodyReads.ts), so that a later open
   * reads again only bodies stored differently since. Notes with no stored body have none.
   */
  readonly bodies?: ReadonlyArray<readonly [id: string, stamp: string]>;
}

/** A stored index, loaded, with the snapshot of the document it reflects. */
export interface RestoredNotesIndex {
  readonly index: NoteSearchIndex;
  readonly links: SavedNotesIndex['links'];
  readonly problems: SavedNotesIndex['problems'];
  readonly bodies?: SavedNotesIndex['bodies'];
  readonly snapshot: Uint8Array;
}

/**
 * Past this many items changed since a restored index was saved, every body is read again (in
 * the background, the restored index answering meanwhile) rather than followed change by change.
 */
const CATCH_UP_ITEMS = 200_000;

export interface NotesLiveOptions {
  /** Called when derived data changed outside a document event (after a deferred re-read). */
  readonly onChange: () => void;
  /** How long typing must pause before a body is read again (ms). */
  readonly textDelayMs?: number;
  /** Time slice for the first pass over all bodies (ms). */
  readonly sliceMs?: number;
  /**
   * During that pass, how often the snippets and links read so far are reported through
   * `onChange` (ms; the end of the pass always is). Reporting every slice re-rendered the list
   * ~100 times a second while 10,000 bodies were read, and a click waited behind those renders.
   */
  readonly reportEveryMs?: number;
  readonly schedule?: (run: () => void, delayMs: number) => unknown;
  readonly cancel?: (handle: unknown) => void;
  /**
   * The full-text index, or a promise of it. By default its module (MiniSearch) is imported when
   * the notes are first read, so it is not part of what an app must load before its first paint;
   * until it arrives, bodies wait to be indexed (and searched). Pass an instance to index at once
   * (tests and benchmarks that `flush()` right away).
   */
  readonly searchIndex?: NoteSearchIndex | Promise<NoteSearchIndex>;
  /**
   * An index stored by an earlier session (or the promise of one; null: none usable). It is used
   * as it arrives, instead of `searchIndex`: only the notes changed since its snapshot are read
   * again, so search answers without every body being read. With null, `searchIndex` is used.
   */
  readonly restored?: Promise<RestoredNotesIndex | null>;
  /**
   * Validate only about this many notes before the first list: the newest edits (the first screen
   * of the list), every pinned note and every note whose edit time is unreadable (it will be listed
   * as damaged). What the first list holds is then exactly the start of the whole list, in order;
   * the other notes are counted as `unread` until `afterFirstList` runs, which validates them all
   * and reports the change through `onChange`. Without it every note is validated at once.
   */
  readonly firstScreen?: number;
  /** Runs the validation of the notes left for later (by default with `schedule(run, 0)`). */
  readonly afterFirstList?: (run: () => void) => void;
  /**
   * The workspace's body documents (schema 2): note records hold no body, and each body is read
   * from here. Without it bodies are read from the records (schema 1).
   */
  readonly bodies?: BodyDocuments;
  /** Schema 2: how many bodies are read at a time (default 4). */
  readonly readsAtOnce?: number;
}

export interface NotesLive {
  /** The validated notes (live, archived and trashed), newest edit first, and damaged ones. */
  list(): NotesList;
  reader(): NotesIndexReader;
  /** Feeds the events of `observeDeep` on the notes root. */
  onEvents(events: ReadonlyArray<Y.YEvent<Y.AbstractType<unknown>>>): void;
  /**
   * Reads every pending body now (tests and benchmarks); into the index once it has loaded. With
   * body documents (schema 2) the reads only start: `settled` tells when they are done.
   */
  flush(): void;
  /** Resolves once no body is waiting to be read or being read (and the index has loaded). */
  settled(): Promise<void>;
  /**
   * Everything derived from bodies, to store, when it reflects the document as it is now (every
   * body read, no change waiting to be); null while it does not.
   */
  saved(): SavedNotesIndex | null;
  destroy(): void;
}

const NO_IDS: readonly string[] = [];

/** The list's order: newest edit first, ties by id. */
const newestFirst = (a: { id: string; updatedAt: number }, b: { id: string; updatedAt: number }) =>
  b.updatedAt - a.updatedAt || a.id.localeCompare(b.id);

/** Ids of notes an `observeDeep` batch on the notes root touched, split by what changed. */
export function notesTouchedBy(
  root: Y.Map<unknown>,
  events: ReadonlyArray<Y.YEvent<Y.AbstractType<unknown>>>,
): { meta: Set<string>; body: Set<string> } {
  const meta = new Set<string>();
  const body = new Set<string>();
  for (const event of events) {
    if (event.target === root) {
      for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
        meta.add(key);
        body.add(key);
      }
      continue;
    }
    const id = event.path[0];
    if (typeof id !== 'string') continue;
    if (event.path[1] === 'body') body.add(id);
    else {
      meta.add(id);
      if (event.path.length === 1 && (event as Y.YMapEvent<unknown>).keysChanged?.has('body'))
        body.add(id);
    }
  }
  return { meta, body };
}

/** Starts following the notes of a document. */
export function createNotesLive(doc: Y.Doc, options: NotesLiveOptions): NotesLive {
  const root = doc.getMap<unknown>(ROOT.notes);
  const schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
  const cancel = options.cancel ?? ((handle) => clearTimeout(handle as number));
  const textDelayMs = options.textDelayMs ?? 300;
  const sliceMs = options.sliceMs ?? 8;
  const reportEveryMs = options.reportEveryMs ?? 250;
  let lastReport = Number.NEGATIVE_INFINITY;

  const reads = new Map<string, RecordRead<Note>>();
  const staleMeta = new Set<string>();
  const staleBody = new Set<string>();
  const unindexed = new Set<string>();
  const snippets = new Map<string, string>();
  const outgoing = new Map<string, readonly string[]>();
  const incoming = new Map<string, Set<string>>();
  const problems = new Map<string, readonly string[]>();
  let index: NoteSearchIndex | null = null;
  let cached: NotesList | null = null;
  let version = 0;
  let currentReader: NotesIndexReader | null = null;
  let textTimer: unknown = null;
  let sliceTimer: unknown = null;
  let destroyed = false;
  let settledWaiters: Array<() => void> = [];

  // Schema 2 (bodies are documents of their own): what is being read, and how far.
  const bodies = options.bodies ?? null;
  const readsAtOnce = Math.max(1, options.readsAtOnce ?? 4);
  /** Changed bodies whose settle delay has passed, to read again. */
  const rereads = new Set<string>();
  const reading = new Set<string>();
  /** The stamp of each body as last read (notesBodyReads.ts), which `saved` stores. */
  const stamps = new Map<string, string>();
  /** The first pass over every body, in the list's order (first screen first), and how far. */
  let firstPass: readonly string[] = [];
  let passAt = 0;
  /**
   * Every stored body's stamp, listed once before the first pass (one listing instead of a
   * lookup per body), with the bodies changed since it was taken, whose stamps it no longer
   * tells. Dropped when the pass is over.
   */
  let passStamps: ReadonlyMap<string, string> | null = null;
  const changedSinceListed = new Set<string>();
  let listing = false;

  const readOne = (id: string): RecordRead<Note> => notes.get(doc, id)!;
  const freshIndex = () =>
    options.searchIndex ?? import('./notesSearch').then((module) => new module.NoteSearchIndex());
  const indexSource = options.restored
    ? options.restored.then(
        (restored) => (restored && !destroyed ? restoreFrom(restored) : freshIndex()),
        (error: unknown) => {
          console.warn('The stored notes index was not used', error);
          return freshIndex();
        },
      )
    : freshIndex();
  /** Notes not validated yet, with what is stored for them. */
  const unread = new Map<string, unknown>();
  root.forEach((value, id) => {
    unread.set(id, value);
    unindexed.add(id);
  });

  const readStored = (id: string, value: unknown) => {
    reads.set(id, notes.read(id, value));
    unread.delete(id);
  };
  /** Validates every note not read yet; tells whether there was any (the list is then stale). */
  function readRest(): boolean {
    if (unread.size === 0) return false;
    for (const [id, value] of unread) readStored(id, value);
    cached = null;
    return true;
  }
  /** Validates the notes the first screen of the list shows (see `firstScreen`). */
  function readFirstScreen(count: number): void {
    const newest: Array<{ id: string; updatedAt: number }> = [];
    for (const [id, value] of unread) {
      const at = value instanceof Y.Map ? value.get('updatedAt') : undefined;
      if (typeof at !== 'number' || !Number.isFinite(at) || (value as Y.Map<unknown>).get('pinned'))
        readStored(id, value);
      else newest.push({ id, updatedAt: at });
    }
    // The list's own order, so the notes read are the start of it.
    newest.sort(newestFirst);
    for (const { id } of newest.slice(0, count)) readStored(id, unread.get(id));
  }
  if (options.firstScreen === undefined || unread.size <= options.firstScreen) readRest();
  else {
    readFirstScreen(options.firstScreen);
    (options.afterFirstList ?? ((run) => schedule(run, 0)))(() => {
      if (destroyed || !readRest()) return;
      changed();
      options.onChange();
    });
  }

  /** A stored index taken over; schema 2 first lists what is stored of every body to compare. */
  function restoreFrom(restored: RestoredNotesIndex): NoteSearchIndex | Promise<NoteSearchIndex> {
    if (!bodies) return restore(restored);
    return listStamps(bodies).then(
      (current) => {
        if (destroyed) return freshIndex();
        passStamps = current;
        return restore(restored, current);
      },
      (error: unknown) => {
        console.warn('The stored notes index was not used (bodies not listed)', error);
        return freshIndex();
      },
    );
  }

  /**
   * Takes a stored index over: its notes are indexed already, except those changed since it was
   * saved (all of them, when that is too much to follow); notes it holds that are gone are dropped.
   * With body documents (`current`: each stored body's stamp now), a note is changed too when its
   * body's stamp is not the one stored with the index (a body read again, or never read, since).
   */
  function restore(
    restored: RestoredNotesIndex,
    current?: ReadonlyMap<string, string>,
  ): NoteSearchIndex {
    const since = notesChangedSince(doc, restored.snapshot, CATCH_UP_ITEMS);
    for (const [id, links] of restored.links) if (root.has(id)) setLinks(id, links);
    for (const [id, found] of restored.problems) if (root.has(id)) problems.set(id, found);
    for (const id of [...restored.index.ids()]) if (!root.has(id)) restored.index.remove(id);
    if (since.kind === 'too-many') return restored.index;
    const then = current && new Map(restored.bodies ?? []);
    /** Whether body `id` is stored as it was when the index was saved (keeping its stamp). */
    const sameBody = (id: string): boolean => {
      if (!then || !current) return true;
      const stamp = then.get(id);
      // No stamp on either side: no body stored then or now. `UNKNOWN_STAMP` matches nothing.
      if (stamp !== current.get(id)) return false;
      if (stamp !== undefined) stamps.set(id, stamp);
      return true;
    };
    for (const id of [...unindexed])
      if (
        restored.index.has(id) &&
        !(since.kind === 'changed' && since.notes.has(id)) &&
        sameBody(id)
      )
        unindexed.delete(id);
    // Notes without a body are never in the index: they are read again (cheap) to find that out.
    return restored.index;
  }

  function setLinks(id: string, links: readonly string[]): void {
    for (const target of outgoing.get(id) ?? NO_IDS) incoming.get(target)?.delete(id);
    if (links.length === 0) outgoing.delete(id);
    else outgoing.set(id, links);
    for (const target of links) {
      let set = incoming.get(target);
      if (!set) incoming.set(target, (set = new Set()));
      set.add(id);
    }
  }

  function forget(id: string): void {
    reads.delete(id);
    unread.delete(id);
    snippets.delete(id);
    problems.delete(id);
    unindexed.delete(id);
    rereads.delete(id);
    stamps.delete(id);
    setLinks(id, NO_IDS);
    index?.remove(id);
  }

  /**
   * Reads one body into snippets, links and the index. Before the index has loaded, the body
   * stays in `unindexed` so that it is indexed (read again) once it has.
   */
  function digest(id: string): void {
    if (index) unindexed.delete(id);
    else unindexed.add(id);
    const fragment = noteBody(doc, id);
    const read = reads.get(id);
    if (!fragment || !read) {
      unindexed.delete(id);
      setLinks(id, NO_IDS);
      index?.remove(id);
      // A body that is there but is not rich text is damage to show, not an empty note.
      if (read?.ok && notes.map(doc, id)?.has(NOTE_BODY_KEY))
        problems.set(id, [BODY_NOT_RICH_TEXT]);
      else problems.delete(id);
      return;
    }
    let body: ReturnType<typeof digestBody>;
    let found: string[];
    try {
      body = digestBody(fragment);
      found = inspectBody(fragment);
    } catch (error) {
      // Whatever a peer stored in one body, the other notes are still listed and indexed.
      body = { text: '', links: [] };
      found = [describeThrown(error)];
    }
    applyDigest(id, read, { text: oneLine(body.text), links: body.links, problems: found });
  }

  /** Puts what was read of one body into snippets, links, problems and the index. */
  function applyDigest(id: string, read: RecordRead<Note>, body: DigestedBody): void {
    if (body.problems.length) problems.set(id, body.problems);
    else problems.delete(id);
    snippets.set(id, body.text.slice(0, 160));
    setLinks(id, body.links);
    index?.set({
      id,
      title: read.ok ? read.value.title : '',
      text: body.text,
      tags: read.ok ? read.value.tags : [],
    });
  }

  /** Schema 2: a note that has no body to read (its record is not a map) holds nothing derived. */
  function clearBody(id: string): void {
    unindexed.delete(id);
    snippets.delete(id);
    problems.delete(id);
    stamps.delete(id);
    setLinks(id, NO_IDS);
    index?.remove(id);
  }

  /** Schema 2: the next body to read: changed ones first (someone may be looking), then the pass. */
  function nextToRead(): string | undefined {
    for (const id of rereads) if (!reading.has(id)) return id;
    while (passAt < firstPass.length) {
      const id = firstPass[passAt++]!;
      if (unindexed.has(id) && !reading.has(id)) return id;
    }
    // Notes left to read that the pass did not list (a restore that found them changed late).
    for (const id of unindexed) if (!reading.has(id)) return id;
    return undefined;
  }

  /** Schema 2: starts reading bodies until `readsAtOnce` are under way. */
  function pump(): void {
    if (destroyed || !index || !bodies || listing) return;
    while (reading.size < readsAtOnce) {
      const id = nextToRead();
      if (id === undefined) break;
      rereads.delete(id);
      if (!notes.map(doc, id)) {
        clearBody(id);
        continue;
      }
      reading.add(id);
      void readBody(bodies, id);
    }
    checkSettled();
  }

  /** Schema 2: reads one body document, digests it while loaded and publishes the result. */
  async function readBody(from: BodyDocuments, id: string): Promise<void> {
    let stamp: string | null;
    let body: DigestedBody;
    try {
      // Taken before the read: a change in between leaves an older stamp with newer text, which
      // only makes the next open read this body again, never miss a change.
      const listed =
        passStamps && !changedSinceListed.has(id) ? (passStamps.get(id) ?? null) : undefined;
      stamp = listed !== undefined ? listed : await storedStamp(from, id);
      body = await from.read(id, digestBodyDoc);
    } catch (error) {
      stamp = UNKNOWN_STAMP;
      body = unreadableBody(error);
    }
    reading.delete(id);
    if (destroyed) return;
    const inFirstPass = unindexed.delete(id);
    if (unindexed.size === 0 && reading.size === 0) {
      passStamps = null;
      changedSinceListed.clear();
    }
    refreshMeta();
    const read = reads.get(id);
    // A note deleted from the root meanwhile was forgotten: nothing of it comes back.
    if (read && root.has(id)) {
      applyDigest(id, read, body);
      if (stamp === null) stamps.delete(id);
      else stamps.set(id, stamp);
    }
    changed();
    reportRead(inFirstPass);
    pump();
  }

  /** Schema 2: tells of a body read; during the first pass only now and then, and at its end. */
  function reportRead(inFirstPass: boolean): void {
    const now = Date.now();
    const passDone = unindexed.size === 0 && reading.size === 0;
    if (inFirstPass && !passDone && now - lastReport < reportEveryMs) return;
    lastReport = now;
    options.onChange();
  }

  /** Schema 2: the first pass over every body, the list's first screen first. */
  function startBodyPass(): void {
    // Bodies are indexed with their note's title and tags: every note is read first.
    readRest();
    const listed = listNow();
    firstPass = [...listed.items.map((item) => item.id), ...listed.damaged.map((item) => item.id)];
    passAt = 0;
    // A restore that needs no body read keeps no listing (it lists every body).
    if (unindexed.size === 0) passStamps = null;
    else if (bodies && passStamps === null) listPassStamps(bodies);
    if (unindexed.size === 0 && options.restored) {
      // As in schema 1: readers made before the stored index came still say "still reading".
      changed();
      options.onChange();
    }
    pump();
  }

  /** Lists every stored body's stamp before the first pass reads any body. */
  function listPassStamps(from: BodyDocuments): void {
    listing = true;
    listStamps(from)
      .then(
        (listed) => {
          passStamps = listed;
        },
        // Each body's stamp is then looked up as it is read.
        (error: unknown) => console.warn('The stored bodies were not listed', error),
      )
      .finally(() => {
        listing = false;
        pump();
      });
  }

  function isSettled(): boolean {
    return (
      index !== null &&
      !listing &&
      textTimer === null &&
      unindexed.size === 0 &&
      staleBody.size === 0 &&
      rereads.size === 0 &&
      reading.size === 0
    );
  }

  function checkSettled(): void {
    if (settledWaiters.length === 0 || !isSettled()) return;
    const waiters = settledWaiters;
    settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function refreshMeta(): boolean {
    if (staleMeta.size === 0) return false;
    for (const id of staleMeta) {
      if (!root.has(id)) {
        forget(id);
        continue;
      }
      const read = readOne(id);
      reads.set(id, read);
      unread.delete(id);
      // Title and tags are indexed too; the body text already known is reused.
      if (index?.has(id) && read.ok) {
        index.set({
          id,
          title: read.value.title,
          text: index.entry(id)?.text ?? '',
          tags: read.value.tags,
        });
      }
    }
    staleMeta.clear();
    cached = null;
    return true;
  }

  function changed(): void {
    version++;
    currentReader = null;
    checkSettled();
  }

  function readBodiesNow(): void {
    textTimer = null;
    refreshMeta();
    if (bodies) {
      for (const id of staleBody) if (root.has(id)) rereads.add(id);
      staleBody.clear();
      pump();
      return;
    }
    for (const id of staleBody) if (reads.has(id)) digest(id);
    staleBody.clear();
  }

  /** Bodies changed: read again once changes have paused for `textDelayMs`. */
  function bodiesTouched(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    for (const id of ids) {
      staleBody.add(id);
      // The list shows a snippet: drop the cached one so the next paint reads it fresh (schema
      // 1; with body documents the one read last is shown until the body is read again).
      if (!bodies) snippets.delete(id);
    }
    if (textTimer !== null) cancel(textTimer);
    textTimer = schedule(() => {
      if (destroyed) return;
      readBodiesNow();
      // Body documents are read in the background, each published as it is read.
      if (bodies) return;
      changed();
      options.onChange();
    }, textDelayMs);
  }
  const stopBodyUpdates =
    bodies?.onUpdate((id) => {
      if (listing || passStamps) changedSinceListed.add(id);
      if (root.has(id)) bodiesTouched(new Set([id]));
    }) ?? null;

  function runSlice(): void {
    sliceTimer = null;
    if (destroyed || !index) return;
    // Bodies are indexed with their note's title and tags: every note is read first.
    readRest();
    refreshMeta();
    const started = Date.now();
    for (const id of unindexed) {
      digest(id);
      if (Date.now() - started >= sliceMs) break;
    }
    changed();
    const now = Date.now();
    if (unindexed.size === 0 || now - lastReport >= reportEveryMs) {
      lastReport = now;
      options.onChange();
    }
    if (unindexed.size > 0) sliceTimer = schedule(runSlice, 0);
  }
  const startIndexing = (loaded: NoteSearchIndex) => {
    index = loaded;
    if (bodies) startBodyPass();
    else if (unindexed.size > 0) sliceTimer = schedule(runSlice, 0);
    else if (options.restored) {
      // A stored index that needed no catching up: readers made before it came still say
      // "still reading"; publish ones that know every note is searchable.
      changed();
      options.onChange();
    }
  };
  if (indexSource instanceof Promise)
    indexSource.then(
      (loaded) => {
        if (!destroyed) startIndexing(loaded);
      },
      (error: unknown) => console.error('The notes search index could not be loaded', error),
    );
  else startIndexing(indexSource);

  function accept(id: string): boolean {
    const read = reads.get(id);
    return read?.ok === true && read.value.deletedAt === null;
  }

  function listNow(): NotesList {
    refreshMeta();
    if (cached) return cached;
    const items: Note[] = [];
    const damaged: DamagedRecord[] = [];
    for (const read of reads.values()) {
      if (read.ok) items.push(read.value);
      else damaged.push(read.damaged);
    }
    items.sort(newestFirst);
    cached = { items, damaged, unread: unread.size };
    return cached;
  }

  return {
    list: listNow,
    reader() {
      if (currentReader) return currentReader;
      const frozenVersion = version;
      currentReader = {
        version: frozenVersion,
        indexed: reads.size + unread.size - unindexed.size,
        total: reads.size + unread.size,
        snippet(id) {
          let snippet = snippets.get(id);
          // Schema 2: a body not read this session has the start of its indexed text (restored).
          if (bodies) return snippet ?? index?.entry(id)?.text.slice(0, 160) ?? '';
          if (snippet === undefined) {
            const fragment = noteBody(doc, id);
            snippet = fragment ? bodySnippet(fragment) : '';
            snippets.set(id, snippet);
          }
          return snippet;
        },
        backlinks(id) {
          const set = incoming.get(id);
          return set ? [...set] : NO_IDS;
        },
        links(id) {
          return outgoing.get(id) ?? NO_IDS;
        },
        bodyProblems(id) {
          if (bodies) return problems.get(id) ?? NO_IDS;
          if (unindexed.has(id) || staleBody.has(id)) {
            const fragment = noteBody(doc, id);
            if (fragment) return inspectBody(fragment);
            return notes.map(doc, id)?.has(NOTE_BODY_KEY) ? [BODY_NOT_RICH_TEXT] : NO_IDS;
          }
          return problems.get(id) ?? NO_IDS;
        },
        search(query, limit = 50) {
          if (refreshMeta()) cached = null;
          return index ? index.search(query, limit, accept) : [];
        },
      };
      return currentReader;
    },
    onEvents(events) {
      const touched = notesTouchedBy(root, events);
      for (const id of touched.meta) staleMeta.add(id);
      // Typing changes only a body: the list and reader stay the same objects (no re-render per
      // keystroke) until the deferred re-read below publishes the new snippet and index.
      if (touched.meta.size > 0) {
        cached = null;
        changed();
      }
      bodiesTouched(touched.body);
    },
    flush() {
      if (textTimer !== null) cancel(textTimer);
      if (sliceTimer !== null) cancel(sliceTimer);
      sliceTimer = null;
      readRest();
      readBodiesNow();
      if (index && !bodies) for (const id of [...unindexed]) digest(id);
      changed();
    },
    settled() {
      if (isSettled()) return Promise.resolve();
      return new Promise<void>((resolve) => settledWaiters.push(resolve));
    },
    saved() {
      if (textTimer !== null || !index) return null;
      refreshMeta();
      if (unread.size > 0 || unindexed.size > 0 || staleBody.size > 0) return null;
      if (rereads.size > 0 || reading.size > 0) return null;
      const saved: SavedNotesIndex = {
        index: index.save(),
        links: [...outgoing].map(([id, links]) => [id, [...links]] as const),
        problems: [...problems].map(([id, found]) => [id, [...found]] as const),
      };
      return bodies ? { ...saved, bodies: [...stamps] } : saved;
    },
    destroy() {
      destroyed = true;
      stopBodyUpdates?.();
      // Nothing more will be read: whoever waits is let go.
      for (const resolve of settledWaiters.splice(0)) resolve();
      if (textTimer !== null) cancel(textTimer);
      if (sliceTimer !== null) cancel(sliceTimer);
    },
  };
}
