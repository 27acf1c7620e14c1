/**
 * A connection to a relay's mailbox as both of a relay's clients open it (the root's,
 * relayClient.ts, and the bodies', relayBodies.ts): the WebSocket at the mailbox path, the hello
 * once it opens, and each message decoded. A frame that is not a mailbox message ends the
 * connection: the relay is not one, or not one this build speaks.
 */
import type { RelayKeys } from '../../../shared/protocol/relayCrypto';
import {
  HELLO,
  MAILBOX_PATH,
  decodeRelayMessage,
  encodeClientMessage,
  type RelayMessage,
} from '../../../shared/protocol/relayWire';
import type { WebSocketConstructor } from '../peer/types';

export interface MailboxSocketOptions {
  readonly WebSocket: WebSocketConstructor;
  readonly url: string;
  readonly keys: RelayKeys;
  /** The mailbox version the hello asks for. */
  readonly version: number;
  /** Each message, in arrival order. */
  readonly onMessage: (socket: WebSocket, message: RelayMessage) => void;
  /** The relay sent a frame that is not a mailbox message (the socket is closed after). */
  readonly onGarbled: () => void;
  readonly onClose: (socket: WebSocket) => void;
}

/** Opens the mailbox connection; throws when the URL is not a usable address. */
export function openMailboxSocket(options: MailboxSocketOptions): WebSocket {
  const socket = new options.WebSocket(options.url.replace(/\/+$/, '') + MAILBOX_PATH);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () =>
    socket.send(
      encodeClientMessage({
        type: HELLO,
        version: options.version,
        room: options.keys.room,
        token: options.keys.writeToken,
      }),
    );
  socket.onmessage = (event: MessageEvent) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const message = decodeRelayMessage(new Uint8Array(event.data));
    if (!message) {
      options.onGarbled();
      socket.close();
      return;
    }
    options.onMessage(socket, message);
  };
  socket.onclose = () => options.onClose(socket);
  socket.onerror = () => {
    // a close event follows
  };
  return socket;
}
