/**
 * An in-memory `LazyDocs` (renderer/sync/peer/lazyDocs.ts) for sync tests: a test double at the
 * storage edge, holding each lazy document as one merged Yjs update and answering from raw
 * updates without loading a Y.Doc (Y.mergeUpdates, Y.diffUpdate, Y.encodeStateVectorFromUpdate),
 * as storage does. Local edits load the document, change it, and report the update like storage
 * reports an edit of a loaded document. Each document is listed with the fingerprint of its
 * deletions, worked out as storage works it out (lazyDocMeta.ts), and a peer's update that does
 * not decode is refused as storage refuses it (`LazyUpdateRefused`).
 */
import * as Y from 'yjs';
import {
  LazyUpdateRefused,
  type LazyDocs,
  type LazyDocVector,
} from '../../renderer/sync/peer/lazyDocs';
import { deletesFingerprint } from '../../renderer/sync/storage/lazyDocMeta';

const equalBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, index) => byte === b[index]);

type Listener = (id: string, update: Uint8Array, origin: unknown) => void;

/** The origin of {@link MemoryLazyDocs.edit}'s updates. */
export const LOCAL_EDIT = 'local-edit';

/** An update with no structs and an empty delete set: nothing to send. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export class MemoryLazyDocs implements LazyDocs {
  readonly docs = new Map<string, Uint8Array>();
  private readonly listeners = new Set<Listener>();
  /** Every id `receive` was called with, in order (hostile tests check what was stored). */
  readonly received: string[] = [];

  /**
   * `accepts` decides which ids a peer may write (default: any); `pageSize` is how many entries
   * each page of `vectors()` has.
   */
  constructor(
    private readonly acceptsId: (id: string) => boolean = () => true,
    private readonly pageSize = 64,
  ) {}

  async *vectors(): AsyncIterable<readonly LazyDocVector[]> {
    const ids = [...this.docs.keys()];
    for (let start = 0; start < ids.length; start += this.pageSize) {
      // A page at a time, as storage reads them.
      await Promise.resolve();
      yield ids.slice(start, start + this.pageSize).flatMap((id) => {
        const update = this.docs.get(id);
        if (!update) return [];
        const deletes = deletesFingerprint(Y.decodeUpdate(update).ds);
        return [{ id, vector: Y.encodeStateVectorFromUpdate(update), deletes }];
      });
    }
  }

  async diff(id: string, vector: Uint8Array, deletes?: Uint8Array): Promise<Uint8Array | null> {
    await Promise.resolve();
    const held = this.docs.get(id);
    if (!held) return null;
    const diff = Y.diffUpdate(held, vector);
    if (isEmptyUpdate(diff)) return null;
    // Only the delete set goes beyond the vector, and the asker holds the same deletions.
    const { structs, ds } = Y.decodeUpdate(diff);
    const sameDeletes = deletes && equalBytes(deletesFingerprint(ds), deletes);
    return structs.length === 0 && sameDeletes ? null : diff;
  }

  async vector(id: string): Promise<Uint8Array | null> {
    await Promise.resolve();
    const held = this.docs.get(id);
    return held ? Y.encodeStateVectorFromUpdate(held) : null;
  }

  accepts(id: string): boolean {
    return this.acceptsId(id);
  }

  async receive(id: string, update: Uint8Array, origin: unknown): Promise<void> {
    await Promise.resolve();
    // Refuse what does not decode before it is merged into anything.
    try {
      Y.decodeUpdate(update);
    } catch (error) {
      throw new LazyUpdateRefused(`The update for ${id} does not decode: ${String(error)}`);
    }
    const held = this.docs.get(id);
    this.docs.set(id, held ? Y.mergeUpdates([held, update]) : update);
    this.received.push(id);
    for (const listener of this.listeners) listener(id, update, origin);
  }

  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes document `id` (created when new) on this device, as a loaded note is edited. */
  edit(id: string, change: (doc: Y.Doc) => void, clientID?: number): void {
    const doc = this.load(id);
    if (clientID !== undefined) doc.clientID = clientID;
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    change(doc);
    doc.destroy();
    for (const update of updates) {
      const held = this.docs.get(id);
      this.docs.set(id, held ? Y.mergeUpdates([held, update]) : update);
      for (const listener of this.listeners) listener(id, update, LOCAL_EDIT);
    }
  }

  /** Document `id` as a Y.Doc (a fresh one when not held). */
  load(id: string): Y.Doc {
    const doc = new Y.Doc();
    const held = this.docs.get(id);
    if (held) Y.applyUpdate(doc, held);
    return doc;
  }

  /** Each document's text and state vector, by id, sorted: equal on replicas that converged. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const id of [...this.docs.keys()].sort()) {
      const doc = this.load(id);
      const vector = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b);
      out[id] = `${doc.getText('body').toString()} @ ${JSON.stringify(vector)}`;
      doc.destroy();
    }
    return out;
  }
}
