/**
 * Messages between the main process and the process that hosts the LAN signaling server
 * (serverProcess.ts, an Electron utilityProcess). Plain structured-clone values both ways.
 */
import type { SignalingStats } from './server';

/** Main process → server process. */
export type ToServerProcess =
  | { readonly type: 'start'; readonly host: string; readonly port: number }
  | { readonly type: 'stats' }
  | { readonly type: 'close' };

/** Server process → main process. */
export type FromServerProcess =
  | { readonly type: 'started'; readonly port: number }
  /** Listening failed; `code` is Node's (`EADDRINUSE`, `EACCES`…) when it had one. */
  | { readonly type: 'failed'; readonly message: string; readonly code?: string }
  | { readonly type: 'stats'; readonly stats: SignalingStats }
  | { readonly type: 'closed' }
  | {
      readonly type: 'log';
      readonly event: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

/** Whether a value from the other process is one of {@link FromServerProcess}'s shapes. */
export function isFromServerProcess(value: unknown): value is FromServerProcess {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'started':
      return Number.isInteger(message.port);
    case 'failed':
      return typeof message.message === 'string';
    case 'stats':
      return typeof message.stats === 'object' && message.stats !== null;
    case 'closed':
      return true;
    case 'log':
      return typeof message.event === 'string';
    default:
      return false;
  }
}
