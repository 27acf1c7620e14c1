/**
 * The body documents' relay cursors in IndexedDB (fake-indexeddb): a page of ids read at once,
 * saved with the room-wide cursor in one transaction, kept apart per relay, and a row that is not
 * a cursor read as "nothing known" (the body is compared and uploaded again, nothing is lost).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  RELAY_DOCS_DB_PREFIX,
  forgetAllRelayDocCursors,
  forgetRelayDocCursors,
  indexedDbDocCursors,
} from '../../../../renderer/sync/relay/cursorStorage';

const A = 'wss://relay-a.example';
const B = 'ws://192.168.1.20:47420';
const vector = (...bytes: number[]) => new Uint8Array(bytes);

describe('relay body cursors in IndexedDB', () => {
  it('saves and reads cursors per relay, a page of ids at a time', async () => {
    const store = indexedDbDocCursors('ws-cursors-1');
    expect(await store.loadAfter(A)).toBe(0);
    await store.save(
      A,
      41,
      new Map([
        ['note-aaaa0001', { acked: vector(1, 5, 3), clean: true }],
        ['note-aaaa0002', { acked: vector(0), clean: false }],
      ]),
    );
    await store.save(B, 7, new Map([['note-aaaa0001', { acked: vector(1, 9, 9), clean: true }]]));

    expect(await store.loadAfter(A)).toBe(41);
    expect(await store.loadAfter(B)).toBe(7);
    const page = await store.load(A, ['note-aaaa0001', 'note-aaaa0002', 'note-missing1']);
    expect([...page.keys()]).toEqual(['note-aaaa0001', 'note-aaaa0002']);
    expect(page.get('note-aaaa0001')).toEqual({ acked: vector(1, 5, 3), clean: true });
    expect(page.get('note-aaaa0002')).toEqual({ acked: vector(0), clean: false });
    expect((await store.load(B, ['note-aaaa0001'])).get('note-aaaa0001')?.acked).toEqual(
      vector(1, 9, 9),
    );

    await forgetRelayDocCursors('ws-cursors-1', A);
    expect(await store.loadAfter(A)).toBe(0);
    expect((await store.load(A, ['note-aaaa0001'])).size).toBe(0);
    expect((await store.load(B, ['note-aaaa0001'])).size).toBe(1);
    expect(await store.loadAfter(B)).toBe(7);
    store.close();

    await forgetAllRelayDocCursors('ws-cursors-1');
    const reopened = indexedDbDocCursors('ws-cursors-1');
    expect(await reopened.loadAfter(B)).toBe(0);
    expect((await reopened.load(B, ['note-aaaa0001'])).size).toBe(0);
    reopened.close();
  });

  it('reads a damaged row as no cursor', async () => {
    const store = indexedDbDocCursors('ws-cursors-2');
    await store.save(A, 3, new Map([['note-good0001', { acked: vector(0), clean: true }]]));
    store.close();
    // Another writer (or a damaged disk) left rows that are not cursors.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`${RELAY_DOCS_DB_PREFIX}ws-cursors-2`);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['docs', 'after'], 'readwrite');
    tx.objectStore('docs').put({ acked: 'not bytes', clean: true }, [A, 'note-bad00001']);
    tx.objectStore('docs').put(12, [A, 'note-bad00002']);
    tx.objectStore('after').put(-5, A);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();

    const again = indexedDbDocCursors('ws-cursors-2');
    const page = await again.load(A, ['note-good0001', 'note-bad00001', 'note-bad00002']);
    expect([...page.keys()]).toEqual(['note-good0001']);
    expect(await again.loadAfter(A)).toBe(0);
    again.close();
  });
});
