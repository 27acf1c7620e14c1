/**
 * The relay's store-and-forward mailbox over WebSocket (docs/PROTOCOL.md §5.5): a client proves it
 * holds the room's write token, catches up on everything after its cursor, then receives what
 * others put while it stays connected; its own puts are acknowledged once committed to disk.
 *
 * The relay is blind: it checks SHA-256(token) = room, reads each envelope's cleartext header
 * (stream, sender, counter, snapshot coverage) and stores the rest as it came.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  ROOM_BYTES,
  STREAM_BYTES,
  TOKEN_BYTES,
  readHeader,
} from '../../shared/protocol/relayCrypto';
import {
  ACK,
  BLOBS,
  ERROR,
  HELLO,
  MAILBOX_PATH,
  MAILBOX_VERSION,
  MAILBOX_VERSION_PAGED,
  MORE,
  PAGE,
  PUT,
  REFUSED,
  RELAY_ERRORS,
  SINCE,
  UPTO,
  WELCOME,
  decodeClientMessage,
  encodeRelayMessage,
  type RelayErrorName,
  type RelayMessage,
  type StoredBlob,
} from '../../shared/protocol/relayWire';
import type { MailboxStore, PutRequest, RoomQuota } from './mailboxStore';

export interface MailboxLimits extends RoomQuota {
  /** Largest envelope accepted (a snapshot of a whole workspace is the largest). */
  readonly maxEnvelopeBytes: number;
  /** Open mailbox connections; further ones are told `serverFull` and closed. */
  readonly maxConnections: number;
  /** Frames per second per connection (token bucket refill) and the bucket's size. */
  readonly messagesPerSecond: number;
  readonly burstMessages: number;
  /** Envelope bytes per second per connection (token bucket refill) and the bucket's size. */
  readonly bytesPerSecond: number;
  readonly burstBytes: number;
  /** Streams one SINCE may name. */
  readonly maxStreams: number;
  /** Bytes of envelopes per BLOBS frame while catching up. */
  readonly pageBytes: number;
  readonly keepaliveIntervalMs: number;
}

export const DEFAULT_MAILBOX_LIMITS: MailboxLimits = {
  maxRoomBytes: 256 * 1024 * 1024,
  // Every body document of a schema-2 workspace is a stream of at least one envelope: 100,000
  // notes take half of what 200,000 allowed before any edit.
  maxRoomBlobs: 1_000_000,
  maxEnvelopeBytes: 32 * 1024 * 1024,
  maxConnections: 2048,
  messagesPerSecond: 200,
  burstMessages: 2000,
  bytesPerSecond: 8 * 1024 * 1024,
  burstBytes: 64 * 1024 * 1024,
  maxStreams: 10_000,
  pageBytes: 512 * 1024,
  keepaliveIntervalMs: 30_000,
};

export interface MailboxStats {
  readonly connections: number;
  readonly stored: number;
  readonly refused: Readonly<Record<string, number>>;
}

export interface Mailbox {
  /** Takes `/mailbox` upgrade requests; false for any other path. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  stats(): MailboxStats;
  close(): void;
}

interface Connection {
  readonly socket: WebSocket;
  room: number | null;
  /** Set by SINCE: which streams it follows (null: all); undefined until then. */
  follows: Set<string> | null | undefined;
  messageTokens: number;
  byteTokens: number;
  refilledAt: number;
  alive: boolean;
}

interface QueuedPut {
  readonly connection: Connection;
  readonly request: PutRequest;
}

const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_GOING_AWAY = 1001;

