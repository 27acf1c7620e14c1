/** A bare mailbox client for relay tests: raw frames in, decoded relay messages out, in order. */
import { WebSocket } from 'ws';
import {
  HELLO,
  MAILBOX_PATH,
  MAILBOX_VERSION,
  decodeRelayMessage,
  encodeClientMessage,
  type ClientMessage,
  type RelayMessage,
} from '../../../shared/protocol/relayWire';
import type { RelayKeys } from '../../../shared/protocol/relayCrypto';

export interface RawMailbox {
  send(message: ClientMessage): void;
  /** The next message from the relay (waits for it). */
  next(): Promise<RelayMessage>;
  /** Messages until one of `type` arrives, that one included. */
  until(type: RelayMessage['type']): Promise<RelayMessage[]>;
  readonly closed: Promise<number>;
  close(): void;
}

export async function rawMailbox(url: string): Promise<RawMailbox> {
  const socket = new WebSocket(url + MAILBOX_PATH);
  const queue: RelayMessage[] = [];
  const waiters: Array<(message: RelayMessage) => void> = [];
  socket.on('message', (data: Buffer) => {
    const message = decodeRelayMessage(new Uint8Array(data));
    if (!message) throw new Error('relay sent an undecodable frame');
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = () =>
    queue.length > 0
      ? Promise.resolve(queue.shift()!)
      : new Promise<RelayMessage>((resolve) => waiters.push(resolve));
  return {
    send: (message) => socket.send(encodeClientMessage(message)),
    next,
    async until(type) {
      const seen: RelayMessage[] = [];
      for (;;) {
        const message = await next();
        seen.push(message);
        if (message.type === type) return seen;
      }
    },
    closed,
    close: () => socket.close(),
  };
}

/** A raw mailbox that has said hello with `keys` (room and token as given, for refusal tests). */
export async function helloMailbox(
  url: string,
  keys: Pick<RelayKeys, 'room' | 'writeToken'>,
): Promise<RawMailbox> {
  const mailbox = await rawMailbox(url);
  mailbox.send({ type: HELLO, version: MAILBOX_VERSION, room: keys.room, token: keys.writeToken });
  return mailbox;
}
