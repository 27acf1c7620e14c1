/**
 * Which lazy documents are in memory (for lazyDocStore.ts), so that memory follows what is open
 * rather than what is stored. A document is loaded on its first `acquire` and counted; once nobody
 * holds it, it stays loaded for a grace period (reopening a note is then instant) and is unloaded
 * (`Y.Doc.destroy()`) after it, or sooner when more than `maxLoaded` documents are loaded: those
 * nobody holds go first, oldest release first. A document somebody holds is never unloaded to make
 * room, nor one whose edits are not stored yet (`keep`: its edits live only in it until a write
 * succeeds); only deleting it forever or closing the store does that.
 */
import * as Y from 'yjs';

/** A loaded document. */
export interface Resident {
  readonly id: string;
  readonly doc: Y.Doc;
  /** Set while stored or received data is applied to `doc`: not a change to write. */
  quiet: boolean;
  /** Undoes what `fill` attached to `doc`; called as it is unloaded. */
  detach: (() => void) | null;
}

interface Entry extends Resident {
  holders: number;
  ready: Promise<Y.Doc>;
  timer: unknown;
}

export interface ResidencyOptions {
  readonly maxLoaded: number;
  readonly graceMs: number;
  /** Reads a document's stored content into `resident.doc`. */
  readonly fill: (resident: Resident) => Promise<void>;
  readonly schedule: (run: () => void, delayMs: number) => unknown;
  readonly cancel: (handle: unknown) => void;
  /** Whether document `id` must stay loaded though nobody holds it (its edits not stored yet). */
  readonly keep?: (id: string) => boolean;
}

export interface Residency {
  /** Document `id`, loaded and held until one `release(id)`. */
  acquire(id: string): Promise<Y.Doc>;
  /** Lets go of one hold; `immediately`: unload now when nobody else holds it (no grace). */
  release(id: string, immediately?: boolean): void;
  /** The document when it is loaded (or being loaded). */
  get(id: string): Resident | undefined;
  /** Unloads `id` whoever holds it (it was deleted forever). */
  evict(id: string): void;
  evictAll(): void;
  count(): number;
}

export function createResidency(options: ResidencyOptions): Residency {
  const loaded = new Map<string, Entry>();
  /** Loaded documents nobody holds, oldest release first. */
  const idle = new Map<string, Entry>();

  /** Unloads `entry` when nobody holds it, unless it must be kept: then it waits another grace. */
  function unloadIdle(entry: Entry): void {
    if (entry.holders > 0 || loaded.get(entry.id) !== entry) return;
    if (!options.keep?.(entry.id)) return unload(entry);
    if (entry.timer !== null) options.cancel(entry.timer);
    entry.timer = options.schedule(() => unloadIdle(entry), options.graceMs);
  }

  function unload(entry: Entry): void {
    if (entry.holders > 0 || loaded.get(entry.id) !== entry) return;
    if (entry.timer !== null) options.cancel(entry.timer);
    entry.timer = null;
    idle.delete(entry.id);
    loaded.delete(entry.id);
    entry.detach?.();
    entry.doc.destroy();
  }

  /** Unloads documents nobody holds, oldest first, until `room` more fit under the cap. */
  function makeRoom(room: number): void {
    for (const entry of idle.values()) {
      if (loaded.size + room <= options.maxLoaded) return;
      // Its edits live only in it until they are stored: kept over the cap for that while.
      if (!options.keep?.(entry.id)) unload(entry);
    }
  }

  function load(id: string): Entry {
    makeRoom(1);
    const entry: Entry = {
      id,
      doc: new Y.Doc({ guid: id }),
      quiet: false,
      detach: null,
      holders: 0,
      ready: Promise.resolve().then(async () => {
        await options.fill(entry);
        return entry.doc;
      }),
      timer: null,
    };
    // A document that could not be read is not kept: the next acquire reads it again.
    entry.ready.catch(() => {
      entry.holders = 0;
      unload(entry);
    });
    loaded.set(id, entry);
    return entry;
  }

  return {
    acquire(id) {
      const entry = loaded.get(id) ?? load(id);
      entry.holders++;
      idle.delete(id);
      if (entry.timer !== null) options.cancel(entry.timer);
      entry.timer = null;
      return entry.ready;
    },
    release(id, immediately = false) {
      const entry = loaded.get(id);
      if (!entry || entry.holders === 0) return;
      entry.holders--;
      if (entry.holders > 0) return;
      if (immediately && !options.keep?.(id)) return unload(entry);
      idle.set(id, entry);
      entry.timer = options.schedule(() => unloadIdle(entry), options.graceMs);
      makeRoom(0);
    },
    get: (id) => loaded.get(id),
    evict(id) {
      const entry = loaded.get(id);
      if (!entry) return;
      entry.holders = 0;
      unload(entry);
    },
    evictAll() {
      for (const entry of [...loaded.values()]) {
        entry.holders = 0;
        unload(entry);
      }
    },
    count: () => loaded.size,
  };
}
