// @vitest-environment happy-dom
/**
 * A note body's edits that IndexedDB has not stored yet (fake-indexeddb, the browser's database
 * being the edge; localStorage and the window's `pagehide` faked as unsavedJournal.test.ts fakes
 * them): an edit whose write was started but not confirmed when the page hid, and then dropped,
 * is in the next store opened on the database; a write refused once is written again without a
 * further edit, its document kept loaded meanwhile; edits still refused when the store closes are
 * stored by the next one, and read by it even while it cannot store them yet. Plain and sealed at
 * rest.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { deriveAtRestKey, newDataKey } from '../../../../shared/protocol/atRest';
import type { AtRestKey } from '../../../../shared/protocol/atRest';
import { LAZY_DOCS_DB_PREFIX, ROWS_STORE } from '../../../../renderer/sync/storage/lazyDocDb';
import {
  RETRY_FIRST_MS,
  openLazyDocStore,
  type LazyDocProblem,
  type LazyDocStore,
  type LazyDocStoreOptions,
} from '../../../../renderer/sync/storage/lazyDocStore';
import { JOURNAL_PREFIX } from '../../../../renderer/sync/storage/unsavedJournal';
import { manualTime } from './manualTime';
import { memoryStorage, pageHide, refuseRows } from './refusedRows';

let workspaceCount = 0;
const opened: LazyDocStore[] = [];
const ID = 'note-000001';

function open(
  workspace: string,
  key: AtRestKey | null,
  storage: ReturnType<typeof memoryStorage>,
  options: Partial<LazyDocStoreOptions> = {},
): LazyDocStore {
  const store = openLazyDocStore(workspace, {
    key,
    accepts: () => true,
    onProblem: () => undefined,
    page: { storage, events: new EventTarget() },
    ...options,
  });
  opened.push(store);
  return store;
}

/** Whether a body row of the lazy databases is being added (the spies below act on those only). */
function isBodyRow(store: IDBObjectStore): boolean {
  return store.name === ROWS_STORE && store.transaction.db.name.startsWith(LAZY_DOCS_DB_PREFIX);
}

/** The transactions that add body rows from now on, each as it starts (nothing is held back). */
function watchBodyWrites(): IDBTransaction[] {
  const started: IDBTransaction[] = [];
  const add = IDBObjectStore.prototype.add;
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['add']>
  ) {
    if (isBodyRow(this)) started.push(this.transaction);
    return add.apply(this, args);
  });
  return started;
}

/** IndexedDB refusing the next `times` body rows, as a full disk refuses them. */
function refuseBodyRows(times: number) {
  return refuseRows(isBodyRow, times);
}

/** The text of body `ID` as a store opened afresh on the databases reads it. */
async function bodyText(store: LazyDocStore): Promise<string> {
  return store.read(ID, (doc) => doc.getText('body').toString());
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) await store.close();
});

