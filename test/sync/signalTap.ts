/**
 * Someone without the key who can reach a signaling server (a LAN neighbour): it subscribes to a
 * team's rooms (their names are visible on the wire), records every publish, and later publishes
 * the recorded frames again, byte for byte. Driven like nodePeer.ts (JSON lines on stdin).
 */
import { WebSocket } from 'ws';
import { serveCommands, type Handlers } from './commandLoop';

let socket: WebSocket | null = null;
const recorded: Array<{ topic: string; data: unknown }> = [];

const handlers: Handlers = {
  async tap(command) {
    const topics = command.topics as string[];
    socket = new WebSocket(String(command.url));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { type?: string; topic?: string; data?: unknown };
      if (frame.type === 'publish' && typeof frame.topic === 'string')
        recorded.push({ topic: frame.topic, data: frame.data });
    });
    await new Promise((resolve, reject) => {
      socket!.once('open', resolve);
      socket!.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'subscribe', topics }));
    return topics.length;
  },
  recorded: () => recorded,
  /** Publishes `frames` as they were recorded. */
  replay(command) {
    const frames = command.frames as Array<{ topic: string; data: unknown }>;
    for (const frame of frames)
      socket?.send(JSON.stringify({ type: 'publish', topic: frame.topic, data: frame.data }));
    return frames.length;
  },
  exit() {
    socket?.terminate();
    setImmediate(() => process.exit(0));
    return true;
  },
};

serveCommands(handlers);
