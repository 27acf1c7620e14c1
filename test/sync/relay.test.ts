/**
 * The relay as teammates use it: a real relay process (what `npm run relay` starts) on loopback,
 * and the app's relay client (renderer/sync/relay/) on real Y.Docs holding the workspace model.
 * The two teammates are never online at the same time; relays are killed with SIGKILL.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { notes, renameWorkspace } from '../../shared/model';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import { toHex } from '../../shared/protocol/bytes';
import {
  startRelaySync,
  type RelayCursor,
  type RelayCursorStore,
  type RelaySync,
} from '../../renderer/sync/relay/relaySync';
import type { WebSocketConstructor } from '../../renderer/sync/peer/types';
import { startRelayChild, type RelayChild } from './relayChild';

const NOTE_TEXT = 'Lisbon offsite: zebra-kumquat-7731';
const WORKSPACE_NAME = 'Nomads of Manila 4412';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-relay-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function relay(dataDir = tempDir()): Promise<RelayChild & { dataDir: string }> {
  const child = await startRelayChild(dataDir);
  cleanups.push(() => child.kill9());
  return { ...child, dataDir };
}

/** One device: its document and its saved relay cursors (kept across "app restarts"). */
function device() {
  const saved = new Map<string, RelayCursor>();
  const cursors: RelayCursorStore = {
    load: (url) => saved.get(url) ?? null,
    save: (url, cursor) => void saved.set(url, cursor),
  };
  return { doc: new Y.Doc(), cursors, saved };
}

async function online(
  secretKey: Uint8Array,
  who: ReturnType<typeof device>,
  relays: string[],
): Promise<RelaySync> {
  const sync = await startRelaySync({
    secretKey,
    doc: who.doc,
    relays,
    cursors: who.cursors,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  cleanups.push(() => sync.destroy());
  return sync;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Every relay in `urls` reachable, with nothing waiting and at least one upload acknowledged. */
const uploadedTo = (sync: RelaySync, urls: string[]) => () =>
  urls.every((url) => {
    const status = sync.status().find((s) => s.url === url);
    return status?.reachable === true && status.waiting === 0 && status.lastUpload !== null;
  });

const titles = (doc: Y.Doc) =>
  notes
    .list(doc, { includeArchived: true, includeDeleted: true })
    .items.map((note) => note.title)
    .sort();

function writeNote(doc: Y.Doc, title: string): void {
  const created = notes.create(doc, { actor: 'member-a' }, { title });
  if (!created.ok) throw new Error(created.error.message);
}

describe('relay: teammates never online together', () => {
  it('converge through one relay, which stores no plaintext, workspace id or name', async () => {
    const server = await relay();
    const { workspaceId, secretKey } = createWorkspaceSecrets();
    const a = device();
    renameWorkspace(a.doc, WORKSPACE_NAME);
    writeNote(a.doc, NOTE_TEXT);
    const syncA = await online(secretKey, a, [server.url]);
    await until(uploadedTo(syncA, [server.url]));
    syncA.destroy(); // A leaves before B arrives

    const b = device();
    const syncB = await online(secretKey, b, [server.url]);
    await until(() => titles(b.doc).includes(NOTE_TEXT));
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc));
    expect(syncB.status()[0]).toMatchObject({ reachable: true, unreadable: 0 });

    // The relay's files, the WAL included, as they are on disk while it runs.
    const files = readdirSync(server.dataDir).map((name) => path.join(server.dataDir, name));
    expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
    const disk = Buffer.concat(files.map((file) => readFileSync(file)));
    const { deriveRelayKeys } = await import('../../shared/protocol/relayCrypto');
    // The search works: the room id the relay files the workspace under is there.
    expect(disk.includes(Buffer.from((await deriveRelayKeys(secretKey)).room))).toBe(true);
    for (const secret of [NOTE_TEXT, 'zebra-kumquat', WORKSPACE_NAME, workspaceId]) {
      expect(disk.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(disk.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
    expect(disk.includes(Buffer.from(workspaceId, 'hex'))).toBe(false);
    expect(disk.includes(Buffer.from(secretKey))).toBe(false);
    expect(toHex(secretKey)).not.toBe('');
  }, 60_000);

  it('converge through two relays when the first is killed (-9) midway', async () => {
    const first = await relay();
    const second = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    writeNote(a.doc, 'before the kill');
    const syncA = await online(secretKey, a, [first.url, second.url]);
    await until(uploadedTo(syncA, [first.url, second.url]));
    await first.kill9();
    writeNote(a.doc, 'after the kill');
    await until(uploadedTo(syncA, [second.url]));
    await until(() => syncA.status().find((s) => s.url === first.url)?.reachable === false);
    expect(syncA.status().find((s) => s.url === first.url)?.waiting).toBeGreaterThan(0);
    syncA.destroy();

    const b = device();
    const syncB = await online(secretKey, b, [first.url, second.url]);
    await until(() => titles(b.doc).length === 2);
    expect(titles(b.doc)).toEqual(['after the kill', 'before the kill']);
    expect(syncB.status().find((s) => s.url === first.url)?.reachable).toBe(false);
  }, 60_000);

  it('a device that left with an upload unacknowledged sends it on its next start', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    const syncA = await online(secretKey, a, [server.url]);
    await until(() => syncA.status()[0]?.reachable === true);
    await server.kill9();
    writeNote(a.doc, 'written while the relay was down');
    await until(() => syncA.status()[0]?.reachable === false);
    syncA.destroy(); // the app closes with the note not on the relay

    const back = await relay(server.dataDir);
    const restarted = await online(secretKey, a, [back.url]); // same device, same saved cursor
    await until(uploadedTo(restarted, [back.url]));
    restarted.destroy();

    const b = device();
    await online(secretKey, b, [back.url]);
    await until(() => titles(b.doc).includes('written while the relay was down'));
  }, 60_000);

  it('holds everything only once it acknowledged it: deletions and earlier sessions included', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    writeNote(a.doc, 'kept on the relay');
    const syncA = await online(secretKey, a, [server.url]);
    const holdsAll = (sync: RelaySync) => sync.status()[0]?.holdsAll === true;
    expect(holdsAll(syncA)).toBe(false); // not uploaded yet
    await until(() => holdsAll(syncA));

    // A deletion leaves the state vector as it was: still not on the relay until acknowledged.
    const scratch = a.doc.getText('scratch');
    scratch.insert(0, 'typo');
    await until(() => holdsAll(syncA));
    scratch.delete(0, 1);
    expect(holdsAll(syncA)).toBe(false);
    await until(() => holdsAll(syncA));

    await server.kill9();
    await until(() => syncA.status()[0]?.reachable === false);
    scratch.delete(0, 1); // made while the relay is down
    expect(syncA.status()[0]).toMatchObject({ holdsAll: false, waiting: 1 });
    syncA.destroy();

    // The next session, relay still down: nothing waits in memory and the state vector is covered,
    // yet the relay lacks the deletion (the saved cursor says the last session ended unclean).
    const again = await online(secretKey, a, [server.url]);
    await until(() => again.status()[0]?.state === 'offline');
    expect(again.status()[0]).toMatchObject({ holdsAll: false, waiting: 0 });
  }, 60_000);
});
