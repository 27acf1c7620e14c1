/**
 * The page bench/lazyDocs.ts drives in Chromium: a workspace's note bodies stored as lazy
 * documents over real IndexedDB (sealed at rest), then opened the way sync and the app would open
 * them (every vector listed, a few documents loaded), against the same bodies held as today's one
 * workspace document. Exposed on window.lazyBench; what is kept on `held` is what the heap weighs.
 */
import * as Y from 'yjs';
import { deriveAtRestKey, workspaceKeyInfo } from '../../shared/protocol/atRest';
import { openLazyDocStore, type LazyDocStore } from '../../renderer/sync/storage/lazyDocStore';

const WORKSPACE = 'bench-lazy';
/** What the page keeps alive between calls, so the heap measured after GC holds it. */
const held: { store: LazyDocStore | null; docs: Y.Doc[]; root: Y.Doc | null } = {
  store: null,
  docs: [],
  root: null,
};

function noteId(n: number): string {
  return `note-${String(n).padStart(7, '0')}`;
}

/** A note body of about 1 KB, as the editor stores it (a paragraph of rich text). */
function writeBody(fragment: Y.XmlFragment, n: number): void {
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  fragment.insert(0, [paragraph]);
  text.insert(0, `Note ${n}: ` + 'lorem ipsum dolor sit amet '.repeat(36));
}

function bodyUpdate(n: number): Uint8Array {
  const doc = new Y.Doc();
  writeBody(doc.getXmlFragment('body'), n);
  return Y.encodeStateAsUpdate(doc);
}

async function open(dataKey: number[]): Promise<LazyDocStore> {
  const key = deriveAtRestKey(Uint8Array.from(dataKey), workspaceKeyInfo(WORKSPACE));
  return openLazyDocStore(WORKSPACE, { key, accepts: () => true });
}

const api = {
  /** Stores `count` bodies as lazy documents, a thousand per transaction; closed after. */
  async fill(dataKey: number[], count: number): Promise<{ ms: number }> {
    const started = performance.now();
    const store = await open(dataKey);
    for (let start = 0; start < count; start += 1000) {
      const batch: Array<[string, Uint8Array]> = [];
      for (let n = start; n < Math.min(count, start + 1000); n++)
        batch.push([noteId(n), bodyUpdate(n)]);
      await store.createMany(batch);
    }
    await store.close();
    return { ms: performance.now() - started };
  },
  /** Opens the store as a session would, lists every vector and loads `loads` documents. */
  async openLazy(
    dataKey: number[],
    loads: number,
  ): Promise<{ listed: number; listMs: number; loaded: number }> {
    const store = await open(dataKey);
    held.store = store;
    const started = performance.now();
    let listed = 0;
    for await (const page of store.vectors()) listed += page.length;
    const listMs = performance.now() - started;
    for (let n = 0; n < loads; n++) held.docs.push(await store.load(noteId(n)));
    return { listed, listMs, loaded: store.loadedCount() };
  },
  /** Today's layout: every body in one workspace document, each under its note's record. */
  holdRoot(count: number): { notes: number } {
    const root = new Y.Doc();
    const notes = root.getMap<Y.Map<unknown>>('notes');
    root.transact(() => {
      for (let n = 0; n < count; n++) {
        const note = new Y.Map<unknown>();
        const body = new Y.XmlFragment();
        note.set('body', body);
        notes.set(noteId(n), note);
        writeBody(body, n);
      }
    });
    held.root = root;
    return { notes: notes.size };
  },
  async reset(): Promise<void> {
    await held.store?.close();
    held.store = null;
    held.docs = [];
    held.root?.destroy();
    held.root = null;
  },
};

(window as unknown as { lazyBench: typeof api }).lazyBench = api;
document.title = 'ready';
