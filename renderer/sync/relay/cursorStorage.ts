/**
 * Where the app keeps each relay's cursor: localStorage, one key per workspace and relay. Losing
 * one (the browser writes localStorage lazily) costs only a download again: applying an update
 * twice changes nothing, and the acknowledged state vector only ever saves uploads.
 */
import { fromBase64Url, toBase64Url } from '../../../shared/protocol/bytes';
import type { RelayCursor, RelayCursorStore } from './types';

const PREFIX = 'outpost.relay.';

function keyOf(workspaceId: string, url: string): string {
  return `${PREFIX}${workspaceId}.${url}`;
}

export function localStorageCursors(workspaceId: string): RelayCursorStore {
  return {
    load(url) {
      const text = localStorage.getItem(keyOf(workspaceId, url));
      if (!text) return null;
      try {
        const value = JSON.parse(text) as { after?: unknown; acked?: unknown; clean?: unknown };
        const acked = typeof value.acked === 'string' ? fromBase64Url(value.acked) : undefined;
        if (!Number.isSafeInteger(value.after) || (value.after as number) < 0 || !acked)
          return null;
        return { after: value.after as number, acked, clean: value.clean === true };
      } catch {
        return null; // unreadable: start from the beginning (idempotent, only slower)
      }
    },
    save(url, cursor: RelayCursor) {
      localStorage.setItem(
        keyOf(workspaceId, url),
        JSON.stringify({
          after: cursor.after,
          acked: toBase64Url(cursor.acked),
          clean: cursor.clean,
        }),
      );
    },
  };
}

/** Forgets the cursors of a workspace (it was left) or of one of its relays (removed). */
export function forgetRelayCursors(workspaceId: string, url?: string): void {
  const prefix = url === undefined ? `${PREFIX}${workspaceId}.` : keyOf(workspaceId, url);
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (key && (url === undefined ? key.startsWith(prefix) : key === prefix))
      localStorage.removeItem(key);
  }
}