describe.each([
  ['stored plain', () => Promise.resolve(null)],
  ['sealed at rest', () => deriveAtRestKey(newDataKey(), 'workspace:lazy')],
] as const)('unsaved body edits, %s', (label, keyFor) => {
  const sealing = label === 'sealed at rest';

  it('keeps an edit whose write was not confirmed when the page hid, and the next store holds it', async () => {
    workspaceCount += 1;
    const workspace = `unsaved-test-${workspaceCount}`;
    const key = await keyFor();
    const storage = memoryStorage();
    const page = new EventTarget();
    const time = manualTime();
    const store = open(workspace, key, storage, {
      page: { storage, events: page },
      schedule: time.schedule,
      cancel: time.cancel,
    });
    const doc = await store.load(ID);
    doc.getText('body').insert(0, 'stored before.');
    await store.flush();

    // Typed, and the window closed while the row's write is under way; the browser drops it.
    const writes = watchBodyWrites();
    doc.getText('body').insert(0, 'Typed just before the reload. ');
    page.dispatchEvent(pageHide());
    expect(writes).toHaveLength(1);
    writes[0]!.abort();
    vi.restoreAllMocks();
    const journalKey = `${JOURNAL_PREFIX}${LAZY_DOCS_DB_PREFIX}${workspace}`;
    const journal = storage.items.get(journalKey);
    expect(journal).toBeDefined();
    const entry = (JSON.parse(journal!) as Record<string, string>)[ID]!;
    const latin1 = new TextDecoder('latin1').decode(fromBase64(entry));
    expect(latin1.includes('Typed just before the reload')).toBe(!sealing);

    // The next page: its store holds the edit, and stores it, so the journal is forgotten.
    const next = open(workspace, key, storage);
    expect(await bodyText(next)).toBe('Typed just before the reload. stored before.');
    await next.flush();
    expect(storage.items.has(journalKey)).toBe(false);
    // Stored as a row: a store opened without the journal holds it too.
    expect(await bodyText(open(workspace, key, memoryStorage()))).toBe(
      'Typed just before the reload. stored before.',
    );
  });

  it('writes a refused edit again without a further edit, keeping its document loaded meanwhile', async () => {
    workspaceCount += 1;
    const workspace = `unsaved-test-${workspaceCount}`;
    const key = await keyFor();
    const storage = memoryStorage();
    const time = manualTime();
    const problems: LazyDocProblem[] = [];
    const recovered: number[] = [];
    const store = open(workspace, key, storage, {
      schedule: time.schedule,
      cancel: time.cancel,
      now: time.now,
      graceMs: RETRY_FIRST_MS / 2,
      onProblem: (problem) => problems.push(problem),
      onSavesRecovered: (at) => recovered.push(at),
    });
    const doc = await store.load(ID);
    const refused = refuseBodyRows(1);
    doc.getText('body').insert(0, 'typed on a full disk');
    store.release(ID);
    await store.flush();
    expect(refused).toHaveBeenCalledTimes(1);
    expect(problems).toEqual([
      { type: 'write-failed', id: ID, message: 'The quota has been exceeded.' },
    ]);
    expect(await open(workspace, key, memoryStorage()).stored(ID)).toBeNull();

    // Nobody holds it and its grace is over, but its edit lives only in it: it stays loaded.
    time.advance(RETRY_FIRST_MS / 2);
    expect(doc.isDestroyed).toBe(false);
    expect(store.loadedCount()).toBe(1);
    expect(recovered).toEqual([]);

    // The retry writes it, with nothing typed since.
    time.advance(RETRY_FIRST_MS / 2);
    await store.flush();
    expect(refused).toHaveBeenCalledTimes(2);
    expect(recovered).toEqual([RETRY_FIRST_MS]);
    expect(problems).toHaveLength(1);
    expect(await bodyText(open(workspace, key, memoryStorage()))).toBe('typed on a full disk');
    // Stored: the next grace unloads it.
    time.advance(RETRY_FIRST_MS);
    expect(doc.isDestroyed).toBe(true);
  });

  it('puts edits still refused when it closes in the journal, and the next store stores them', async () => {
    workspaceCount += 1;
    const workspace = `unsaved-test-${workspaceCount}`;
    const key = await keyFor();
    const storage = memoryStorage();
    const time = manualTime();
    const store = open(workspace, key, storage, { schedule: time.schedule, cancel: time.cancel });
    const doc = await store.load(ID);
    // Refused as typed, then again by the last try as the store closes.
    refuseBodyRows(2);
    doc.getText('body').insert(0, 'typed while the disk was full');
    store.release(ID);
    await store.flush();
    await store.close();
    vi.restoreAllMocks();

    const next = open(workspace, key, storage);
    expect(await bodyText(next)).toBe('typed while the disk was full');
    await next.flush();
    expect(storage.items.size).toBe(0);
    expect(await bodyText(open(workspace, key, memoryStorage()))).toBe(
      'typed while the disk was full',
    );
  });

  it('reads an edit the last page left that it cannot store yet, and stores it by the retry', async () => {
    workspaceCount += 1;
    const workspace = `unsaved-test-${workspaceCount}`;
    const key = await keyFor();
    const storage = memoryStorage();
    const first = open(workspace, key, storage);
    const doc = await first.load(ID);
    refuseBodyRows(Infinity);
    doc.getText('body').insert(0, 'left by the last page');
    first.release(ID);
    await first.flush();
    await first.close();
    vi.restoreAllMocks();
    expect(storage.items.size).toBe(1);

    // The next page opens on a disk still full for one more write: the edit is read all the same.
    const time = manualTime();
    refuseBodyRows(1);
    const next = open(workspace, key, storage, { schedule: time.schedule, cancel: time.cancel });
    const encoded = await next.encoded(ID);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, encoded!);
    expect(copy.getText('body').toString()).toBe('left by the last page');
    expect(await bodyText(next)).toBe('left by the last page');
    expect(await open(workspace, key, memoryStorage()).stored(ID)).toBeNull();
    expect(storage.items.size).toBe(1);

    time.advance(RETRY_FIRST_MS);
    await next.flush();
    expect(storage.items.size).toBe(0);
    expect(await bodyText(open(workspace, key, memoryStorage()))).toBe('left by the last page');
  });
});
