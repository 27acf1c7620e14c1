/**
 * One WebSocket to a y-webrtc signaling server: it reconnects with backoff until destroyed and
 * sends JSON frames (subscribe, publish, unsubscribe) only while open. What arrives and when it
 * opens or closes is reported through the callbacks it is given.
 */
import type { Clock } from './handshakes';
import type { SignalingState, WebSocketConstructor } from './types';

export interface SignalingSocketEvents {
  readonly opened: (socket: SignalingSocket) => void;
  readonly message: (socket: SignalingSocket, raw: string) => void;
  readonly closed: (wasOpen: boolean) => void;
}

/** Longest wait before reconnecting; the wait doubles from 500 ms with each failure. */
const MAX_BACKOFF_MS = 30_000;

export class SignalingSocket {
  state: SignalingState = 'connecting';
  private socket: WebSocket | null = null;
  private retries = 0;
  private timer: unknown = null;
  private destroyed = false;

  constructor(
    readonly url: string,
    private readonly Socket: WebSocketConstructor,
    private readonly clock: Clock,
    private readonly events: SignalingSocketEvents,
  ) {
    this.open();
  }

  private open(): void {
    if (this.destroyed) return;
    this.state = 'connecting';
    let socket: WebSocket;
    try {
      socket = new this.Socket(this.url);
    } catch {
      this.closed();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.state = 'open';
      this.retries = 0;
      this.events.opened(this);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.events.message(this, event.data);
    };
    socket.onclose = () => this.closed();
    socket.onerror = () => {
      // a close event follows
    };
  }

  private closed(): void {
    this.socket = null;
    if (this.destroyed) return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.events.closed(wasOpen);
    // Jittered, so peers cut off by one server restart do not all come back at the same moment.
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.retries) * (0.75 + Math.random() / 2);
    this.retries++;
    this.timer = this.clock.setTimeout(() => this.open(), delay);
  }

  send(message: unknown): void {
    if (this.state !== 'open' || !this.socket) return;
    try {
      this.socket.send(JSON.stringify(message));
    } catch {
      // closing; the close handler reconnects
    }
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    this.state = 'closed';
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Closing a socket still connecting reports an error (Node's ws throws it if unhandled).
      socket.onerror = () => {};
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }
}
