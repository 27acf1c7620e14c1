/** A WebSocket stand-in for the signaling parts (the server's edge): the test opens, closes and messages it. */
import type { WebSocketConstructor } from '../../renderer/sync/peer/types';

/** Every socket made, in order; a test empties it before it starts. */
export const madeSockets: FakeWebSocket[] = [];

export class FakeWebSocket {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: string[] = [];
  closed = false;

  constructor(readonly url: string) {
    madeSockets.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    this.closed = true;
  }
}

export const FakeWebSocketConstructor = FakeWebSocket as unknown as WebSocketConstructor;