export function createMailbox(
  store: MailboxStore,
  limits: MailboxLimits,
  log: (event: string, details?: Readonly<Record<string, unknown>>) => void,
): Mailbox {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxEnvelopeBytes + 64,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const connections = new Set<Connection>();
  const byRoom = new Map<number, Set<Connection>>();
  const refused: Record<string, number> = {};
  let stored = 0;
  let queue: QueuedPut[] = [];
  let flushScheduled = false;

  function send(connection: Connection, message: RelayMessage): void {
    if (connection.socket.readyState === WebSocket.OPEN)
      connection.socket.send(encodeRelayMessage(message));
  }

  function fail(connection: Connection, name: RelayErrorName, message: string): void {
    refused[name] = (refused[name] ?? 0) + 1;
    send(connection, { type: ERROR, code: RELAY_ERRORS[name], message });
    drop(connection);
    connection.socket.close(CLOSE_POLICY_VIOLATION, name);
  }

  function refuse(connection: Connection, counter: number, name: RelayErrorName, message: string) {
    refused[name] = (refused[name] ?? 0) + 1;
    send(connection, { type: REFUSED, counter, code: RELAY_ERRORS[name], message });
  }

  function drop(connection: Connection): void {
    if (!connections.delete(connection)) return;
    if (connection.room !== null) byRoom.get(connection.room)?.delete(connection);
  }

  /** Refills the connection's buckets; false when `bytes` more would overdraw either. */
  function allowed(connection: Connection, bytes: number): boolean {
    const now = performance.now();
    const seconds = (now - connection.refilledAt) / 1000;
    connection.refilledAt = now;
    connection.messageTokens = Math.min(
      limits.burstMessages,
      connection.messageTokens + seconds * limits.messagesPerSecond,
    );
    connection.byteTokens = Math.min(
      limits.burstBytes,
      connection.byteTokens + seconds * limits.bytesPerSecond,
    );
    if (connection.messageTokens < 1 || connection.byteTokens < bytes) return false;
    connection.messageTokens -= 1;
    connection.byteTokens -= bytes;
    return true;
  }

  function onFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!connections.has(connection)) return;
    connection.alive = true;
    const bytes = toBytes(data);
    if (!isBinary) return fail(connection, 'malformed', 'Mailbox frames are binary.');
    const message = decodeClientMessage(bytes, limits.maxStreams);
    if (!message) return fail(connection, 'malformed', 'Not a mailbox message.');
    if (!allowed(connection, message.type === PUT ? message.envelope.length : 0)) {
      const header = message.type === PUT ? readHeader(message.envelope) : undefined;
      if (header)
        return refuse(connection, header.counter, 'rate', 'Too much at once; send later.');
      return fail(connection, 'rate', 'Too many messages.');
    }
    if (message.type === HELLO) {
      if (connection.room !== null) return fail(connection, 'malformed', 'Hello was already said.');
      if (message.version !== MAILBOX_VERSION && message.version !== MAILBOX_VERSION_PAGED)
        return fail(
          connection,
          'version',
          `This relay speaks mailbox versions ${MAILBOX_VERSION} and ${MAILBOX_VERSION_PAGED}.`,
        );
      if (
        message.room.length !== ROOM_BYTES ||
        message.token.length !== TOKEN_BYTES ||
        !createHash('sha256').update(message.token).digest().equals(message.room)
      )
        return fail(connection, 'forbidden', 'The write token does not open this room.');
      const room = store.openRoom(message.room);
      connection.room = room.id;
      let members = byRoom.get(room.id);
      if (!members) byRoom.set(room.id, (members = new Set()));
      members.add(connection);
      send(connection, {
        type: WELCOME,
        head: room.head,
        maxEnvelopeBytes: limits.maxEnvelopeBytes,
      });
      return;
    }
    if (connection.room === null) return fail(connection, 'notReady', 'Say hello first.');
    if (message.type === SINCE || message.type === PAGE) {
      if (message.streams.some((stream) => stream.length !== STREAM_BYTES))
        return fail(connection, 'malformed', 'A stream id is 16 bytes.');
    }
    if (message.type === PAGE) {
      const maxBytes = Math.min(Math.max(message.maxBytes, 1), limits.pageBytes);
      const page = store.page(connection.room, message.after, message.streams, maxBytes);
      if (page.blobs.length > 0) send(connection, { type: BLOBS, blobs: page.blobs });
      // Not following until the last page: what is stored meanwhile comes with the next pages.
      if (page.more) return send(connection, { type: MORE, seq: page.last });
      // Read and subscribed in one go, as for SINCE.
      connection.follows = message.streams.length > 0 ? new Set(message.streams.map(hex)) : null;
      send(connection, { type: UPTO, head: store.roomInfo(connection.room).head });
      return;
    }
    if (message.type === SINCE) {
      connection.follows = message.streams.length > 0 ? new Set(message.streams.map(hex)) : null;
      // Read and sent in one go: nothing can be stored between this read and the subscription.
      for (const page of store.since(
        connection.room,
        message.after,
        message.streams,
        limits.pageBytes,
      ))
        send(connection, { type: BLOBS, blobs: page });
      send(connection, { type: UPTO, head: store.roomInfo(connection.room).head });
      return;
    }
    if (message.type === PUT) {
      const header = readHeader(message.envelope);
      if (!header) return fail(connection, 'malformed', 'Not a sealed envelope.');
      if (message.envelope.length > limits.maxEnvelopeBytes)
        return refuse(connection, header.counter, 'tooLarge', 'The envelope is too large.');
      queue.push({
        connection,
        request: { room: connection.room, header, envelope: message.envelope },
      });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    }
  }

  /** Commits every queued put in one transaction, then acknowledges and forwards them in order. */
  function flush(): void {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const results = store.putAll(
      batch.map((put) => put.request),
      limits,
    );
    // Per connection, what to send in sequence order; consecutive blobs share a frame.
    const outbox = new Map<Connection, RelayMessage[]>();
    const enqueue = (connection: Connection, message: RelayMessage) => {
      let list = outbox.get(connection);
      if (!list) outbox.set(connection, (list = []));
      const last = list[list.length - 1];
      if (message.type === BLOBS && last?.type === BLOBS) last.blobs.push(...message.blobs);
      else list.push(message);
    };
    batch.forEach(({ connection, request }, index) => {
      const result = results[index]!;
      if (!result.ok) {
        refuse(connection, request.header.counter, 'roomFull', 'This room on the relay is full.');
        return;
      }
      enqueue(connection, { type: ACK, counter: request.header.counter, seq: result.seq });
      if (result.duplicate) return;
      stored++;
      const blob: StoredBlob = { seq: result.seq, envelope: request.envelope };
      const stream = hex(request.header.stream);
      for (const other of byRoom.get(request.room) ?? []) {
        if (other === connection || other.follows === undefined) continue;
        if (other.follows === null || other.follows.has(stream))
          enqueue(other, { type: BLOBS, blobs: [blob] });
      }
    });
    for (const [connection, messages] of outbox)
      for (const message of messages) send(connection, message);
  }

  const keepalive = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        drop(connection);
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, limits.keepaliveIntervalMs);
  keepalive.unref();

  return {
    upgrade(request, socket, head) {
      const pathname = new URL(request.url ?? '/', 'http://relay').pathname;
      if (pathname !== MAILBOX_PATH) return false;
      wss.handleUpgrade(request, socket, head, (ws) => {
        const connection: Connection = {
          socket: ws,
          room: null,
          follows: undefined,
          messageTokens: limits.burstMessages,
          byteTokens: limits.burstBytes,
          refilledAt: performance.now(),
          alive: true,
        };
        if (connections.size >= limits.maxConnections) {
          connections.add(connection);
          fail(connection, 'serverFull', 'The relay has too many connections; try later.');
          log('mailbox-connection-rejected', { limit: limits.maxConnections });
          return;
        }
        connections.add(connection);
        ws.on('message', (data, isBinary) => {
          try {
            onFrame(connection, data, isBinary);
          } catch (error) {
            log('mailbox-error', { message: String(error) });
            fail(connection, 'malformed', 'The relay could not handle that message.');
          }
        });
        ws.on('pong', () => {
          connection.alive = true;
        });
        ws.on('error', () => drop(connection));
        ws.on('close', () => drop(connection));
      });
      return true;
    },
    stats() {
      return { connections: connections.size, stored, refused: { ...refused } };
    },
    close() {
      clearInterval(keepalive);
      flush();
      for (const connection of [...connections]) {
        drop(connection);
        connection.socket.close(CLOSE_GOING_AWAY, 'relay closing');
        connection.socket.terminate();
      }
      wss.close();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  const buffer = Buffer.isBuffer(data)
    ? data
    : Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
