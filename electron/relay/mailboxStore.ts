/**
 * The relay's storage: SQLite (better-sqlite3) in one file, `mailbox.sqlite` in the data folder.
 * Rooms and their sealed envelopes under increasing per-room sequence numbers; nothing here can
 * read an envelope beyond its cleartext header (shared/protocol/relayCrypto.ts).
 *
 * Durability: WAL journal with `synchronous = FULL`, so a transaction that has returned is in the
 * WAL on disk, fsynced: neither a killed relay (kill -9) nor a power cut loses it. NORMAL would
 * survive a killed process too (the WAL is in the OS cache) but not a power cut, and the relay
 * acknowledges a put only after its commit, so an acknowledgement must mean "on disk". Puts
 * arriving together are committed in one transaction (one fsync for all of them).
 */
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KIND_SNAPSHOT, type EnvelopeHeader } from '../../shared/protocol/relayCrypto';
import type { StoredBlob } from '../../shared/protocol/relayWire';

export const DATABASE_FILE = 'mailbox.sqlite';

export interface RoomQuota {
  /** Bytes of envelopes one room may hold; a snapshot is still taken beyond it (it frees space). */
  readonly maxRoomBytes: number;
  /** Envelopes one room may hold. */
  readonly maxRoomBlobs: number;
}

export interface PutRequest {
  readonly room: number;
  readonly header: EnvelopeHeader;
  readonly envelope: Uint8Array;
}

export type PutResult =
  | { readonly ok: true; readonly seq: number; readonly duplicate: boolean }
  | { readonly ok: false; readonly reason: 'roomFull' };

export interface StoredPage {
  readonly blobs: StoredBlob[];
  readonly last: number;
  readonly more: boolean;
}

/** Up to this many named streams are each read through the index; more, by reading the room. */
const INDEXED_STREAMS = 64;
/** Rows read per query while filling a page. */
const PAGE_ROWS = 256;

export interface RoomRow {
  readonly id: number;
  readonly head: number;
  readonly bytes: number;
  readonly blobs: number;
}

export interface MailboxStore {
  /** The room's row, created on first use. */
  openRoom(name: Uint8Array): RoomRow;
  roomInfo(id: number): RoomRow;
  /** Stores puts in one transaction, in order; returns once it is committed. */
  putAll(requests: readonly PutRequest[], quota: RoomQuota): PutResult[];
  /**
   * Envelopes after `after` in sequence order, in pages of about `pageBytes`; `streams` empty for
   * all of the room's streams.
   */
  since(
    room: number,
    after: number,
    streams: readonly Uint8Array[],
    pageBytes: number,
  ): Iterable<StoredBlob[]>;
  /**
   * One page of envelopes after `after` in sequence order, about `maxBytes` (at least one
   * envelope when any is left): `last` is the highest sequence number it went through (envelopes
   * of other streams included), `more` whether anything is stored beyond it. Reads a few hundred
   * rows at a time, so a page never loads the room.
   */
  page(room: number, after: number, streams: readonly Uint8Array[], maxBytes: number): StoredPage;
  /** Bytes of the database and its WAL on disk. */
  diskBytes(): number;
  close(): void;
}

