/**
 * A third-party client written only from docs/PROTOCOL.md, with stock `yjs` and `y-webrtc`: it
 * imports nothing of Outpost's. It decodes the invite code (Crockford base32, checksum), derives
 * the room name and password with HMAC-SHA-256, joins with y-webrtc's WebrtcProvider, and reads
 * and writes notes in the documented layout. Driven like nodePeer.ts (JSON lines on stdin).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { serveCommands, type Handlers } from './commandLoop';
import { decodeInvite, roomAndPassword } from './thirdPartyInvite';

// y-webrtc's signaling client uses the global WebSocket.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
const { WebrtcProvider } = await import('y-webrtc');
const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');

const doc = new Y.Doc();
let provider: InstanceType<typeof WebrtcProvider> | null = null;

function titles(): string[] {
  const out: string[] = [];
  doc.getMap('notes').forEach((record) => {
    if (record instanceof Y.Map && typeof record.get('title') === 'string')
      out.push(record.get('title') as string);
  });
  return out.sort();
}

/** A note in the documented layout (§1.4), its body one paragraph of text. */
function writeNote(target: Y.Doc, title: string, body: string): string {
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  const now = Date.now();
  target.transact(() => {
    const note = new Y.Map<unknown>();
    target.getMap('notes').set(id, note);
    note.set('title', title);
    note.set('pinned', false);
    note.set('tags', new Y.Map());
    const fragment = new Y.XmlFragment();
    note.set('body', fragment);
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, body);
    note.set('createdAt', now);
    note.set('createdBy', 'third-party-member');
    note.set('updatedAt', now);
    note.set('updatedBy', 'third-party-member');
    note.set('archived', false);
    note.set('deletedAt', null);
  }, 'third-party');
  return id;
}

const handlers: Handlers = {
  start(command) {
    const invite = decodeInvite(String(command.invite));
    const { room, password } = roomAndPassword(invite.key, new Date());
    provider = new WebrtcProvider(room, doc, {
      signaling: command.signaling as string[],
      password,
      peerOpts: { wrtc, config: { iceServers: [] } },
    });
    provider.awareness.setLocalStateField('user', { name: 'Third party', color: '#aa3377' });
    return { room, workspaceId: invite.id, name: invite.name };
  },
  addNote(command) {
    return writeNote(doc, String(command.title), String(command.body ?? ''));
  },
  /**
   * Notes written on other devices (one Yjs client each) that reached this one, as a stock
   * client holds them after syncing with teammates: `sizes[i]` characters of body by device i.
   */
  fillAuthors(command) {
    (command.sizes as number[]).forEach((size, i) => {
      const device = new Y.Doc();
      let body = '';
      while (body.length < size) body += Math.random().toString(36).slice(2);
      writeNote(device, `device ${i}`, body.slice(0, size));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(device), 'third-party');
    });
    return Y.encodeStateAsUpdate(doc).length;
  },
  titles: () => titles(),
  async waitTitles(command) {
    const until = Date.now() + Number(command.timeoutMs ?? 20_000);
    while (titles().length < Number(command.count) && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { ok: titles().length >= Number(command.count), titles: titles() };
  },
  exit() {
    provider?.disconnect();
    provider?.destroy();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers);