/** Opens (creating if needed) the store in `dataDir`. */
export function openMailboxStore(dataDir: string): MailboxStore {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = new Database(file);
  // Both take effect only on a new database, so they come before the first table. Small pages:
  // most envelopes are one person's few keystrokes (a few hundred bytes), and an empty relay's
  // tables then take 7 KiB instead of 28 KiB; snapshots simply span more overflow pages.
  db.pragma('page_size = 1024');
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS rooms (
      id INTEGER PRIMARY KEY,
      name BLOB NOT NULL UNIQUE,
      head INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL DEFAULT 0,
      blobs INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS blobs (
      room INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      stream BLOB NOT NULL,
      sender BLOB NOT NULL,
      counter INTEGER NOT NULL,
      envelope BLOB NOT NULL,
      PRIMARY KEY (room, seq)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS blobs_by_sender ON blobs (room, sender, counter);
    -- A room holds a stream per body document (100,000 of them): a snapshot's compaction and a
    -- reader of a few named streams find theirs without reading the room.
    CREATE INDEX IF NOT EXISTS blobs_by_stream ON blobs (room, stream, seq);
  `);

  const selectRoom = db.prepare<[Buffer], RoomRow>(
    'SELECT id, head, bytes, blobs FROM rooms WHERE name = ?',
  );
  const selectRoomById = db.prepare<[number], RoomRow>(
    'SELECT id, head, bytes, blobs FROM rooms WHERE id = ?',
  );
  const insertRoom = db.prepare<[Buffer]>('INSERT INTO rooms (name) VALUES (?)');
  const findSent = db.prepare<[number, Buffer, number], { seq: number }>(
    'SELECT seq FROM blobs WHERE room = ? AND sender = ? AND counter = ?',
  );
  const insertBlob = db.prepare<[number, number, Buffer, Buffer, number, Buffer]>(
    'INSERT INTO blobs (room, seq, stream, sender, counter, envelope) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const covered = db.prepare<[number, Buffer, number], { count: number; bytes: number | null }>(
    'SELECT count(*) AS count, sum(length(envelope)) AS bytes FROM blobs WHERE room = ? AND stream = ? AND seq <= ?',
  );
  const deleteCovered = db.prepare<[number, Buffer, number]>(
    'DELETE FROM blobs WHERE room = ? AND stream = ? AND seq <= ?',
  );
  const updateRoom = db.prepare<[number, number, number, number]>(
    'UPDATE rooms SET head = ?, bytes = ?, blobs = ? WHERE id = ?',
  );
  const selectAll = db.prepare<[number, number], { seq: number; envelope: Buffer }>(
    'SELECT seq, envelope FROM blobs WHERE room = ? AND seq > ? ORDER BY seq',
  );

  const selectStream = db.prepare<[number, Buffer, number], { seq: number; envelope: Buffer }>(
    'SELECT seq, envelope FROM blobs WHERE room = ? AND stream = ? AND seq > ? ORDER BY seq',
  );
  const selectBatch = db.prepare<[number, number, number], { seq: number; envelope: Buffer }>(
    'SELECT seq, envelope FROM blobs WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?',
  );

  const buffer = (bytes: Uint8Array) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const putAll = db.transaction((requests: readonly PutRequest[], quota: RoomQuota) => {
    const rooms = new Map<number, { head: number; bytes: number; blobs: number }>();
    let compacted = false;
    const results = requests.map((request): PutResult => {
      const { header, envelope } = request;
      const sender = buffer(header.sender);
      const earlier = findSent.get(request.room, sender, header.counter);
      // A client resending what it never saw acknowledged gets the first copy's number.
      if (earlier) return { ok: true, seq: earlier.seq, duplicate: true };
      let room = rooms.get(request.room);
      if (!room) {
        const row = selectRoomById.get(request.room)!;
        room = { head: row.head, bytes: row.bytes, blobs: row.blobs };
        rooms.set(request.room, room);
      }
      const snapshot = header.kind === KIND_SNAPSHOT;
      if (
        !snapshot &&
        (room.bytes + envelope.length > quota.maxRoomBytes || room.blobs + 1 > quota.maxRoomBlobs)
      )
        return { ok: false, reason: 'roomFull' };
      const stream = buffer(header.stream);
      if (snapshot) {
        const cover = Math.min(header.covers, room.head);
        const gone = covered.get(request.room, stream, cover)!;
        deleteCovered.run(request.room, stream, cover);
        room.bytes -= gone.bytes ?? 0;
        room.blobs -= gone.count;
        compacted ||= gone.count > 0;
      }
      room.head += 1;
      room.bytes += envelope.length;
      room.blobs += 1;
      insertBlob.run(request.room, room.head, stream, sender, header.counter, buffer(envelope));
      return { ok: true, seq: room.head, duplicate: false };
    });
    for (const [id, room] of rooms) updateRoom.run(room.head, room.bytes, room.blobs, id);
    return { results, compacted };
  });

  return {
    openRoom(name) {
      const key = buffer(name);
      const found = selectRoom.get(key);
      if (found) return found;
      insertRoom.run(key);
      return selectRoom.get(key)!;
    },
    roomInfo(id) {
      return selectRoomById.get(id)!;
    },
    putAll(requests, quota) {
      const { results, compacted } = putAll(requests, quota);
      if (compacted) {
        // Give the pages a snapshot freed back to the file system, and fold the WAL into the
        // database, so a room's bytes on disk follow its compacted size.
        db.pragma('incremental_vacuum');
        db.pragma('wal_checkpoint(TRUNCATE)');
      }
      return results;
    },
    *since(room, after, streams, pageBytes) {
      const wanted =
        streams.length > 0 ? new Set(streams.map((s) => buffer(s).toString('hex'))) : null;
      let page: StoredBlob[] = [];
      let bytes = 0;
      // Collected before yielding: better-sqlite3 forbids other statements while iterating. A few
      // named streams (the root's connection) are read through the index, not the whole room.
      const rows =
        wanted && streams.length <= INDEXED_STREAMS
          ? [...wanted]
              .flatMap((stream) => selectStream.all(room, Buffer.from(stream, 'hex'), after))
              .sort((a, b) => a.seq - b.seq)
          : selectAll.all(room, after);
      for (const row of rows) {
        // Stream filter in JavaScript: the stream sits at a fixed place in the envelope header.
        if (wanted && !wanted.has(row.envelope.subarray(2, 18).toString('hex'))) continue;
        page.push({ seq: row.seq, envelope: new Uint8Array(row.envelope) });
        bytes += row.envelope.length;
        if (bytes >= pageBytes) {
          yield page;
          page = [];
          bytes = 0;
        }
      }
      if (page.length > 0) yield page;
    },
    page(room, after, streams, maxBytes) {
      const wanted =
        streams.length > 0 ? new Set(streams.map((s) => buffer(s).toString('hex'))) : null;
      const blobs: StoredBlob[] = [];
      let bytes = 0;
      let last = after;
      for (;;) {
        const rows = selectBatch.all(room, last, PAGE_ROWS);
        if (rows.length === 0) return { blobs, last, more: false };
        for (const row of rows) {
          const mine = !wanted || wanted.has(row.envelope.subarray(2, 18).toString('hex'));
          if (mine && blobs.length > 0 && bytes + row.envelope.length > maxBytes)
            return { blobs, last, more: true };
          last = row.seq;
          if (!mine) continue;
          blobs.push({ seq: row.seq, envelope: new Uint8Array(row.envelope) });
          bytes += row.envelope.length;
        }
      }
    },
    diskBytes() {
      let total = 0;
      for (const suffix of ['', '-wal']) {
        try {
          total += statSync(file + suffix).size;
        } catch {
          // no WAL right now
        }
      }
      return total;
    },
    close() {
      db.close();
    },
  };
}
